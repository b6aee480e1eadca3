/**
 * The timeline of an alert: what the process tree did around the alert (process starts, DNS
 * lookups, connections, files, registry, libraries) and the host's logons, one list in time
 * order, each entry tied to its process. `mergeTimeline` and the view helpers are pure (the
 * triage page uses them in the browser); `readTimeline` reads the events over an EventSource.
 */
import type { EventSource, StoredEvent, TimeWindow } from '../events/types';
import { toActivityItem, type ActivityItem } from './activity';
import { iso, str, toMs, values } from './fields';
import { logonsAfter, type LogonItem } from './logons';
import { buildProcessTree, type ProcessNode, type ProcessTree } from './process-tree';

/** Kinds in the order entries of the same millisecond are listed (a process starts before it acts). */
export const TIMELINE_KINDS = ['alert', 'process', 'dns', 'network', 'file', 'registry', 'library', 'logon', 'other'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One entry: an activity item (the same summary, process and fields) placed on the alert's clock. */
export interface TimelineEntry extends Omit<ActivityItem, 'kind' | 'time' | 'event'> {
  /** unique in the timeline: `<index>/<id>` of the event, or `node:<entity id>` for a start known only from the tree */
  key: string;
  kind: TimelineKind;
  /** ISO, UTC */
  time: string;
  /** milliseconds from the alert (negative: before it) */
  offsetMs: number;
  event: { _index: string; _id: string } | null;
}

export interface Timeline {
  alertTime: string;
  window: TimeWindow;
  /** time order, the alert's own event among them (kind `alert`) */
  entries: TimelineEntry[];
  /** entity ids whose events were read (the subject and its descendants) */
  entityIds: string[];
  /** a read stopped at its limit: there are more events in the window than listed */
  truncated: boolean;
  /** events without a readable time, left out */
  untimed: number;
}

export interface MergeInput {
  alertTime: string;
  window: TimeWindow;
  /** the alert's own event: listed once, as kind `alert` */
  alertEvent: StoredEvent;
  /** events of the tree's processes */
  events: StoredEvent[];
  /** the tree's processes: a start known only from the tree (an ancestor, a stub) is listed from its node */
  nodes: ProcessNode[];
  logons: LogonItem[];
}

const refKey = (r: { _index: string; _id: string }) => `${r._index}/${r._id}`;
const kindRank = (k: TimelineKind) => TIMELINE_KINDS.indexOf(k);

/** event.action, else event.type ("creation", "change/deletion"). */
function actionOf(ev: StoredEvent, action: string | null): string | null {
  if (action) return action;
  const types = values(ev._source, 'event.type').map(String);
  return types.length ? types.join('/') : null;
}

function inWindow(ms: number, w: { from: number; to: number }): boolean {
  return ms >= w.from && ms <= w.to;
}

/** One time-ordered list of the alert, the tree's events, its process starts and the logons, each event once. */
export function mergeTimeline(input: MergeInput): { entries: TimelineEntry[]; untimed: number } {
  const alertMs = toMs(input.alertTime) ?? 0;
  const w = { from: toMs(input.window.from) ?? -Infinity, to: toMs(input.window.to) ?? Infinity };
  const byKey = new Map<string, TimelineEntry>();
  let untimed = 0;
  const add = (e: Omit<TimelineEntry, 'offsetMs' | 'time'> & { time: string | null }, force = false) => {
    const ms = e.time === null ? null : toMs(e.time);
    if (ms === null) {
      untimed++;
      return;
    }
    if (!force && !inWindow(ms, w)) return;
    if (byKey.has(e.key)) return;
    byKey.set(e.key, { ...e, time: iso(ms), offsetMs: ms - alertMs });
  };

  const alertItem = toActivityItem(input.alertEvent);
  add({ ...alertItem, action: actionOf(input.alertEvent, alertItem.action), key: refKey(input.alertEvent), kind: 'alert', time: alertItem.time ?? input.alertTime }, true);
  // logons first: an authentication event of a tree process is listed as a logon, not as "other"
  for (const l of input.logons) {
    const who = [l.user, l.logonType ? `type ${l.logonType}` : null, l.sourceIp || l.sourceHost ? `from ${[l.sourceIp, l.sourceHost].filter(Boolean).join(' ')}` : null]
      .filter(Boolean)
      .join(', ');
    const fields: Record<string, string> = {};
    if (l.eventCode) fields['event.code'] = l.eventCode;
    if (l.outcome) fields['event.outcome'] = l.outcome;
    if (l.user) fields['user.name'] = l.user;
    if (l.logonType) fields['winlog.logon.type'] = l.logonType;
    if (l.sourceIp) fields['source.ip'] = l.sourceIp;
    if (l.sourceHost) fields['source.domain'] = l.sourceHost;
    add({
      key: refKey(l.event),
      kind: 'logon',
      time: l.time,
      action: l.action ?? l.eventCode,
      summary: `${l.action ?? l.eventCode ?? 'logon'}${who ? `: ${who}` : ''}`,
      entityId: null,
      processName: null,
      pid: null,
      fields,
      event: l.event,
    });
  }
  for (const ev of input.events) {
    const item = toActivityItem(ev);
    add({ key: refKey(ev), kind: item.kind, time: item.time, action: actionOf(ev, item.action), summary: item.summary, entityId: item.entityId, processName: item.processName, pid: item.pid, fields: item.fields, event: item.event });
  }
  // starts the events did not list (ancestors, processes whose start event is outside the read)
  const listedStarts = new Set([...byKey.values()].filter((e) => e.kind === 'process' && e.entityId).map((e) => e.entityId));
  for (const n of input.nodes) {
    if (n.startTime === null || (n.entityId && listedStarts.has(n.entityId))) continue;
    const fields: Record<string, string> = {};
    if (n.executable) fields['process.executable'] = n.executable;
    if (n.commandLine) fields['process.command_line'] = n.commandLine;
    add({
      key: n.event ? refKey(n.event) : `node:${n.entityId ?? `${n.name ?? ''}:${n.pid ?? ''}`}`,
      kind: 'process',
      time: n.startTime,
      action: 'start',
      summary: `start: ${n.commandLine ?? n.executable ?? n.name ?? '?'}`,
      entityId: n.entityId,
      processName: n.name,
      pid: n.pid,
      fields,
      event: n.event,
    });
  }
  const entries = [...byKey.values()].sort((a, b) => a.offsetMs - b.offsetMs || kindRank(a.kind) - kindRank(b.kind) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { entries, untimed };
}

/** Entries per kind (the kinds present only). */
export function countByKind(entries: readonly { kind: string }[]): Partial<Record<string, number>> {
  const out: Partial<Record<string, number>> = {};
  for (const e of entries) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
}

/** The entries of the chosen kinds (and of one process, when given); the alert always stays. */
export function filterTimeline<E extends { kind: string; entityId: string | null }>(entries: readonly E[], kinds: ReadonlySet<string>, entityId: string | null = null): E[] {
  return entries.filter((e) => e.kind === 'alert' || (kinds.has(e.kind) && (entityId === null || e.entityId === entityId)));
}

/**
 * The part of a long list shown: up to `before` entries before the anchor (the alert) and
 * `after` from it on, both clamped to the list. `[start, end)` indexes `entries`.
 */
export function sliceAround(length: number, anchor: number, before: number, after: number): { start: number; end: number } {
  if (length <= 0) return { start: 0, end: 0 };
  const a = Math.min(Math.max(anchor, 0), length - 1);
  return { start: Math.max(0, a - Math.max(0, before)), end: Math.min(length, a + Math.max(1, after)) };
}

/** "−3.2 s", "+1 min 5 s", "0 s": an offset from the alert, short. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '−' : ms > 0 ? '+' : '';
  const abs = Math.abs(ms);
  if (abs < 10_000) return `${sign}${(Math.round(abs / 100) / 10).toString()} s`;
  const s = Math.round(abs / 1000);
  if (s < 60) return `${sign}${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${sign}${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(m / 60);
  return `${sign}${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

const WRITE = /^(creat|writ|modif|overwrit|renam|chang|mov|copy|extend)/i;

/** What fileWriters reads of an event: its process, kind, action (or event.type) and fields. */
export interface WriterCandidate {
  entityId: string | null;
  kind: string;
  action: string | null;
  fields: Record<string, string>;
}

/**
 * Entity ids of the processes that wrote `path` (compared case-insensitively): events of kind
 * file (or the alert's own event) on that path whose action is a write (creation, write,
 * modification, overwrite, rename, move, copy), in the order given, each process once.
 */
export function fileWriters(path: string | null, events: readonly WriterCandidate[]): string[] {
  if (!path) return [];
  const lower = path.toLowerCase();
  const out: string[] = [];
  for (const e of events) {
    if (!e.entityId || out.includes(e.entityId)) continue;
    if (e.kind !== 'file' && e.kind !== 'alert') continue;
    if ((e.fields['file.path'] ?? '').toLowerCase() !== lower) continue;
    if ((e.action ?? '').split(/[\/, ]+/).some((a) => WRITE.test(a))) out.push(e.entityId);
  }
  return out;
}

export interface TimelineOptions {
  /** seconds either side of the alert (default 600) */
  seconds?: number;
  /** events of the tree read at most (default 2000) */
  limit?: number;
  /** logons read at most (default 200) */
  logonLimit?: number;
  /** generations of descendants (as the tree shown; default 4) */
  depth?: number;
  /** a tree already built (else built here, without prevalence) */
  tree?: ProcessTree;
}

/** Read and merge the timeline of an alert over `source`. */
export async function readTimeline(
  source: EventSource,
  alert: { event: StoredEvent; timestamp: string; hostName: string | null },
  opts: TimelineOptions = {},
): Promise<Timeline> {
  const t = toMs(alert.timestamp) ?? Date.now();
  const seconds = opts.seconds ?? 600;
  const window = { from: iso(t - seconds * 1000), to: iso(t + seconds * 1000) };
  const tree = opts.tree ?? (await buildProcessTree(source, alert.event, alert.timestamp, { prevalence: false, maxDepth: opts.depth ?? 4 }));
  const ids = [...new Set([tree.subject, ...tree.descendants].map((n) => n.entityId).filter((x): x is string => !!x))];
  const limit = opts.limit ?? 2000;
  const host = alert.hostName ?? str(alert.event._source, 'host.name');
  const [events, logons] = await Promise.all([
    ids.length ? source.entityEvents({ entityIds: ids, window, size: limit }) : Promise.resolve({ items: [] as StoredEvent[], truncated: false }),
    host ? logonsAfter(source, host, window.from, { hoursAfter: (2 * seconds) / 3600, limit: opts.logonLimit ?? 200 }) : Promise.resolve(null),
  ]);
  const { entries, untimed } = mergeTimeline({
    alertTime: iso(t),
    window,
    alertEvent: alert.event,
    events: events.items,
    nodes: [...tree.ancestors, tree.subject, ...tree.descendants],
    logons: logons?.items ?? [],
  });
  return { alertTime: iso(t), window, entries, entityIds: ids, truncated: events.truncated || (logons?.truncated ?? false), untimed };
}

/** The alert's own event as a fileWriters candidate: its process, event.action (else event.type) and file.path. */
export function alertWriterCandidate(source: unknown): WriterCandidate {
  const types = values(source, 'event.type').map(String);
  const path = str(source, 'file.path');
  return {
    entityId: str(source, 'process.entity_id'),
    kind: 'alert',
    action: str(source, 'event.action') ?? (types.length ? types.join('/') : null),
    fields: path ? { 'file.path': path } : {},
  };
}
