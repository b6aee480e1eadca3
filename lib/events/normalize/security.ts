/**
 * Windows Security channel records → ECS, with the categorisation and field mapping of
 * Elastic's `system.security` ingest pipeline (elastic/integrations
 * packages/system/data_stream/security/elasticsearch/ingest_pipeline/standard.yml and the
 * windows `forwarded` pipeline tests): `event.category/type/action` per event id, the logon
 * type by name, the subject/target user, logon ids, services (4697), file shares (5140/5145)
 * and processes (4688/4689 and any `ProcessName`).
 */
import { setCommandLine } from './cmdline';
import { basename, dirname, extension, int, long, setPath, str, type Doc } from './util';

export interface SecurityKind {
  category: string[];
  type: string[];
  action: string;
  outcome?: 'success' | 'failure';
}

const k = (category: string, type: string, action: string, outcome?: 'success' | 'failure'): SecurityKind => ({
  category: category.split(','),
  type: type.split(','),
  action,
  ...(outcome ? { outcome } : {}),
});

/** event id → categorisation, as the system.security pipeline sets it. */
export const SECURITY_EVENTS: Record<number, SecurityKind> = {
  1100: k('process', 'end', 'logging-service-shutdown'),
  1102: k('iam', 'admin,change', 'audit-log-cleared'),
  1104: k('iam', 'admin', 'logging-full'),
  1105: k('iam', 'admin', 'auditlog-archieved'),
  1108: k('iam', 'admin', 'logging-processing-error'),
  4610: k('configuration', 'access', 'authentication-package-loaded'),
  4611: k('configuration', 'change', 'trusted-logon-process-registered'),
  4614: k('configuration', 'access', 'notification-package-loaded'),
  4616: k('configuration', 'change', 'system-time-changed'),
  4622: k('configuration', 'access', 'security-package-loaded'),
  4624: k('authentication', 'start', 'logged-in', 'success'),
  4625: k('authentication', 'start', 'logon-failed', 'failure'),
  4634: k('authentication', 'end', 'logged-out', 'success'),
  4647: k('authentication', 'end', 'logged-out', 'success'),
  4648: k('authentication', 'start', 'logged-in-explicit', 'success'),
  4657: k('registry,configuration', 'change', 'registry-value-modified'),
  4670: k('iam,configuration', 'admin,change', 'permissions-changed'),
  4672: k('iam', 'admin', 'logged-in-special', 'success'),
  4673: k('iam', 'admin', 'privileged-service-called'),
  4674: k('iam', 'admin', 'privileged-operation'),
  4688: k('process', 'start', 'created-process', 'success'),
  4689: k('process', 'end', 'exited-process', 'success'),
  4697: k('iam,configuration', 'admin,change', 'service-installed'),
  4698: k('iam,configuration', 'creation,admin', 'scheduled-task-created'),
  4699: k('iam,configuration', 'deletion,admin', 'scheduled-task-deleted'),
  4700: k('iam,configuration', 'change,admin', 'scheduled-task-enabled'),
  4701: k('iam,configuration', 'change,admin', 'scheduled-task-disabled'),
  4702: k('iam,configuration', 'change,admin', 'scheduled-task-updated'),
  4706: k('configuration', 'creation', 'domain-trust-added'),
  4707: k('configuration', 'deletion', 'domain-trust-removed'),
  4713: k('configuration', 'change', 'kerberos-policy-changed'),
  4714: k('configuration', 'change', 'encrypted-data-recovery-policy-changed'),
  4715: k('configuration', 'change', 'object-audit-policy-changed'),
  4716: k('configuration', 'change', 'trusted-domain-information-changed'),
  4717: k('iam,configuration', 'admin,change', 'system-security-access-granted'),
  4718: k('iam,configuration', 'admin,deletion', 'system-security-access-removed'),
  4719: k('iam,configuration', 'admin,change', 'changed-audit-config'),
  4720: k('iam', 'user,creation', 'added-user-account'),
  4722: k('iam', 'user,change', 'enabled-user-account'),
  4723: k('iam', 'user,change', 'changed-password'),
  4724: k('iam', 'user,change', 'reset-password'),
  4725: k('iam', 'user,deletion', 'disabled-user-account'),
  4726: k('iam', 'user,deletion', 'deleted-user-account'),
  4727: k('iam', 'group,creation', 'added-group-account'),
  4728: k('iam', 'group,change', 'added-member-to-group'),
  4729: k('iam', 'group,change', 'removed-member-from-group'),
  4730: k('iam', 'group,deletion', 'deleted-group-account'),
  4731: k('iam', 'group,creation', 'added-group-account'),
  4732: k('iam', 'group,change', 'added-member-to-group'),
  4733: k('iam', 'group,change', 'removed-member-from-group'),
  4734: k('iam', 'group,deletion', 'deleted-group-account'),
  4735: k('iam', 'group,change', 'modified-group-account'),
  4737: k('iam', 'group,change', 'modified-group-account'),
  4738: k('iam', 'user,change', 'modified-user-account'),
  4739: k('configuration', 'change', 'domain-policy-changed'),
  4740: k('iam', 'user,change', 'locked-out-user-account'),
  4741: k('iam', 'creation,admin', 'added-computer-account'),
  4742: k('iam', 'change,admin', 'changed-computer-account'),
  4743: k('iam', 'deletion,admin', 'deleted-computer-account'),
  4744: k('iam', 'group,creation', 'added-distribution-group-account'),
  4745: k('iam', 'group,change', 'changed-distribution-group-account'),
  4746: k('iam', 'group,change', 'added-member-to-distribution-group'),
  4747: k('iam', 'group,change', 'removed-member-from-distribution-group'),
  4748: k('iam', 'group,deletion', 'deleted-distribution-group-account'),
  4749: k('iam', 'group,creation', 'added-distribution-group-account'),
  4750: k('iam', 'group,change', 'changed-distribution-group-account'),
  4751: k('iam', 'group,change', 'added-member-to-distribution-group'),
  4752: k('iam', 'group,change', 'removed-member-from-distribution-group'),
  4753: k('iam', 'group,deletion', 'deleted-distribution-group-account'),
  4754: k('iam', 'group,creation', 'added-group-account'),
  4755: k('iam', 'group,change', 'modified-group-account'),
  4756: k('iam', 'group,change', 'added-member-to-group'),
  4757: k('iam', 'group,change', 'removed-member-from-group'),
  4758: k('iam', 'group,deletion', 'deleted-group-account'),
  4759: k('iam', 'group,creation', 'added-distribution-group-account'),
  4760: k('iam', 'group,change', 'changed-distribution-group-account'),
  4761: k('iam', 'group,change', 'added-member-to-distribution-group'),
  4762: k('iam', 'group,change', 'removed-member-from-distribution-group'),
  4763: k('iam', 'group,deletion', 'deleted-distribution-group-account'),
  4764: k('iam', 'group,change', 'type-changed-group-account'),
  4767: k('iam', 'user,change', 'unlocked-user-account'),
  4768: k('authentication', 'start', 'kerberos-authentication-ticket-requested'),
  4769: k('authentication', 'start', 'kerberos-service-ticket-requested'),
  4770: k('authentication', 'start', 'kerberos-service-ticket-renewed'),
  4771: k('authentication', 'start', 'kerberos-preauth-failed'),
  4776: k('authentication', 'start', 'credential-validated'),
  4778: k('authentication,session', 'start', 'session-reconnected'),
  4779: k('authentication,session', 'end', 'session-disconnected'),
  4781: k('iam', 'user,change', 'renamed-user-account'),
  4798: k('iam', 'user,info', 'group-membership-enumerated'),
  4799: k('iam', 'group,info', 'user-member-enumerated'),
  4817: k('iam,configuration', 'admin,change', 'object-audit-changed'),
  4902: k('iam,configuration', 'admin,creation', 'user-audit-policy-created'),
  4904: k('iam,configuration', 'admin,change', 'security-event-source-added'),
  4905: k('iam,configuration', 'admin,deletion', 'security-event-source-removed'),
  4906: k('iam,configuration', 'admin,change', 'crash-on-audit-changed'),
  4907: k('iam,configuration', 'admin,change', 'audit-setting-changed'),
  4908: k('iam,configuration', 'admin,change', 'special-group-table-changed'),
  4912: k('iam,configuration', 'admin,change', 'per-user-audit-policy-changed'),
  4950: k('configuration', 'change', 'windows-firewall-setting-changed'),
  4954: k('configuration', 'change', 'windows-firewall-group-policy-changed'),
  4964: k('iam', 'admin,group', 'logged-in-special'),
  5024: k('process', 'start', 'windows-firewall-service-started'),
  5025: k('process', 'end', 'windows-firewall-service-stopped'),
  5033: k('driver', 'start', 'windows-firewall-driver-started'),
  5034: k('driver', 'end', 'windows-firewall-driver-stopped'),
  5037: k('driver', 'end', 'windows-firewall-driver-error'),
  5140: k('network,file', 'info,access', 'network-share-object-accessed'),
  5145: k('network,file', 'info,access', 'network-share-object-access-checked'),
};

/** LogonType number → the name the pipeline writes to winlog.logon.type. */
const LOGON_TYPES: Record<string, string> = {
  '2': 'Interactive', '3': 'Network', '4': 'Batch', '5': 'Service', '7': 'Unlock',
  '8': 'NetworkCleartext', '9': 'NewCredentials', '10': 'RemoteInteractive', '11': 'CachedInteractive',
};

/** Service types of 4697, as the pipeline names them. */
const SERVICE_TYPES: Record<string, string> = {
  '0x1': 'Kernel Driver', '0x2': 'File System Driver', '0x8': 'Recognizer Driver', '0x10': 'Win32 Own Process',
  '0x20': 'Win32 Share Process', '0x110': 'Interactive Own Process', '0x120': 'Interactive Share Process',
};

/** Audit success / failure from the record's keywords (names or the 64-bit mask). */
export function auditOutcome(keywords: unknown): 'success' | 'failure' | undefined {
  const s = typeof keywords === 'number' ? String(keywords) : Array.isArray(keywords) ? keywords.join(',') : str(keywords);
  if (!s) return undefined;
  if (/audit success/i.test(s)) return 'success';
  if (/audit failure/i.test(s)) return 'failure';
  let mask: bigint;
  try {
    mask = BigInt.asUintN(64, BigInt(s.trim()));
  } catch {
    return undefined;
  }
  if (mask & 0x0020000000000000n) return 'success';
  if (mask & 0x0010000000000000n) return 'failure';
  return undefined;
}

const SIDS_OF_NOBODY = new Set(['S-1-0-0', '-']);

/** Fields of a Security record (event data with native names) onto `doc`. */
export function mapSecurityData(doc: Doc, id: number, d: Record<string, unknown>): void {
  const kind = SECURITY_EVENTS[id];
  if (id === 4688) {
    const exe = str(d.NewProcessName);
    if (exe) setPath(doc, 'process.executable', exe);
    if (exe) setPath(doc, 'process.name', basename(exe));
    setPath(doc, 'process.pid', long(d.NewProcessId));
    const cmd = str(d.CommandLine);
    if (cmd) setCommandLine(doc, 'process', cmd);
    const parent = str(d.ParentProcessName);
    if (parent) setPath(doc, 'process.parent.executable', parent);
    if (parent) setPath(doc, 'process.parent.name', basename(parent));
    setPath(doc, 'process.parent.pid', long(d.ProcessId));
  } else if (str(d.ProcessName) && str(d.ProcessName) !== '-') {
    const exe = str(d.ProcessName) as string;
    setPath(doc, 'process.executable', exe);
    setPath(doc, 'process.name', basename(exe));
    setPath(doc, 'process.pid', long(d.ProcessId));
  }
  // the user: the target of a logon, the subject otherwise
  const auth = kind?.category[0] === 'authentication';
  const pick = (a: unknown, b: unknown) => (auth ? str(a) ?? str(b) : str(b) ?? str(a));
  const user = pick(d.TargetUserName, d.SubjectUserName);
  if (user) setPath(doc, 'user.name', user);
  const domain = pick(d.TargetDomainName, d.SubjectDomainName);
  if (domain) setPath(doc, 'user.domain', domain);
  const sid = pick(d.TargetUserSid, d.SubjectUserSid);
  if (sid && !SIDS_OF_NOBODY.has(sid)) setPath(doc, 'user.id', sid);
  const logonId = pick(d.TargetLogonId, d.SubjectLogonId);
  if (logonId) setPath(doc, 'winlog.logon.id', logonId);
  const logonType = str(d.LogonType);
  if (logonType) setPath(doc, 'winlog.logon.type', LOGON_TYPES[logonType] ?? logonType);
  const ip = str(d.IpAddress);
  if (ip) setPath(doc, 'source.ip', ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1'));
  setPath(doc, 'source.port', int(d.IpPort) || undefined);
  setPath(doc, 'source.domain', str(d.WorkstationName));
  if (id === 4697) {
    setPath(doc, 'service.name', str(d.ServiceName));
    const t = str(d.ServiceType);
    if (t) setPath(doc, 'service.type', SERVICE_TYPES[t.toLowerCase()] ?? t);
  }
  if (id === 5140 || id === 5145) {
    // the shared object: the share's local path joined with the relative name (a pipe on IPC$ has no local path)
    const rel = str(d.RelativeTargetName);
    const local = str(d.ShareLocalPath)?.replace(/^\\\?\?\\/, '');
    const path = rel ? (local ? `${local.replace(/\\$/, '')}\\${rel.replace(/^\\/, '')}` : rel) : local;
    if (path) {
      const name = basename(path);
      setPath(doc, 'file.path', path);
      if (name) setPath(doc, 'file.name', name);
      setPath(doc, 'file.directory', dirname(path));
      setPath(doc, 'file.extension', extension(name));
    }
  }
}
