/**
 * Endgame sensor documents (`endgame-*`): the sensor's own fields under `endgame.*`
 * (event_type_full, event_subtype_full, serial_event_id, unique_pid …) beside the ECS
 * fields the detection rules read. `event.category` / `event.type` are plain strings,
 * and there is no `event.ingested` (the rule falls back to `@timestamp`).
 */
import {
  type DnsOp,
  type FamilyEmitter,
  type FileOp,
  filetime,
  hiveOf,
  iso,
  type NetOp,
  type Proc,
  type RegOp,
  type Source,
} from './model';
import type { Rng } from './rng';
import { basename, DEMO_INDICES, type DemoHost, fileFields } from './world';

const SENSOR_VERSION = '3.63.4';

function host(h: DemoHost): Source {
  return {
    name: h.name,
    hostname: h.name,
    id: h.id,
    ip: [h.ip],
    os: {
      family: 'windows',
      full: h.os.full,
      name: 'Windows',
      platform: 'windows',
      type: 'windows',
      version: h.os.build,
    },
  };
}

function proc(p: Proc): Source {
  const out: Source = {
    entity_id: String(p.uniquePid),
    pid: p.pid,
    name: p.name,
    executable: p.exe.path,
  };
  if (p.parent) out.parent = { entity_id: String(p.parent.uniquePid), pid: p.parent.pid, name: p.parent.name, executable: p.parent.exe.path };
  return out;
}

function base(
  _rng: Rng,
  p: Proc,
  t: number,
  category: string,
  type: string,
  typeFull: string,
  subtypeFull: string,
  opcode: number,
  legacy: Source,
): Source {
  return {
    '@timestamp': iso(t),
    agent: { id: p.host.agentId, type: 'endgame', version: SENSOR_VERSION },
    ecs: { version: '1.5.0' },
    event: {
      kind: 'event',
      module: 'endgame',
      dataset: 'esensor',
      category,
      type,
      action: subtypeFull,
    },
    host: host(p.host),
    process: proc(p),
    user: { name: p.user.name, domain: p.user.domain, id: p.user.id },
    endgame: {
      event_type_full: typeFull,
      event_subtype_full: subtypeFull,
      opcode,
      serial_event_id: 0,
      timestamp: filetime(t),
      timestamp_utc: iso(t).replace('T', ' ').slice(0, 19),
      pid: p.pid,
      ppid: p.parent?.pid ?? 0,
      unique_pid: p.uniquePid,
      unique_ppid: p.parent?.uniquePid ?? 0,
      process_name: p.name,
      process_path: p.exe.path,
      user_name: p.user.name,
      user_domain: p.user.domain,
      user_sid: p.user.id,
      ...legacy,
    },
    message: `Endgame ${typeFull.replace('_', ' ')}: ${subtypeFull}`,
  };
}

export const endgame: FamilyEmitter = {
  family: 'endgame',

  newEntityId(_rng, _host, _pid, _start) {
    // Endgame identifies processes by the per-sensor unique_pid (see proc()); this id is unused
    return '';
  },

  processStart(rng, p, t) {
    const src = base(rng, p, t, 'process', 'start', 'process_event', 'creation_event', 1, {
      command_line: p.commandLine,
      parent_process_name: p.parent?.name,
      parent_process_path: p.parent?.exe.path,
      md5: p.hashes?.md5,
      sha1: p.hashes?.sha1,
      sha256: p.hashes?.sha256,
      authentication_id: Number.parseInt(p.logonId, 16),
      integrity_level: p.integrity,
    });
    const pr = src.process as Source;
    pr.command_line = p.commandLine;
    pr.args = p.args;
    pr.args_count = p.args.length;
    if (p.hashes) pr.hash = { md5: p.hashes.md5, sha1: p.hashes.sha1, sha256: p.hashes.sha256 };
    pr.code_signature = p.exe.signer
      ? { exists: true, subject_name: p.exe.signer.subject, trusted: p.exe.signer.trusted, status: p.exe.signer.status }
      : { exists: false };
    return { _index: DEMO_INDICES.endgame, _source: src };
  },

  processEnd(rng, p, t) {
    const src = base(rng, p, t, 'process', 'end', 'process_event', 'termination_event', 2, { exit_code: 0 });
    return { _index: DEMO_INDICES.endgame, _source: src };
  },

  file(rng, p, t, op: FileOp) {
    const subtype =
      op.action === 'creation' ? 'file_create_event' : op.action === 'deletion' ? 'file_delete_event' : 'file_modify_event';
    const type = op.action === 'creation' ? 'creation' : op.action === 'deletion' ? 'deletion' : 'change';
    const opcode = op.action === 'creation' ? 0 : op.action === 'deletion' ? 2 : 1;
    const hashed = op.hashes && op.action !== 'deletion' ? op.hashes : undefined;
    const src = base(rng, p, t, 'file', type, 'file_event', subtype, opcode, {
      file_path: op.path,
      file_name: basename(op.path),
      ...(hashed ? { md5: hashed.md5, sha1: hashed.sha1, sha256: hashed.sha256 } : {}),
    });
    src.file = {
      ...fileFields(op.path),
      ...(hashed ? { hash: { md5: hashed.md5, sha1: hashed.sha1, sha256: hashed.sha256 } } : {}),
    };
    return { _index: DEMO_INDICES.endgame, _source: src };
  },

  network(rng, p, t, op: NetOp) {
    const subtype = op.direction === 'egress' ? 'ipv4_connection_attempt_event' : 'ipv4_connection_accept_event';
    const src = base(rng, p, t, 'network', 'connection', 'network_event', subtype, op.direction === 'egress' ? 12 : 13, {
      source_address: op.srcIp,
      source_port: op.srcPort,
      destination_address: op.dstIp,
      destination_port: op.dstPort,
      protocol: op.transport,
    });
    src.source = { ip: op.srcIp, port: op.srcPort };
    src.destination = { ip: op.dstIp, port: op.dstPort };
    src.network = { transport: op.transport, direction: op.direction === 'egress' ? 'outgoing' : 'incoming' };
    return { _index: DEMO_INDICES.endgame, _source: src };
  },

  dns(rng, p, t, op: DnsOp) {
    const src = base(rng, p, t, 'network', 'protocol', 'dns_event', 'request_event', 3008, {
      query_name: op.name,
      query_type: 'A',
    });
    src.dns = { question: { name: op.name, type: 'A' }, resolved_ip: op.answers };
    src.network = { protocol: 'dns' };
    return { _index: DEMO_INDICES.endgame, _source: src };
  },

  registry(rng, p, t, op: RegOp) {
    const { hive, key, value } = hiveOf(op.path);
    const src = base(rng, p, t, 'registry', 'change', 'registry_event', 'registry_modify_event', 1, {
      registry_path: op.path,
      registry_key: key,
      registry_value: value,
      registry_data: op.data,
    });
    src.registry = { hive, key, value, path: op.path, data: { strings: [op.data], type: op.dataType } };
    return { _index: DEMO_INDICES.endgame, _source: src };
  },

  imageLoad(rng, p, t, dllPath) {
    const src = base(rng, p, t, 'library', 'start', 'image_load_event', 'image_load_event', 0, {
      image_path: dllPath,
      image_name: basename(dllPath),
    });
    src.dll = { path: dllPath, name: basename(dllPath) };
    return { _index: DEMO_INDICES.endgame, _source: src };
  },
};
