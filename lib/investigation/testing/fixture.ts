/**
 * A small, hand-written scenario for the investigation tests: on host WS-01, wininit.exe
 * (whose parent smss.exe is not in the data) starts lsass.exe, which writes a DLL (the alert),
 * talks to the network, resolves a domain and starts rundll32.exe → cmd.exe; logons follow.
 */
import type { Alert } from '../../detection/types';
import type { StoredEvent } from '../../events/types';

export const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const host = { name: 'ws-01.corp.example', id: 'H-1', os: { type: 'windows' } };

const ev = (index: string, id: string, source: Record<string, unknown>): StoredEvent => ({ _index: index, _id: id, _source: source });

export const SYS = 'logs-endpoint.events.process-default';

export const events: StoredEvent[] = [
  ev(SYS, 'p-wininit', {
    '@timestamp': at(-60),
    event: { category: ['process'], type: ['start'], action: 'start' },
    host,
    user: { name: 'SYSTEM', domain: 'NT AUTHORITY' },
    process: {
      entity_id: 'E1',
      pid: 500,
      name: 'wininit.exe',
      executable: 'C:\\Windows\\System32\\wininit.exe',
      command_line: 'wininit.exe',
      start: at(-60),
      parent: { entity_id: 'E0', pid: 400, name: 'smss.exe', executable: 'C:\\Windows\\System32\\smss.exe' },
      code_signature: { subject_name: 'Microsoft Windows', trusted: true },
      hash: { sha256: 'a'.repeat(64) },
    },
  }),
  ev(SYS, 'p-lsass', {
    '@timestamp': at(-59),
    event: { category: ['process'], type: ['start'] },
    host,
    user: { name: 'SYSTEM', domain: 'NT AUTHORITY' },
    process: {
      entity_id: 'E2',
      pid: 640,
      name: 'lsass.exe',
      executable: 'C:\\Windows\\System32\\lsass.exe',
      command_line: 'C:\\Windows\\system32\\lsass.exe',
      parent: { entity_id: 'E1', pid: 500, name: 'wininit.exe' },
      code_signature: { subject_name: 'Microsoft Windows', trusted: true },
      hash: { sha256: 'b'.repeat(64), md5: 'c'.repeat(32) },
    },
  }),
  ev('logs-endpoint.events.file-default', 'f-alert', {
    '@timestamp': at(0),
    event: { category: ['file'], type: ['creation'], action: 'creation' },
    host,
    user: { name: 'SYSTEM' },
    process: { entity_id: 'E2', pid: 640, name: 'lsass.exe', executable: 'C:\\Windows\\System32\\lsass.exe' },
    file: { path: 'C:\\Windows\\System32\\evil.dll', name: 'evil.dll', extension: 'dll' },
  }),
  ev('logs-endpoint.events.file-default', 'f-later', {
    '@timestamp': at(1),
    event: { category: ['file'], type: ['change'], action: 'overwrite' },
    host,
    process: { entity_id: 'E2', pid: 640, name: 'lsass.exe' },
    file: {
      path: 'C:\\Windows\\System32\\evil.dll',
      hash: { sha256: 'd'.repeat(64), sha1: 'e'.repeat(40) },
      code_signature: { exists: false },
    },
  }),
  ev('logs-endpoint.events.network-default', 'n-1', {
    '@timestamp': at(2),
    event: { category: ['network'], type: ['connection', 'start'], action: 'connection_attempted' },
    host,
    process: { entity_id: 'E2', pid: 640, name: 'lsass.exe' },
    source: { ip: '10.0.0.5', port: 50123 },
    destination: { ip: '203.0.113.5', port: 443 },
    network: { transport: 'tcp', direction: 'egress' },
  }),
  ev('logs-endpoint.events.network-default', 'd-1', {
    '@timestamp': at(1.5),
    event: { category: ['network'], type: ['protocol', 'info'], action: 'lookup_result' },
    host,
    process: { entity_id: 'E2', pid: 640, name: 'lsass.exe' },
    dns: { question: { name: 'evil.example.com', type: 'A' }, resolved_ip: ['203.0.113.5'] },
    network: { protocol: 'dns' },
  }),
  ev(SYS, 'p-rundll', {
    '@timestamp': at(3),
    event: { category: ['process'], type: ['start'] },
    host,
    user: { name: 'SYSTEM' },
    process: {
      entity_id: 'E3',
      pid: 700,
      name: 'rundll32.exe',
      executable: 'C:\\Windows\\System32\\rundll32.exe',
      command_line: 'rundll32.exe C:\\Windows\\System32\\evil.dll,Start',
      parent: { entity_id: 'E2', pid: 640, name: 'lsass.exe' },
    },
  }),
  ev('logs-endpoint.events.registry-default', 'r-1', {
    '@timestamp': at(4),
    event: { category: ['registry'], type: ['change'], action: 'modification' },
    host,
    process: { entity_id: 'E3', pid: 700, name: 'rundll32.exe' },
    registry: { path: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\evil', data: { strings: ['rundll32 evil.dll'] } },
  }),
  ev(SYS, 'p-cmd', {
    '@timestamp': at(5),
    event: { category: ['process'], type: ['start'] },
    host,
    user: { name: 'SYSTEM' },
    process: {
      entity_id: 'E4',
      pid: 800,
      name: 'cmd.exe',
      executable: 'C:\\Windows\\System32\\cmd.exe',
      command_line: 'cmd.exe /c whoami <script>alert(1)</script>',
      parent: { entity_id: 'E3', pid: 700, name: 'rundll32.exe' },
    },
  }),
  ev(SYS, 'p-sibling', {
    '@timestamp': at(-58),
    event: { category: ['process'], type: ['start'] },
    host,
    process: { entity_id: 'E5', pid: 650, name: 'services.exe', executable: 'C:\\Windows\\System32\\services.exe', parent: { entity_id: 'E1', pid: 500 } },
  }),
  ev('logs-endpoint.events.library-default', 'l-1', {
    '@timestamp': at(0.5),
    event: { category: ['library'], type: ['start'], action: 'load' },
    host,
    process: { entity_id: 'E2', pid: 640, name: 'lsass.exe' },
    dll: { path: 'C:\\Windows\\System32\\evil.dll', name: 'evil.dll' },
  }),
  // other hosts run lsass.exe too (prevalence), one runs wininit from an odd place
  ev(SYS, 'p-other-lsass', {
    '@timestamp': at(-30),
    event: { category: ['process'], type: ['start'] },
    host: { name: 'ws-02', os: { type: 'windows' } },
    process: { entity_id: 'X1', pid: 600, name: 'lsass.exe', executable: 'C:\\Windows\\System32\\lsass.exe' },
  }),
  // logons on the host: one before the alert (not shown), two after, one on another host
  ev('logs-system.security-default', 'a-before', {
    '@timestamp': at(-10),
    event: { category: ['authentication'], type: ['start'], code: '4624', outcome: 'success' },
    host,
    user: { name: 'alice', domain: 'CORP' },
    winlog: { logon: { type: 'Interactive' } },
  }),
  ev('logs-system.security-default', 'a-1', {
    '@timestamp': at(10),
    event: { category: ['authentication'], type: ['start'], code: '4624', outcome: 'success' },
    host,
    user: { name: 'admin', domain: 'CORP' },
    source: { ip: '10.0.0.9' },
    winlog: { event_data: { LogonType: '3' } },
  }),
  ev('logs-system.security-default', 'a-2', {
    '@timestamp': at(20),
    event: { category: ['authentication'], type: ['start'], code: '4625', outcome: 'failure' },
    host: { name: 'WS-01' },
    winlog: { event_id: 4625, event_data: { TargetUserName: 'bob', LogonType: '10', IpAddress: '198.51.100.7' } },
  }),
  ev('logs-system.security-default', 'a-other', {
    '@timestamp': at(10),
    event: { category: ['authentication'], code: '4624' },
    host: { name: 'ws-02' },
    user: { name: 'carol' },
  }),
];

export const alertEvent = events.find((e) => e._id === 'f-alert') as StoredEvent;

export function makeAlert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'alert-1',
    ruleId: 'e94262f2-c1e9-4d3f-a907-aeab16712e1a',
    ruleVersion: 111,
    ruleName: 'Unusual Executable File Creation by a System Critical Process',
    severity: 'high',
    riskScore: 73,
    mitre: [],
    event: alertEvent,
    sequenceEvents: null,
    timestamp: at(0),
    createdAt: at(1),
    runId: 'run-1',
    status: 'open',
    verdict: null,
    assignee: null,
    hostName: 'ws-01.corp.example',
    userName: 'SYSTEM',
    processName: 'lsass.exe',
    processEntityId: 'E2',
    filePath: 'C:\\Windows\\System32\\evil.dll',
    version: 1,
    ...over,
  };
}

export { at };
