/**
 * The ECS fields Elastic's Windows integration writes, from hand-made records of each shape:
 * process.args / args_count / parent.args, data_stream.*, the Security categorisation and
 * fields, Sysmon's Initiated in either case, Endgame snapshots as info.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeDocument, type Doc } from '@/lib/events/normalize';
import { splitCommandLine } from '@/lib/events/normalize/cmdline';
import { DATASETS } from './helpers';

function at(doc: Doc, path: string): unknown {
  let cur: unknown = doc;
  for (const p of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Doc)[p] : undefined;
  return cur;
}

function evtx(provider: string, channel: string, id: number, data: Record<string, string>): Doc {
  return {
    Event: {
      System: {
        Provider: { '#attributes': { Name: provider } },
        EventID: { '#text': String(id) },
        Channel: channel,
        Computer: 'WS01.corp.local',
        EventRecordID: '7',
        Keywords: '0x8020000000000000',
        TimeCreated: { '#attributes': { SystemTime: '2021-04-22T22:09:26.157Z' } },
      },
      EventData: data,
    },
  };
}

const SYSMON = 'Microsoft-Windows-Sysmon';
const SYSMON_CH = 'Microsoft-Windows-Sysmon/Operational';
const SECURITY = 'Microsoft-Windows-Security-Auditing';

describe('process.args', () => {
  it('Sysmon 1 (EVTX JSON): args, args_count and parent args split as Windows does', () => {
    const { source, index } = normalizeDocument(evtx(SYSMON, SYSMON_CH, 1, {
      UtcTime: '2021-04-22 22:09:26.157',
      ProcessGuid: '{747F3D96-F416-6081-0000-001033034A00}',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: '"C:\\Windows\\system32\\cmd.exe" /c "echo \\"hi\\" > C:\\x y\\a.txt"',
      ParentImage: 'C:\\Windows\\explorer.exe',
      ParentCommandLine: 'C:\\Windows\\Explorer.EXE',
    }));
    expect(at(source, 'process.args')).toEqual(['C:\\Windows\\system32\\cmd.exe', '/c', 'echo "hi" > C:\\x y\\a.txt']);
    expect(at(source, 'process.args_count')).toBe(3);
    expect(at(source, 'process.parent.args')).toEqual(['C:\\Windows\\Explorer.EXE']);
    expect(at(source, 'process.parent.args_count')).toBe(1);
    expect(at(source, 'data_stream')).toEqual({ type: 'logs', dataset: 'windows.sysmon_operational', namespace: 'default' });
    expect(index).toBe('logs-windows.sysmon_operational-default');
    // no host id in the record: none is made up
    expect(at(source, 'host.id')).toBeUndefined();
  });

  it('OTRF flat Security 4688: args from CommandLine; system.security data stream', () => {
    const { source, index } = normalizeDocument({
      SourceName: SECURITY, EventID: 4688, Channel: 'Security', Hostname: 'WORKSTATION5', TimeCreated: '2020-10-19T07:30:42.056Z',
      NewProcessName: 'C:\\Windows\\System32\\reg.exe', NewProcessId: '0x1a2c', ProcessId: '0x10',
      CommandLine: 'reg  save HKLM\\SAM "C:\\Temp Dir\\sam.save"', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
      SubjectUserName: 'wardog', SubjectDomainName: 'WORKSTATION5', SubjectUserSid: 'S-1-5-21-1-2-3-1104', SubjectLogonId: '0x3e7',
    });
    expect(at(source, 'process.args')).toEqual(['reg', 'save', 'HKLM\\SAM', 'C:\\Temp Dir\\sam.save']);
    expect(at(source, 'process.args_count')).toBe(4);
    expect(at(source, 'process.parent.name')).toBe('cmd.exe');
    expect(at(source, 'event.category')).toEqual(['process']);
    expect(at(source, 'user.id')).toBe('S-1-5-21-1-2-3-1104');
    expect(at(source, 'winlog.logon.id')).toBe('0x3e7');
    expect(index).toBe('logs-system.security-default');
  });

  it('Endgame: args from command_line; already_running is a snapshot (info), not a start', () => {
    const snap = normalizeDocument({
      event_type: 'process', subtype: 'create', event_subtype_full: 'already_running', timestamp: 131485996510000000,
      unique_pid: 2, pid: 4, process_name: 'svchost.exe', command_line: 'C:\\Windows\\system32\\svchost.exe -k netsvcs',
    }).source;
    expect(at(snap, 'event.type')).toEqual(['info']);
    expect(at(snap, 'event.action')).toBe('already_running');
    expect(at(snap, 'process.args')).toEqual(['C:\\Windows\\system32\\svchost.exe', '-k', 'netsvcs']);
    const start = normalizeDocument({
      event_type: 'process', subtype: 'create', event_subtype_full: 'creation_event', timestamp: 131485996510000000,
      unique_pid: 3, pid: 5, process_name: 'cmd.exe',
    }).source;
    expect(at(start, 'event.type')).toEqual(['start']);
    expect(at(start, 'process.args')).toBeUndefined();
  });

  it('Winlogbeat 7+ documents without a split get one; a split they carry is kept', () => {
    const base = {
      '@timestamp': '2020-10-27T20:00:14.320Z',
      winlog: { channel: SYSMON_CH, provider_name: SYSMON, event_id: '1', event_data: {} },
      event: { code: '1', module: 'sysmon' },
    };
    const split = normalizeDocument({ ...base, process: { command_line: 'a.exe "b c"', parent: { command_line: 'p.exe x' } } }).source;
    expect(at(split, 'process.args')).toEqual(['a.exe', 'b c']);
    expect(at(split, 'process.parent.args')).toEqual(['p.exe', 'x']);
    const kept = normalizeDocument({ ...base, process: { command_line: 'a.exe "b c"', args: ['given'], args_count: 1 } }).source;
    expect(at(kept, 'process.args')).toEqual(['given']);
  });
});

describe('Sysmon fields as the sysmon pipeline writes them', () => {
  it('7: the loaded image is the file, with its hashes, PE resource and signature', () => {
    const { source } = normalizeDocument(evtx(SYSMON, SYSMON_CH, 7, {
      UtcTime: '2021-04-22 22:09:26.157', Image: 'C:\\x\\CV.exe', ImageLoaded: 'C:\\ProgramData\\Intel\\wwlib.dll',
      Hashes: 'SHA1=AB,MD5=CD', OriginalFileName: 'wwlib.dll', Company: 'Microsoft Corporation',
      Signed: 'false', Signature: '-', SignatureStatus: 'Unavailable',
    }));
    expect(at(source, 'file.path')).toBe('C:\\ProgramData\\Intel\\wwlib.dll');
    expect(at(source, 'file.hash')).toEqual({ sha1: 'ab', md5: 'cd' });
    expect(at(source, 'file.pe.original_file_name')).toBe('wwlib.dll');
    expect(at(source, 'file.pe.company')).toBe('Microsoft Corporation');
    expect(at(source, 'file.code_signature.status')).toBe('Unavailable');
    expect(at(source, 'file.code_signature.signed')).toBeUndefined();
    expect(at(source, 'process.pe')).toBeUndefined();
    expect(at(source, 'process.hash')).toBeUndefined();
  });

  it("the record writer's SID stays in winlog.user.identifier, not user.id (it is the Sysmon service)", () => {
    const raw = evtx(SYSMON, SYSMON_CH, 11, { UtcTime: '2021-04-22 22:09:26.157', Image: 'C:\\x.exe', TargetFilename: 'C:\\a.txt' });
    ((raw.Event as Doc).System as Doc).Security = { '#attributes': { UserID: 'S-1-5-18' } };
    const { source } = normalizeDocument(raw);
    expect(at(source, 'winlog.user.identifier')).toBe('S-1-5-18');
    expect(at(source, 'user.id')).toBeUndefined();
  });

  it('22: network.protocol dns', () => {
    const { source } = normalizeDocument(evtx(SYSMON, SYSMON_CH, 22, { UtcTime: '2021-04-22 22:09:26.157', QueryName: 'example.org' }));
    expect(at(source, 'network.protocol')).toBe('dns');
    expect(at(source, 'dns.question.name')).toBe('example.org');
  });
});

describe('data_stream of Elastic Defend documents', () => {
  it('one without data_stream gets the endpoint data stream its index names; one with it keeps it', () => {
    const base = { '@timestamp': '2020-03-02T10:00:00Z', agent: { type: 'endpoint' }, event: { module: 'endpoint', dataset: 'endpoint.events.file', category: ['file'] } };
    const got = normalizeDocument(base);
    expect(got.index).toBe('logs-endpoint.events.file-default');
    expect(at(got.source, 'data_stream')).toEqual({ type: 'logs', dataset: 'endpoint.events.file', namespace: 'default' });
    expect(base).not.toHaveProperty('data_stream');
    const own = normalizeDocument({ ...base, data_stream: { type: 'logs', dataset: 'endpoint.events.file', namespace: 'prod' } });
    expect(own.index).toBe('logs-endpoint.events.file-prod');
    expect(at(own.source, 'data_stream.namespace')).toBe('prod');
  });
});

describe('the splitter against the split Windows made', () => {
  it('Winlogbeat and Defend Windows documents: our split of command_line equals the args they carry', () => {
    const files = fs.readdirSync(DATASETS, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.json$/.test(e.name) && /elastic-(winlogbeat-sysmon|endpoint-package)/.test(e.parentPath))
      .map((e) => path.join(e.parentPath, e.name));
    let checked = 0;
    for (const f of files) {
      const parsed = JSON.parse(fs.readFileSync(f, 'utf8')) as Doc | Doc[];
      for (const doc of Array.isArray(parsed) ? parsed : [parsed]) {
        if (at(doc, 'host.os.type') === 'linux' || at(doc, 'host.os.family') === 'linux') continue;
        for (const prefix of ['process', 'process.parent']) {
          const cmd = at(doc, `${prefix}.command_line`);
          const args = at(doc, `${prefix}.args`);
          if (typeof cmd !== 'string' || !Array.isArray(args)) continue;
          expect(splitCommandLine(cmd), `${path.basename(f)} ${cmd}`).toEqual(args);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});

describe('Sysmon network direction', () => {
  it.each([['true', 'egress'], ['True', 'egress'], ['false', 'ingress'], ['False', 'ingress']])('Initiated %s → %s', (initiated, direction) => {
    const { source } = normalizeDocument(evtx(SYSMON, SYSMON_CH, 3, {
      UtcTime: '2021-04-22 22:09:26.157', Image: 'C:\\x.exe', Initiated: initiated, SourceIp: '10.0.0.1', DestinationIp: '10.0.0.2',
    }));
    expect(at(source, 'network.direction')).toBe(direction);
  });
});

describe('Security events beyond logons and processes (system.security pipeline)', () => {
  it('4697: service-installed, iam + configuration, service.name; outcome from the keywords', () => {
    const { source } = normalizeDocument(evtx(SECURITY, 'Security', 4697, {
      SubjectUserName: 'admin', SubjectDomainName: 'CORP', ServiceName: 'evil', ServiceFileName: '%COMSPEC% /c whoami', ServiceType: '0x10',
    }));
    expect(at(source, 'event.category')).toEqual(['iam', 'configuration']);
    expect(at(source, 'event.type')).toEqual(['admin', 'change']);
    expect(at(source, 'event.action')).toBe('service-installed');
    expect(at(source, 'event.outcome')).toBe('success');
    expect(at(source, 'service.name')).toBe('evil');
    expect(at(source, 'service.type')).toBe('Win32 Own Process');
  });

  it('4698: scheduled-task-created', () => {
    const { source } = normalizeDocument(evtx(SECURITY, 'Security', 4698, { SubjectUserName: 'bob', TaskName: '\\t1' }));
    expect(at(source, 'event.action')).toBe('scheduled-task-created');
    expect(at(source, 'event.category')).toEqual(['iam', 'configuration']);
    expect(at(source, 'event.type')).toEqual(['creation', 'admin']);
  });

  it('5145: a pipe on IPC$ is the file; the share path joined to the relative name otherwise', () => {
    const pipe = normalizeDocument(evtx(SECURITY, 'Security', 5145, {
      SubjectUserName: 'WS02$', ShareName: '\\\\*\\IPC$', RelativeTargetName: 'srvsvc', IpAddress: '::ffff:10.0.2.17', IpPort: '49700',
    })).source;
    expect(at(pipe, 'event.category')).toEqual(['network', 'file']);
    expect(at(pipe, 'event.action')).toBe('network-share-object-access-checked');
    expect(at(pipe, 'file.name')).toBe('srvsvc');
    expect(at(pipe, 'source.ip')).toBe('10.0.2.17');
    expect(at(pipe, 'source.port')).toBe(49700);
    const doc = normalizeDocument(evtx(SECURITY, 'Security', 5145, {
      ShareName: '\\\\*\\C$', ShareLocalPath: '\\??\\C:\\', RelativeTargetName: 'Windows\\Temp\\a.exe',
    })).source;
    expect(at(doc, 'file.path')).toBe('C:\\Windows\\Temp\\a.exe');
    expect(at(doc, 'file.extension')).toBe('exe');
  });

  it('4624: logon type by name, the target user', () => {
    const { source } = normalizeDocument(evtx(SECURITY, 'Security', 4624, {
      LogonType: '3', TargetUserName: 'alice', TargetDomainName: 'CORP', TargetLogonId: '0xabc', SubjectUserName: 'WS01$',
    }));
    expect(at(source, 'winlog.logon.type')).toBe('Network');
    expect(at(source, 'winlog.logon.id')).toBe('0xabc');
    expect(at(source, 'user.name')).toBe('alice');
  });

  it('1102 from the Eventlog provider on the Security channel: audit-log-cleared', () => {
    const { source } = normalizeDocument(evtx('Microsoft-Windows-Eventlog', 'Security', 1102, { SubjectUserName: 'x' }));
    expect(at(source, 'event.action')).toBe('audit-log-cleared');
  });

  it('System and other channels: their data stream, no categorisation (the integration sets none)', () => {
    const sys = normalizeDocument(evtx('Service Control Manager', 'System', 7045, { ServiceName: 'x' }));
    expect(sys.index).toBe('logs-system.system-default');
    expect(at(sys.source, 'event.category')).toBeUndefined();
    const ps = normalizeDocument(evtx('Microsoft-Windows-PowerShell', 'Microsoft-Windows-PowerShell/Operational', 4103, {}));
    expect(ps.index).toBe('logs-windows.powershell_operational-default');
    const other = normalizeDocument(evtx('Microsoft-Windows-TaskScheduler', 'Microsoft-Windows-TaskScheduler/Operational', 106, {}));
    expect(other.index).toBe('logs-windows.forwarded-default');
  });
});
