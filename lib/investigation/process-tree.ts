/**
 * The process tree of an alert: ancestors up to the root (stub nodes for parents outside
 * the data), the subject, descendants breadth-first (bounded by depth and count), siblings
 * on demand. Every place the tree is cut says where and why.
 */
import type { EventSource, StoredEvent, TimeWindow } from '../events/types';
import { bool, eventTime, getField, HOUR_MS, iso, num, ref, str, toMs } from './fields';
import { processLineage } from './lineage';

export type ProcessRole = 'ancestor' | 'subject' | 'descendant' | 'sibling';

export interface CodeSignature {
  subjectName: string | null;
  trusted: boolean | null;
  exists: boolean | null;
  status: string | null;
}

export interface ProcessNode {
  entityId: string | null;
  pid: number | null;
  name: string | null;
  executable: string | null;
  commandLine: string | null;
  user: string | null;
  startTime: string | null;
  codeSignature: CodeSignature | null;
  hashes: { md5?: string; sha1?: string; sha256?: string };
  /** how many hosts ran this executable (null when unknown) */
  hostPrevalence: number | null;
  role: ProcessRole;
  /** generations from the subject: ancestors < 0, subject 0, descendants > 0 */
  depth: number;
  /** built from a child's `process.parent.*` fields: the process itself is not in the data */
  stub: boolean;
  /** the event the node was read from */
  event: { _index: string; _id: string } | null;
  /** entity ids of the node's children in this tree */
  children: string[];
}

export type CutReason = 'limit' | 'depth' | 'parent_outside_data' | 'window' | 'no_entity_id' | 'lineage_limit';

export interface TreeCut {
  /** entity id (or name) of the node where the tree stops */
  where: string;
  why: CutReason;
  detail: string;
}

export interface ProcessTree {
  subjectEntityId: string | null;
  hostName: string | null;
  /** root first, down to the subject's parent */
  ancestors: ProcessNode[];
  subject: ProcessNode;
  /** breadth-first */
  descendants: ProcessNode[];
  cuts: TreeCut[];
  /** window searched for descendants */
  window: TimeWindow;
}

export interface ProcessTreeOptions {
  /** ancestors at most (default 20) */
  maxAncestors?: number;
  /** generations of descendants (default 4) */
  maxDepth?: number;
  /** descendants at most (default 100) */
  maxDescendants?: number;
  /** hours before the alert in which ancestors are looked for (default 7 days) */
  lookbackHours?: number;
  /** hours after the alert in which descendants are looked for (default 24) */
  lookaheadHours?: number;
  /** look up host prevalence of the executables (default true) */
  prevalence?: boolean;
}

function userOf(doc: unknown): string | null {
  const name = str(doc, 'user.name', 'process.user.name');
  if (!name) return null;
  const domain = str(doc, 'user.domain', 'process.user.domain');
  return domain ? `${domain}\\${name}` : name;
}

function signatureOf(doc: unknown, prefix: string): CodeSignature | null {
  const subjectName = str(doc, `${prefix}.code_signature.subject_name`);
  const trusted = bool(doc, `${prefix}.code_signature.trusted`);
  const exists = bool(doc, `${prefix}.code_signature.exists`);
  const status = str(doc, `${prefix}.code_signature.status`);
  if (subjectName === null && trusted === null && exists === null && status === null) return null;
  return { subjectName, trusted, exists, status };
}

function hashesOf(doc: unknown, prefix: string): ProcessNode['hashes'] {
  const out: ProcessNode['hashes'] = {};
  for (const k of ['md5', 'sha1', 'sha256'] as const) {
    const v = str(doc, `${prefix}.hash.${k}`);
    if (v) out[k] = v.toLowerCase();
  }
  return out;
}

/** A node from an event describing the process (`process.*`). */
export function nodeFromEvent(ev: StoredEvent, role: ProcessRole, depth: number): ProcessNode {
  const d = ev._source;
  const isStart = String(getField(d, 'event.type') ?? '').includes('start');
  const start = str(d, 'process.start');
  return {
    entityId: str(d, 'process.entity_id'),
    pid: num(d, 'process.pid'),
    name: str(d, 'process.name') ?? basename(str(d, 'process.executable')),
    executable: str(d, 'process.executable'),
    commandLine: str(d, 'process.command_line'),
    user: userOf(d),
    startTime: start ? normaliseTime(start) : isStart ? eventTime(ev) : null,
    codeSignature: signatureOf(d, 'process'),
    hashes: hashesOf(d, 'process'),
    hostPrevalence: null,
    role,
    depth,
    stub: false,
    event: ref(ev),
    children: [],
  };
}

/** A stub for the parent of `child`, from the child's `process.parent.*` fields. */
export function parentStub(child: StoredEvent, depth: number): ProcessNode | null {
  const d = child._source;
  const entityId = str(d, 'process.parent.entity_id');
  const pid = num(d, 'process.parent.pid');
  const name = str(d, 'process.parent.name') ?? basename(str(d, 'process.parent.executable'));
  if (entityId === null && pid === null && name === null) return null;
  const start = str(d, 'process.parent.start');
  return {
    entityId,
    pid,
    name,
    executable: str(d, 'process.parent.executable'),
    commandLine: str(d, 'process.parent.command_line'),
    user: null,
    startTime: start ? normaliseTime(start) : null,
    codeSignature: signatureOf(d, 'process.parent'),
    hashes: hashesOf(d, 'process.parent'),
    hostPrevalence: null,
    role: 'ancestor',
    depth,
    stub: true,
    event: null,
    children: [],
  };
}

function basename(p: string | null): string | null {
  if (!p) return null;
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || null;
}

function normaliseTime(v: string): string {
  const ms = toMs(v);
  return ms === null ? v : iso(ms);
}

function label(n: ProcessNode): string {
  return n.entityId ?? `${n.name ?? 'process'}${n.pid !== null ? ` (pid ${n.pid})` : ''}`;
}

/** A few processes by name and pid (a shortened entity id when the name is unknown), then "and N more". */
function readableList(ids: string[], byId: Map<string, ProcessNode>, max = 5): string {
  const shown = ids.slice(0, max).map((id) => {
    const n = byId.get(id);
    if (n?.name) return `${n.name}${n.pid !== null ? ` (pid ${n.pid})` : ''}`;
    return id.length > 16 ? `${id.slice(0, 12)}…` : id;
  });
  return ids.length > max ? `${shown.join(', ')} and ${ids.length - max} more` : shown.join(', ');
}

function these(n: number): string {
  return n === 1 ? 'this process' : `these ${n} processes`;
}

/** Build the process tree around the alert's event. */
export async function buildProcessTree(
  source: EventSource,
  alertEvent: StoredEvent,
  alertTime: string,
  opts: ProcessTreeOptions = {},
): Promise<ProcessTree> {
  const maxAncestors = opts.maxAncestors ?? 20;
  const maxDepth = opts.maxDepth ?? 4;
  const maxDescendants = opts.maxDescendants ?? 100;
  const t = toMs(alertTime) ?? Date.now();
  const lineageWindow: TimeWindow = { from: iso(t - (opts.lookbackHours ?? 24 * 7) * HOUR_MS), to: iso(t) };
  const window: TimeWindow = { from: lineageWindow.from, to: iso(t + (opts.lookaheadHours ?? 24) * HOUR_MS) };
  const hostName = str(alertEvent._source, 'host.name');
  const subjectId = str(alertEvent._source, 'process.entity_id');
  const cuts: TreeCut[] = [];

  if (!subjectId) {
    const subject = nodeFromEvent(alertEvent, 'subject', 0);
    cuts.push({
      where: label(subject),
      why: 'no_entity_id',
      detail: 'the alert event has no process.entity_id, so its ancestry and descendants cannot be followed',
    });
    const stub = parentStub(alertEvent, -1);
    const ancestors = stub ? [stub] : [];
    await addPrevalence(source, [...ancestors, subject], opts);
    return { subjectEntityId: null, hostName, ancestors, subject, descendants: [], cuts, window };
  }

  // ---- ancestors (the lineage comes subject first)
  const lineage = await processLineage(source, {
    entityId: subjectId,
    ...(hostName ? { host: hostName } : {}),
    window: lineageWindow,
    maxDepth: maxAncestors,
  });
  const chain = lineage.items.length > 0 ? lineage.items : [alertEvent];
  const subject = nodeFromEvent(chain[0], 'subject', 0);
  // the alert event may know more than the start event (and vice versa): fill gaps
  const fromAlert = nodeFromEvent(alertEvent, 'subject', 0);
  for (const k of ['pid', 'name', 'executable', 'commandLine', 'user', 'codeSignature'] as const) {
    if (subject[k] === null) (subject as unknown as Record<string, unknown>)[k] = fromAlert[k];
  }
  if (Object.keys(subject.hashes).length === 0) subject.hashes = fromAlert.hashes;
  subject.entityId = subjectId;

  const ancestorsUp: ProcessNode[] = [];
  for (let i = 1; i < chain.length; i++) ancestorsUp.push(nodeFromEvent(chain[i], 'ancestor', -i));
  const top = chain[chain.length - 1];
  if (lineage.truncated) {
    const node = ancestorsUp[ancestorsUp.length - 1] ?? subject;
    cuts.push({ where: label(node), why: 'lineage_limit', detail: `ancestry stops after ${maxAncestors} generations` });
  } else {
    const parentId = str(top._source, 'process.parent.entity_id');
    const stub = parentStub(top, -chain.length);
    if (stub && (parentId === null || !chain.some((e) => str(e._source, 'process.entity_id') === parentId))) {
      ancestorsUp.push(stub);
      const startedBefore = stub.startTime !== null && (toMs(stub.startTime) ?? Infinity) < (toMs(lineageWindow.from) ?? -Infinity);
      cuts.push({
        where: label(stub),
        why: startedBefore ? 'window' : 'parent_outside_data',
        detail: `no event describes ${stub.name ?? 'the parent'}${stub.pid !== null ? ` (pid ${stub.pid})` : ''} between ${lineageWindow.from} and ${lineageWindow.to}; shown from its child's parent fields`,
      });
    }
  }
  const ancestors = ancestorsUp.reverse();
  for (let i = 0; i < ancestors.length; i++) {
    const child = ancestors[i + 1] ?? subject;
    if (child.entityId) ancestors[i].children = [child.entityId];
  }

  // ---- descendants, breadth-first
  const descendants: ProcessNode[] = [];
  const seen = new Set<string>([subjectId, ...ancestors.map((a) => a.entityId ?? '')]);
  const byId = new Map<string, ProcessNode>([[subjectId, subject]]);
  let frontier = [subjectId];
  for (let depth = 1; frontier.length > 0; depth++) {
    const room = maxDescendants - descendants.length;
    if (depth > maxDepth || room <= 0) {
      const probe = await source.childProcesses({ parentEntityIds: frontier, window, size: 1 });
      if (probe.items.length > 0) {
        cuts.push(
          depth > maxDepth
            ? { where: readableList(frontier, byId), why: 'depth', detail: `child processes of ${these(frontier.length)} are not shown (deeper than ${maxDepth} generations)` }
            : { where: readableList(frontier, byId), why: 'limit', detail: `child processes of ${these(frontier.length)} are not shown (only the first ${maxDescendants} descendants are shown)` },
        );
      }
      break;
    }
    const kids = await source.childProcesses({ parentEntityIds: frontier, window, size: room });
    const next: string[] = [];
    for (const ev of kids.items) {
      const node = nodeFromEvent(ev, 'descendant', depth);
      if (!node.entityId || seen.has(node.entityId)) continue;
      seen.add(node.entityId);
      byId.set(node.entityId, node);
      descendants.push(node);
      const parent = byId.get(str(ev._source, 'process.parent.entity_id') ?? '');
      if (parent) parent.children.push(node.entityId);
      next.push(node.entityId);
    }
    if (kids.truncated) {
      cuts.push({ where: readableList(frontier, byId), why: 'limit', detail: `more child processes of ${these(frontier.length)} are not shown (only the first ${maxDescendants} descendants are shown)` });
      break;
    }
    frontier = next;
  }
  await addPrevalence(source, [...ancestors, subject, ...descendants], opts);
  return { subjectEntityId: subjectId, hostName, ancestors, subject, descendants, cuts, window };
}

async function addPrevalence(source: EventSource, nodes: ProcessNode[], opts: ProcessTreeOptions): Promise<void> {
  if (opts.prevalence === false) return;
  const exes = [...new Set(nodes.map((n) => n.executable).filter((e): e is string => !!e))];
  if (exes.length === 0) return;
  const counts = await source.executablePrevalence({ executables: exes });
  const lower = new Map(Object.entries(counts).map(([k, v]) => [k.toLowerCase(), v]));
  for (const n of nodes) if (n.executable) n.hostPrevalence = counts[n.executable] ?? lower.get(n.executable.toLowerCase()) ?? null;
}

/** Siblings of the subject (other children of its parent), on demand. */
export async function processSiblings(
  source: EventSource,
  tree: ProcessTree,
  opts: { size?: number } = {},
): Promise<{ items: ProcessNode[]; truncated: boolean; cut: TreeCut | null }> {
  const parent = tree.ancestors[tree.ancestors.length - 1];
  if (!parent?.entityId || !tree.subjectEntityId) {
    return {
      items: [],
      truncated: false,
      cut: { where: tree.subject.name ?? 'subject', why: 'parent_outside_data', detail: 'the parent is unknown, so its other children cannot be listed' },
    };
  }
  const size = opts.size ?? 50;
  const res = await source.childProcesses({ parentEntityIds: [parent.entityId], window: tree.window, size: size + 1 });
  const items = res.items
    .map((e) => nodeFromEvent(e, 'sibling', 0))
    .filter((n) => n.entityId !== tree.subjectEntityId)
    .slice(0, size);
  const truncated = res.truncated || res.items.filter((e) => str(e._source, 'process.entity_id') !== tree.subjectEntityId).length > size;
  return { items, truncated, cut: truncated ? { where: parent.entityId, why: 'limit', detail: `only the first ${size} siblings are shown` } : null };
}

/** Every entity id in the tree (ancestors, subject, descendants). */
export function treeEntityIds(tree: ProcessTree): string[] {
  return [...tree.ancestors, tree.subject, ...tree.descendants].map((n) => n.entityId).filter((id): id is string => !!id);
}
