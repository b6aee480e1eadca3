/**
 * The generator's own model: processes on hosts and the operations they perform.
 * Stories and background activity are written against this model; each index family
 * (lib/demo/family-*.ts) turns an operation into a document of its own shape.
 */
import type { StoredEvent } from '../events/types';
import type { Rng } from './rng';
import { basename, type DemoHost, type DemoUser, type Executable, type Family, fileHashes, type Hashes, USERS } from './world';

export type Source = Record<string, unknown>;

/** A document before it gets its `_id`. */
export interface Draft {
  _index: string;
  _source: Source;
}

export interface Proc {
  host: DemoHost;
  entityId: string;
  pid: number;
  exe: Executable;
  name: string;
  commandLine: string;
  args: string[];
  workingDirectory: string;
  /** null only for deliberate roots (System) */
  parent: Proc | null;
  user: DemoUser;
  /** epoch ms */
  start: number;
  hashes: Hashes | null;
  integrity: 'system' | 'high' | 'medium' | 'low';
  logonId: string;
  sessionId: number;
  /** Endgame's per-sensor process counter */
  uniquePid: number;
}

export interface FileOp {
  path: string;
  action: 'creation' | 'deletion' | 'overwrite';
  size?: number;
  /** first 16 bytes, hex (Defend's file.Ext.header_bytes) */
  headerBytes?: string;
  /** Mark-of-the-Web zone (3 = internet), -1 when none */
  zone?: number;
  /** content hashes, for sensors that hash written files (Defend, Endgame); Sysmon 11 has none */
  hashes?: Hashes;
}

export interface NetOp {
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  transport: 'tcp' | 'udp';
  direction: 'egress' | 'ingress';
}

export interface DnsOp {
  name: string;
  answers: string[];
}

export interface RegOp {
  /** full path, hive abbreviated: HKLM\SYSTEM\...\ValueName */
  path: string;
  data: string;
  dataType: 'REG_SZ' | 'REG_DWORD' | 'REG_EXPAND_SZ' | 'REG_BINARY' | 'REG_MULTI_SZ';
}

export interface AuthOp {
  code: 4624 | 4625 | 4634 | 4672;
  user: DemoUser;
  /** 2 interactive, 3 network, 5 service, 7 unlock, 10 remote interactive, 11 cached */
  logonType: number;
  logonId: string;
  srcIp?: string;
  srcWorkstation?: string;
  authPackage?: 'Kerberos' | 'NTLM' | 'Negotiate';
  /** the logon process (lsass for interactive logons) */
  process?: Proc;
}

/** One index family's document shapes. */
export interface FamilyEmitter {
  readonly family: Family;
  newEntityId(rng: Rng, host: DemoHost, pid: number, start: number): string;
  processStart(rng: Rng, p: Proc, t: number): Draft;
  processEnd(rng: Rng, p: Proc, t: number): Draft;
  file(rng: Rng, p: Proc, t: number, op: FileOp): Draft;
  network(rng: Rng, p: Proc, t: number, op: NetOp): Draft;
  dns(rng: Rng, p: Proc, t: number, op: DnsOp): Draft;
  registry(rng: Rng, p: Proc, t: number, op: RegOp): Draft;
  imageLoad(rng: Rng, p: Proc, t: number, dllPath: string): Draft;
}

/** Mutable per-host counters shared by every stream that writes for the host. */
export interface HostState {
  host: DemoHost;
  nextUniquePid: number;
}

/** Collects documents, giving each a stable `_id` drawn from the recorder's stream. */
export class Recorder {
  readonly events: StoredEvent[] = [];

  constructor(readonly rng: Rng) {}

  add(draft: Draft): StoredEvent {
    const ev: StoredEvent = { _index: draft._index, _id: this.rng.docId(), _source: stripUndefined(draft._source) };
    this.events.push(ev);
    return ev;
  }
}

/** drop keys whose value is undefined (deep, in place), so documents are plain JSON */
export function stripUndefined(src: Source): Source {
  for (const k in src) {
    const v = src[k];
    if (v === undefined) delete src[k];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) stripUndefined(v as Source);
  }
  return src;
}

export function windowsPid(rng: Rng): number {
  return rng.int(250, 3600) * 4;
}

export function logonId(rng: Rng): string {
  return `0x${rng.int(0x20000, 0xfffffff).toString(16)}`;
}

/** split a Windows command line into argv, honouring double quotes */
export function splitArgs(commandLine: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let any = false;
  for (const ch of commandLine) {
    if (ch === '"') {
      quoted = !quoted;
      any = true;
    } else if (ch === ' ' && !quoted) {
      if (any) out.push(cur);
      cur = '';
      any = false;
    } else {
      cur += ch;
      any = true;
    }
  }
  if (any) out.push(cur);
  return out;
}

export interface SpawnSpec {
  exe: Executable;
  commandLine?: string;
  user?: DemoUser;
  integrity?: Proc['integrity'];
  /** content identity for hashes (default: the path, i.e. the genuine binary) */
  hashIdentity?: string;
  pid?: number;
  workingDirectory?: string;
  logonId?: string;
  sessionId?: number;
}

/** Build a process (no event yet). */
export function makeProc(
  rng: Rng,
  emitter: FamilyEmitter,
  state: HostState,
  parent: Proc | null,
  start: number,
  spec: SpawnSpec,
): Proc {
  const pid = spec.pid ?? windowsPid(rng);
  const name = basename(spec.exe.path);
  const commandLine =
    spec.commandLine ?? (spec.exe.path.includes(' ') ? `"${spec.exe.path}"` : spec.exe.path);
  const user = spec.user ?? parent?.user ?? USERS.system;
  const uniquePid = state.nextUniquePid;
  state.nextUniquePid += rng.int(1, 7);
  return {
    host: state.host,
    entityId: emitter.newEntityId(rng, state.host, pid, start),
    pid,
    exe: spec.exe,
    name,
    commandLine,
    args: splitArgs(commandLine),
    workingDirectory: spec.workingDirectory ?? parent?.workingDirectory ?? 'C:\\Windows\\system32\\',
    parent,
    user,
    start,
    hashes: spec.exe.path === 'System' ? null : fileHashes(spec.hashIdentity ?? spec.exe.path.toLowerCase()),
    integrity: spec.integrity ?? parent?.integrity ?? 'system',
    logonId: spec.logonId ?? parent?.logonId ?? '0x3e7',
    sessionId: spec.sessionId ?? parent?.sessionId ?? 0,
    uniquePid,
  };
}

/** entity ids of the ancestors, nearest first (Defend's process.Ext.ancestry) */
export function ancestry(p: Proc, max = 20): string[] {
  const out: string[] = [];
  let cur = p.parent;
  while (cur && out.length < max) {
    out.push(cur.entityId);
    cur = cur.parent;
  }
  return out;
}

/** ISO time with millisecond precision */
/** A process's command line as ECS writes it: the text, its arguments and how many. */
export function commandLineFields(p: Proc): Source {
  return { command_line: p.commandLine, args: p.args, args_count: p.args.length };
}

export function iso(t: number): string {
  return new Date(t).toISOString();
}

/** ISO time with 7 fractional digits, as Elastic Defend writes it */
export function iso7(t: number, rng: Rng): string {
  return `${new Date(t).toISOString().slice(0, -1)}${String(rng.int(0, 9999)).padStart(4, '0')}Z`;
}

/** Windows FILETIME (100 ns ticks since 1601) of an epoch-ms time, as a decimal string */
export function filetime(t: number): string {
  return (BigInt(Math.round(t)) * 10000n + 116444736000000000n).toString();
}

export function hiveOf(path: string): { hive: string; key: string; value: string } {
  const parts = path.split('\\');
  const hive = parts[0] ?? '';
  const value = parts[parts.length - 1] ?? '';
  return { hive, key: parts.slice(1, -1).join('\\'), value };
}
