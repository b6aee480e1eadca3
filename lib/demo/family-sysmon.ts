/**
 * Sysmon documents as Elastic ships them: `winlog.*` plus the ECS fields of the Sysmon
 * ingest processing. Two variants:
 * - Winlogbeat (`winlogbeat-*`): `event.module: sysmon`, no `event.ingested` (no ingest
 *   pipeline stamps it), host metadata from `add_host_metadata` — or none at all for a
 *   host whose Winlogbeat lacks that processor (then `host.os.type` is missing);
 * - Elastic Agent's Windows integration (`logs-windows.sysmon_operational-*`):
 *   `data_stream.*`, `event.dataset`, `event.ingested`, upper-case ProcessGuids.
 */
import type { Rng } from './rng';
import { commandLineFields, type DnsOp, type FamilyEmitter, type FileOp, hiveOf, iso, type NetOp, type Proc, type RegOp, type Source } from './model';
import { DEMO_INDICES, DEMO_NAMESPACE, type DemoHost, extension, fileFields, fqdn } from './world';

type Variant = 'winlogbeat' | 'integration';

const SYSMON_PROVIDER_GUID = '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}';

function utcTime(t: number): string {
  return iso(t).replace('T', ' ').slice(0, 23);
}

/** `agent` of an event that Winlogbeat `version` shipped from `host`. */
export function winlogbeatAgent(host: DemoHost, version: string): Source {
  return { type: 'winlogbeat', version, name: host.name, id: host.agentId, hostname: host.name };
}

/** The fields Elastic Agent's Windows integration adds to an event of `dataset` read at `t`: ingest time (a few seconds to a minute later), agent, data stream, input. */
export function shippedByAgent(src: Source, event: Source, host: DemoHost, rng: Rng, t: number, dataset: string): void {
  event.ingested = iso(t + rng.int(1_500, 40_000));
  src.agent = { type: 'filebeat', version: '8.15.3', name: host.name, id: host.agentId };
  src.elastic_agent = { id: host.agentId, snapshot: false, version: '8.15.3' };
  src.data_stream = { dataset, namespace: DEMO_NAMESPACE, type: 'logs' };
  src.input = { type: 'winlog' };
}

export function beatHost(host: DemoHost): Source {
  if (host.noHostMetadata) return { name: host.name };
  return {
    name: host.name,
    hostname: host.name,
    id: host.id,
    ip: [host.ip],
    mac: [host.mac],
    architecture: 'x86_64',
    os: {
      build: host.os.build,
      family: 'windows',
      kernel: host.os.kernel.replace(/^.*\(|\)$/g, ''),
      name: host.os.name,
      platform: 'windows',
      type: 'windows',
      version: host.os.version.split(' ')[0],
    },
  };
}

interface SysmonEvent {
  code: number;
  action: string;
  task: string;
  category: string[];
  type: string[];
}

const EV = {
  processCreate: { code: 1, action: 'Process Create (rule: ProcessCreate)', task: 'Process Create (rule: ProcessCreate)', category: ['process'], type: ['start'] },
  network: { code: 3, action: 'Network connection detected (rule: NetworkConnect)', task: 'Network connection detected (rule: NetworkConnect)', category: ['network'], type: ['connection', 'start', 'protocol'] },
  processEnd: { code: 5, action: 'Process terminated (rule: ProcessTerminate)', task: 'Process terminated (rule: ProcessTerminate)', category: ['process'], type: ['end'] },
  imageLoad: { code: 7, action: 'Image loaded (rule: ImageLoad)', task: 'Image loaded (rule: ImageLoad)', category: ['process'], type: ['change'] },
  fileCreate: { code: 11, action: 'File created (rule: FileCreate)', task: 'File created (rule: FileCreate)', category: ['file'], type: ['creation'] },
  registrySet: { code: 13, action: 'Registry value set (rule: RegistryEvent)', task: 'Registry value set (rule: RegistryEvent)', category: ['configuration', 'registry'], type: ['change'] },
  dns: { code: 22, action: 'Dns query (rule: DnsQuery)', task: 'Dns query (rule: DnsQuery)', category: ['network'], type: ['connection', 'protocol', 'info'] },
  fileDelete: { code: 23, action: 'File Delete archived (rule: FileDelete)', task: 'File Delete archived (rule: FileDelete)', category: ['file'], type: ['deletion'] },
} satisfies Record<string, SysmonEvent>;

function makeSysmon(variant: Variant): FamilyEmitter {
  const index = variant === 'winlogbeat' ? DEMO_INDICES.winlogbeat : DEMO_INDICES.sysmon;

  function guid(g: string): string {
    return variant === 'integration' ? g.toUpperCase() : g;
  }

  function base(rng: Rng, host: DemoHost, t: number, ev: SysmonEvent, eventData: Source, message: string): Source {
    const beatVersion = host.noHostMetadata ? '7.17.25' : '8.15.3';
    const event: Source = {
      action: ev.action,
      category: ev.category,
      code: String(ev.code),
      created: iso(t + rng.int(100, 1500)),
      kind: 'event',
      provider: 'Microsoft-Windows-Sysmon',
      type: ev.type,
    };
    const src: Source = {
      '@timestamp': iso(t),
      ecs: { version: host.noHostMetadata ? '1.12.0' : '8.0.0' },
      event,
      host: beatHost(host),
      log: { level: 'information' },
      message,
      winlog: {
        api: 'wineventlog',
        channel: 'Microsoft-Windows-Sysmon/Operational',
        computer_name: fqdn(host),
        event_id: String(ev.code),
        opcode: 'Info',
        process: { pid: 2984, thread: { id: rng.int(400, 9000) } },
        provider_guid: SYSMON_PROVIDER_GUID,
        provider_name: 'Microsoft-Windows-Sysmon',
        record_id: '0',
        task: ev.task,
        user: { domain: 'NT AUTHORITY', identifier: 'S-1-5-18', name: 'SYSTEM', type: 'User' },
        version: ev.code === 1 ? 5 : ev.code === 3 ? 5 : 2,
        event_data: { RuleName: '-', UtcTime: utcTime(t), ...eventData },
      },
    };
    if (variant === 'winlogbeat') {
      event.module = 'sysmon';
      src.agent = winlogbeatAgent(host, beatVersion);
    } else {
      event.dataset = 'windows.sysmon_operational';
      event.module = 'windows';
      shippedByAgent(src, event, host, rng, t, 'windows.sysmon_operational');
    }
    return src;
  }

  function brief(p: Proc): Source {
    return { entity_id: guid(p.entityId), pid: p.pid, executable: p.exe.path, name: p.name };
  }

  function userOf(p: Proc): Source {
    // user.id is the SID of the account that wrote the record (the Sysmon service)
    return { domain: p.user.domain, name: p.user.name, id: 'S-1-5-18' };
  }

  /** Sysmon 13+ puts the acting user on most events; older builds only on event 1 */
  function eventUser(p: Proc): Source {
    return variant === 'integration' ? { User: `${p.user.domain}\\${p.user.name}` } : {};
  }

  function withUser(src: Source, p: Proc): Source {
    if (variant === 'integration') {
      src.user = userOf(p);
      src.related = { user: [p.user.name] };
    }
    return src;
  }

  const emitter: FamilyEmitter = {
    family: variant === 'winlogbeat' ? 'winlogbeat' : 'sysmon',

    newEntityId(rng, host, _pid, start) {
      const hostPart = host.id.slice(0, 8);
      const timePart = Math.floor(start / 1000).toString(16).slice(-4);
      return `{${hostPart}-${timePart}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(8)}0000}`;
    },

    processStart(rng, p, t) {
      const hashes = p.hashes;
      const data: Source = {
        IntegrityLevel: p.integrity[0]!.toUpperCase() + p.integrity.slice(1),
        LogonGuid: guid(`{${p.host.id.slice(0, 8)}-${rng.hex(4)}-${rng.hex(4)}-${p.logonId.slice(2).padStart(8, '0').slice(-4)}-${p.logonId.slice(2).padStart(12, '0')}}`),
        LogonId: p.logonId,
        TerminalSessionId: String(p.sessionId),
        Company: p.exe.company ?? '-',
        Description: p.exe.description ?? '-',
        FileVersion: p.exe.fileVersion ?? '-',
        Product: p.exe.company === 'Microsoft Corporation' ? 'Microsoft® Windows® Operating System' : (p.exe.description ?? '-'),
      };
      const src = base(rng, p.host, t, EV.processCreate, data, `Process Create:\nImage: ${p.exe.path}\nCommandLine: ${p.commandLine}`);
      const proc: Source = {
        ...brief(p),
        ...commandLineFields(p),
        working_directory: p.workingDirectory,
        pe: {
          company: p.exe.company,
          description: p.exe.description,
          file_version: p.exe.fileVersion,
          original_file_name: p.exe.originalFileName ?? p.name,
          product: data.Product,
        },
      };
      if (hashes) {
        proc.hash = { sha256: hashes.sha256, md5: hashes.md5 };
        src.hash = { sha256: hashes.sha256, md5: hashes.md5 };
      }
      if (p.parent) {
        proc.parent = {
          entity_id: guid(p.parent.entityId),
          pid: p.parent.pid,
          executable: p.parent.exe.path,
          name: p.parent.name,
          ...commandLineFields(p.parent),
        };
      }
      src.process = proc;
      src.user = userOf(p);
      src.related = { user: [p.user.name], ...(hashes ? { hash: [hashes.sha256, hashes.md5] } : {}) };
      return { _index: index, _source: src };
    },

    processEnd(rng, p, t) {
      const src = base(rng, p.host, t, EV.processEnd, eventUser(p), `Process terminated:\nImage: ${p.exe.path}`);
      src.process = brief(p);
      return { _index: index, _source: withUser(src, p) };
    },

    file(rng, p, t, op: FileOp) {
      const ev = op.action === 'deletion' ? EV.fileDelete : EV.fileCreate;
      const data: Source = { TargetFilename: op.path, ...eventUser(p) };
      if (op.action !== 'deletion') data.CreationUtcTime = utcTime(t - (op.action === 'overwrite' ? 86_400_000 * 30 : 0));
      const src = base(rng, p.host, t, ev, data, `${op.action === 'deletion' ? 'File Delete archived' : 'File created'}:\nTargetFilename: ${op.path}`);
      src.process = brief(p);
      const ext = extension(op.path);
      src.file = fileFields(op.path);
      if (op.action === 'deletion') {
        const lower = (ext ?? '').toLowerCase();
        src.sysmon = { file: { archived: true, is_executable: lower === 'exe' || lower === 'dll' } };
      }
      return { _index: index, _source: withUser(src, p) };
    },

    network(rng, p, t, op: NetOp) {
      const data: Source = {
        Protocol: op.transport,
        Initiated: op.direction === 'egress' ? 'true' : 'false',
        SourceIsIpv6: 'false',
        DestinationIsIpv6: 'false',
        ...eventUser(p),
      };
      const src = base(rng, p.host, t, EV.network, data, `Network connection detected:\nImage: ${p.exe.path}\nDestinationIp: ${op.dstIp}`);
      src.process = brief(p);
      src.source = { ip: op.srcIp, port: op.srcPort };
      src.destination = { ip: op.dstIp, port: op.dstPort };
      src.network = { transport: op.transport, type: 'ipv4', direction: op.direction, ...(op.dstPort === 443 ? { protocol: 'https' } : {}) };
      src.related = { ip: [op.srcIp, op.dstIp] };
      if (variant === 'integration') {
        src.user = userOf(p);
        src.related = { ip: [op.srcIp, op.dstIp], user: [p.user.name] };
      }
      return { _index: index, _source: src };
    },

    dns(rng, p, t, op: DnsOp) {
      const data: Source = {
        QueryName: op.name,
        QueryStatus: op.answers.length ? '0' : '9003',
        QueryResults: op.answers.map((a) => `::ffff:${a};`).join(''),
        ...eventUser(p),
      };
      const src = base(rng, p.host, t, EV.dns, data, `Dns query:\nQueryName: ${op.name}`);
      src.process = brief(p);
      src.dns = {
        question: { name: op.name },
        answers: op.answers.map((a) => ({ data: a, type: 'A' })),
        resolved_ip: op.answers,
      };
      src.network = { protocol: 'dns' };
      src.sysmon = { dns: { status: op.answers.length ? 'SUCCESS' : 'DNS_ERROR_RCODE_NAME_ERROR' } };
      return { _index: index, _source: withUser(src, p) };
    },

    registry(rng, p, t, op: RegOp) {
      const { hive, key, value } = hiveOf(op.path);
      const details = op.dataType === 'REG_DWORD' ? `DWORD (0x${Number(op.data).toString(16).padStart(8, '0')})` : op.data;
      const data: Source = { EventType: 'SetValue', TargetObject: op.path, Details: details, ...eventUser(p) };
      const src = base(rng, p.host, t, EV.registrySet, data, `Registry value set:\nTargetObject: ${op.path}`);
      src.process = brief(p);
      src.registry = { hive, key, value, path: op.path, data: { strings: [details], type: op.dataType === 'REG_DWORD' ? 'SZ_DWORD' : 'SZ' } };
      return { _index: index, _source: withUser(src, p) };
    },

    imageLoad(rng, p, t, dllPath) {
      const data: Source = { ImageLoaded: dllPath, Signed: 'true', Signature: 'Microsoft Windows', SignatureStatus: 'Valid', ...eventUser(p) };
      const src = base(rng, p.host, t, EV.imageLoad, data, `Image loaded:\nImageLoaded: ${dllPath}`);
      src.process = brief(p);
      src.file = {
        ...fileFields(dllPath),
        code_signature: { exists: true, signed: true, subject_name: 'Microsoft Windows', status: 'Valid', valid: true },
      };
      return { _index: index, _source: withUser(src, p) };
    },
  };
  return emitter;
}

export const winlogbeatSysmon = makeSysmon('winlogbeat');
export const integrationSysmon = makeSysmon('integration');
