/**
 * Windows Security log events (4624 logon, 4625 failed logon, 4634 logoff, 4672 special
 * privileges), as the System integration (`logs-system.security-*`, with `event.ingested`)
 * or Winlogbeat's security module (`winlogbeat-*`, without it) ship them.
 */
import { beatHost, shippedByAgent, winlogbeatAgent } from './family-sysmon';
import { type AuthOp, type Draft, iso, type Source } from './model';
import type { Rng } from './rng';
import { DEMO_INDICES, type DemoHost, DOMAIN, fqdn } from './world';

const LOGON_TYPES: Record<number, string> = {
  2: 'Interactive',
  3: 'Network',
  5: 'Service',
  7: 'Unlock',
  10: 'RemoteInteractive',
  11: 'CachedInteractive',
};

const ACTIONS: Record<AuthOp['code'], { action: string; category: string[]; type: string[]; outcome: string; task: string }> = {
  4624: { action: 'logged-in', category: ['authentication'], type: ['start'], outcome: 'success', task: 'Logon' },
  4625: { action: 'logon-failed', category: ['authentication'], type: ['start'], outcome: 'failure', task: 'Logon' },
  4634: { action: 'logged-out', category: ['authentication'], type: ['end'], outcome: 'success', task: 'Logoff' },
  4672: { action: 'logged-in-special', category: ['iam'], type: ['admin'], outcome: 'success', task: 'Special Logon' },
};

const ADMIN_PRIVILEGES = [
  'SeSecurityPrivilege',
  'SeBackupPrivilege',
  'SeRestorePrivilege',
  'SeTakeOwnershipPrivilege',
  'SeDebugPrivilege',
  'SeSystemEnvironmentPrivilege',
  'SeLoadDriverPrivilege',
  'SeImpersonatePrivilege',
  'SeDelegateSessionUserImpersonatePrivilege',
];

export function authEvent(rng: Rng, host: DemoHost, t: number, op: AuthOp): Draft {
  const a = ACTIONS[op.code];
  const typeName = LOGON_TYPES[op.logonType] ?? String(op.logonType);
  const eventData: Source = {};
  const src: Source = {
    '@timestamp': iso(t),
    ecs: { version: '8.11.0' },
    host: beatHost(host),
    log: { level: 'information' },
    user: { name: op.user.name, domain: op.user.domain, id: op.user.id },
    related: { user: [op.user.name] },
  };
  const event: Source = {
    action: a.action,
    category: a.category,
    type: a.type,
    code: String(op.code),
    kind: 'event',
    outcome: a.outcome,
    provider: 'Microsoft-Windows-Security-Auditing',
    created: iso(t + rng.int(200, 2500)),
  };
  src.event = event;

  if (op.code === 4624 || op.code === 4625) {
    const pkg = op.authPackage ?? (op.logonType === 3 ? 'NTLM' : 'Negotiate');
    Object.assign(eventData, {
      SubjectUserSid: op.logonType === 3 ? 'S-1-0-0' : 'S-1-5-18',
      SubjectUserName: op.logonType === 3 ? '-' : `${host.name.toUpperCase()}$`,
      SubjectDomainName: op.logonType === 3 ? '-' : DOMAIN,
      SubjectLogonId: op.logonType === 3 ? '0x0' : '0x3e7',
      TargetUserSid: op.code === 4625 ? 'S-1-0-0' : op.user.id,
      TargetUserName: op.user.name,
      TargetDomainName: op.user.domain,
      LogonType: String(op.logonType),
      LogonProcessName: op.logonType === 5 ? 'Advapi  ' : op.logonType !== 3 ? 'User32 ' : pkg === 'Kerberos' ? 'Kerberos' : 'NtLmSsp ',
      AuthenticationPackageName: pkg,
      WorkstationName: op.srcWorkstation ? op.srcWorkstation.toUpperCase() : host.name.toUpperCase(),
      IpAddress: op.srcIp ?? (op.logonType === 3 ? '-' : '127.0.0.1'),
      IpPort: op.srcIp ? String(rng.int(49152, 65535)) : '0',
      KeyLength: '0',
      ProcessName: op.process ? op.process.exe.path : '-',
      ProcessId: op.process ? `0x${op.process.pid.toString(16)}` : '0x0',
    });
    if (op.code === 4624) {
      Object.assign(eventData, {
        TargetLogonId: op.logonId,
        LogonGuid: '{00000000-0000-0000-0000-000000000000}',
        ImpersonationLevel: '%%1833',
        ElevatedToken: op.user.kind === 'admin' || op.user.kind === 'builtin' ? '%%1842' : '%%1843',
        VirtualAccount: '%%1843',
        RestrictedAdminMode: op.logonType === 10 ? '%%1843' : '-',
        LmPackageName: pkg === 'NTLM' ? 'NTLM V2' : '-',
      });
    } else {
      Object.assign(eventData, { Status: '0xc000006d', SubStatus: '0xc000006a', FailureReason: '%%2313' });
      event.reason = 'Unknown user name or bad password.';
    }
    if (op.srcIp) {
      src.source = { ip: op.srcIp, port: Number(eventData.IpPort), ...(op.srcWorkstation ? { domain: op.srcWorkstation.toUpperCase() } : {}) };
      src.related = { user: [op.user.name], ip: [op.srcIp] };
    }
    if (op.process) src.process = { pid: op.process.pid, executable: op.process.exe.path, name: op.process.name };
  } else if (op.code === 4634) {
    Object.assign(eventData, {
      TargetUserSid: op.user.id,
      TargetUserName: op.user.name,
      TargetDomainName: op.user.domain,
      TargetLogonId: op.logonId,
      LogonType: String(op.logonType),
    });
  } else {
    Object.assign(eventData, {
      SubjectUserSid: op.user.id,
      SubjectUserName: op.user.name,
      SubjectDomainName: op.user.domain,
      SubjectLogonId: op.logonId,
      PrivilegeList: ADMIN_PRIVILEGES,
    });
  }

  const winlog: Source = {
    api: 'wineventlog',
    channel: 'Security',
    computer_name: fqdn(host),
    event_id: String(op.code),
    keywords: [a.outcome === 'success' ? 'Audit Success' : 'Audit Failure'],
    opcode: 'Info',
    process: { pid: 780, thread: { id: rng.int(400, 9000) } },
    provider_guid: '{54849625-5478-4994-a5ba-3e3b0328c30d}',
    provider_name: 'Microsoft-Windows-Security-Auditing',
    record_id: '0',
    task: a.task,
    event_data: eventData,
  };
  if (op.code !== 4672) winlog.logon = { id: op.logonId, type: typeName };
  else winlog.logon = { id: op.logonId };
  src.winlog = winlog;

  if (host.security === 'winlogbeat') {
    event.module = 'security';
    src.agent = winlogbeatAgent(host, host.noHostMetadata ? '7.17.25' : '8.15.3');
    src.message = `${a.task}: ${op.user.domain}\\${op.user.name}`;
    return { _index: DEMO_INDICES.winlogbeat, _source: src };
  }
  event.module = 'system';
  event.dataset = 'system.security';
  shippedByAgent(src, event, host, rng, t, 'system.security');
  src.message = `${a.task}: ${op.user.domain}\\${op.user.name}`;
  return { _index: DEMO_INDICES.security, _source: src };
}
