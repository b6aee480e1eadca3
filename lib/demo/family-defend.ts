/**
 * Elastic Defend documents (`logs-endpoint.events.*`): ECS with process entity ids,
 * ancestry, code signatures and hashes, host.os.type, and `event.ingested` set by the
 * Fleet ingest pipeline.
 */
import type { Rng } from './rng';
import {
  ancestry,
  commandLineFields,
  type Draft,
  type FamilyEmitter,
  type FileOp,
  hiveOf,
  iso,
  iso7,
  type Proc,
  type Source,
} from './model';
import { basename, DEMO_INDICES, DEMO_NAMESPACE, type DemoHost, extension, type Executable, fileFields } from './world';

const AGENT_VERSION = '8.15.3';

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function defendHost(host: DemoHost): Source {
  return {
    hostname: host.name,
    name: host.name,
    id: host.id,
    ip: [host.ip, `fe80::${host.mac.slice(-5).replace('-', '').toLowerCase()}:1a2b:3c4d:5e6f`],
    mac: [host.mac],
    architecture: 'x86_64',
    os: {
      Ext: { variant: host.os.name },
      family: 'windows',
      full: host.os.full,
      kernel: host.os.kernel,
      name: 'Windows',
      platform: 'windows',
      type: 'windows',
      version: host.os.version,
    },
  };
}

function signature(exe: Executable): Source {
  if (!exe.signer) return { exists: false };
  return { exists: true, subject_name: exe.signer.subject, trusted: exe.signer.trusted, status: exe.signer.status };
}

function user(p: Proc): Source {
  return { id: p.user.id, name: p.user.name, domain: p.user.domain };
}

/** which process: the fields every process block starts with */
function identity(p: Proc): Source {
  return { entity_id: p.entityId, pid: p.pid, name: p.name, executable: p.exe.path };
}

/** the process block of non-process events */
function brief(p: Proc): Source {
  const out: Source = {
    ...identity(p),
    code_signature: signature(p.exe),
    Ext: { ancestry: ancestry(p) },
  };
  if (p.parent) out.parent = { entity_id: p.parent.entityId, pid: p.parent.pid };
  return out;
}

function full(p: Proc): Source {
  const out: Source = {
    ...identity(p),
    ...commandLineFields(p),
    working_directory: p.workingDirectory,
    code_signature: signature(p.exe),
    Ext: {
      ancestry: ancestry(p),
      token: { integrity_level_name: p.integrity, elevation: p.integrity === 'high' || p.integrity === 'system' },
      authentication_id: p.logonId,
      session_info: { id: p.sessionId },
    },
    pe: {
      original_file_name: p.exe.originalFileName ?? p.name,
      company: p.exe.company,
      description: p.exe.description,
      file_version: p.exe.fileVersion,
    },
  };
  if (p.hashes) out.hash = { ...p.hashes };
  if (p.parent) {
    out.parent = {
      ...identity(p.parent),
      ...commandLineFields(p.parent),
      code_signature: signature(p.parent.exe),
    };
  }
  return out;
}

function base(rng: Rng, p: Proc, t: number, dataset: string, event: Source, message: string): Source {
  const ingestDelay = rng.int(2_000, 45_000);
  return {
    '@timestamp': iso7(t, rng),
    agent: { id: p.host.agentId, type: 'endpoint', version: AGENT_VERSION },
    data_stream: { dataset, namespace: DEMO_NAMESPACE, type: 'logs' },
    ecs: { version: '8.10.0' },
    event: {
      agent_id_status: 'verified',
      kind: 'event',
      module: 'endpoint',
      dataset,
      created: iso7(t, rng),
      // Fleet's pipeline stamps ingested time with second precision
      ingested: `${iso(Math.floor((t + ingestDelay) / 1000) * 1000).slice(0, 19)}Z`,
      id: `N${rng.docId().slice(0, 11)}+++++${rng.docId().slice(0, 3)}`,
      ...event,
    },
    host: defendHost(p.host),
    message,
    user: user(p),
  };
}

export const defend: FamilyEmitter = {
  family: 'defend',

  newEntityId(rng, host, pid, start) {
    const secs = (start + 11644473600000) / 1000;
    return b64(`${host.agentId}-${pid}-${Math.floor(secs)}.${String(rng.int(0, 9999999)).padStart(7, '0')}`);
  },

  processStart(rng, p, t) {
    const src = base(rng, p, t, 'endpoint.events.process',
      { action: 'start', category: ['process'], type: ['start'] }, 'Endpoint process event');
    src.process = { ...full(p), start: iso(p.start) };
    return { _index: DEMO_INDICES.defendProcess, _source: src };
  },

  processEnd(rng, p, t) {
    const src = base(rng, p, t, 'endpoint.events.process',
      { action: 'end', category: ['process'], type: ['end'] }, 'Endpoint process event');
    src.process = { ...full(p), start: iso(p.start), end: iso(t), exit_code: 0 };
    return { _index: DEMO_INDICES.defendProcess, _source: src };
  },

  file(rng, p, t, op: FileOp) {
    const type = op.action === 'creation' ? 'creation' : op.action === 'deletion' ? 'deletion' : 'change';
    const src = base(rng, p, t, 'endpoint.events.file',
      { action: op.action, category: ['file'], type: [type] }, 'Endpoint file event');
    src.process = brief(p);
    const ext = extension(op.path);
    const fileExt: Source = { monotonic_id: rng.int(1000, 90000) };
    if (op.action !== 'deletion') {
      const pe = ext !== undefined && ['exe', 'dll', 'sys'].includes(ext.toLowerCase());
      fileExt.header_bytes = op.headerBytes ?? (pe ? '4d5a90000300000004000000ffff0000' : rng.hex(32));
      fileExt.entropy = Math.round((3 + rng.next() * 4.5) * 1000) / 1000;
      fileExt.windows = { zone_identifier: op.zone ?? -1 };
    }
    src.file = {
      ...fileFields(op.path),
      ...(op.size === undefined ? {} : { size: op.size }),
      ...(op.hashes && op.action !== 'deletion' ? { hash: { md5: op.hashes.md5, sha1: op.hashes.sha1, sha256: op.hashes.sha256 } } : {}),
      Ext: fileExt,
    };
    return { _index: DEMO_INDICES.defendFile, _source: src };
  },

  network(rng, p, t, op) {
    const src = base(rng, p, t, 'endpoint.events.network',
      {
        action: op.direction === 'egress' ? 'connection_attempted' : 'connection_accepted',
        category: ['network'],
        type: ['start'],
      },
      'Endpoint network event');
    src.process = brief(p);
    src.source = { ip: op.srcIp, address: op.srcIp, port: op.srcPort };
    src.destination = { ip: op.dstIp, address: op.dstIp, port: op.dstPort };
    src.network = { transport: op.transport, type: 'ipv4', direction: op.direction };
    return { _index: DEMO_INDICES.defendNetwork, _source: src };
  },

  dns(rng, p, t, op) {
    const src = base(rng, p, t, 'endpoint.events.network',
      { action: 'lookup_result', category: ['network'], type: ['protocol', 'info'] }, 'Endpoint DNS event');
    src.process = brief(p);
    src.dns = {
      question: { name: op.name, type: 'A' },
      resolved_ip: op.answers,
      Ext: { status: op.answers.length ? 0 : 9003 },
    };
    src.network = { protocol: 'dns' };
    return { _index: DEMO_INDICES.defendNetwork, _source: src };
  },

  registry(rng, p, t, op) {
    const src = base(rng, p, t, 'endpoint.events.registry',
      { action: 'modification', category: ['registry'], type: ['change'] }, 'Endpoint registry event');
    src.process = brief(p);
    const { hive, key, value } = hiveOf(op.path);
    src.registry = { hive, key, value, path: op.path, data: { strings: [op.data], type: op.dataType } };
    return { _index: DEMO_INDICES.defendRegistry, _source: src };
  },

  imageLoad(rng, p, t, dllPath) {
    const src = base(rng, p, t, 'endpoint.events.library',
      { action: 'load', category: ['library'], type: ['start'] }, 'Endpoint DLL load event');
    src.process = brief(p);
    src.dll = { path: dllPath, name: basename(dllPath) };
    return { _index: DEMO_INDICES.defendLibrary, _source: src };
  },
};

/** Give a DLL load its hash and signature (stories know whether the DLL is genuine). */
export function withDll(draft: Draft, dll: { sha256: string; signer: Executable['signer'] }): Draft {
  const d = draft._source.dll;
  if (d && typeof d === 'object') {
    Object.assign(d, {
      hash: { sha256: dll.sha256 },
      code_signature: dll.signer
        ? { exists: true, subject_name: dll.signer.subject, trusted: dll.signer.trusted, status: dll.signer.status }
        : { exists: false },
    });
  }
  return draft;
}
