/**
 * The grouping of alerts into incidents.
 *
 * Two alerts are *linked* when, for a configured key:
 * - process: one's process is the other's process or one of its ancestors (entity ids, per
 *   host) — no time limit: it is the same process tree;
 * - host: same `host.name` (case-insensitive), at most the window apart;
 * - user: same `user.name` + `user.domain` (never a service account) on another host, at most
 *   the window apart.
 *
 * The automatic incidents are the connected components of the links among the alerts no
 * person has placed (unpinned). A component that links to an alert a person placed (pinned)
 * in an incident that is not closed joins that incident (the earliest such alert by
 * (timestamp, id) decides); otherwise it is an incident of its own whose id comes from its
 * earliest alert. So the incidents are a function of the set of alerts and of the hand-made
 * placements only: grouping in batches, in any order, or again, gives the same incidents. An
 * alert that arrives late may link two incidents: they become one (the absorbed id then leads
 * to the other). A person's change (merge, split, move, assignment, status) pins every alert
 * of the incidents it touches, so the grouping never undoes it; a closed incident takes no
 * new alerts.
 *
 * Each unpinned alert's reason is its link to the closest earlier alert of its incident
 * (process before host before user when a pair links through several keys); with no earlier
 * linked alert, its closest later one; none for the first alert.
 */
import { createHash } from 'node:crypto';
import type { AppDb } from '../store/db';
import { prepared } from '../store/db';
import {
  bumpIncidentVersion,
  ensureIncident,
  moveAllMembers,
  refreshIncidentSummary,
  retireIncident,
  setMembership,
} from '../store/incidents';
import type { Alert } from '../detection/types';
import type { EqlEvent } from '../eql/types';
import { groupingConfig, type GroupingConfig, type IncidentKey } from './config';
import { keysOfAlert } from './keys';
import type { MembershipReason } from './types';
import { notifyIncidents } from './notify/events';

const MINUTE_MS = 60_000;
/** ungrouped alerts selected at once (their keys stored, then placed, in short transactions) */
const BATCH = 2000;

export interface GroupingReport {
  /** alerts placed */
  grouped: number;
  /** incidents created by this pass */
  created: string[];
  /** incidents that gained or lost alerts */
  changed: string[];
  /** incidents absorbed into another */
  absorbed: string[];
}

/** The id of an automatic incident whose earliest alert is `alertId`. */
export function incidentIdFor(alertId: string): string {
  return `INC-${createHash('sha256').update(alertId).digest('hex').slice(0, 12).toUpperCase()}`;
}

interface Node {
  id: string;
  ts: string;
  t: number;
}

/** order of alerts: (timestamp, id) */
function before(a: Node, b: Node): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.id < b.id);
}

interface Link {
  key: IncidentKey;
  value: string;
}

const keyRank: Record<IncidentKey, number> = { process: 0, host: 1, user: 2 };

/** the link a pair of alerts keeps when several keys (or process ids) join it: lowest key rank, then smallest value */
function betterLink(a: Link, b: Link): boolean {
  return keyRank[a.key] < keyRank[b.key] || (a.key === b.key && a.value < b.value);
}

interface KeyRow {
  kind: string;
  value: string;
  t: number;
  host: string | null;
}

/** an alert found by a key (incident_keys' alert_id, t, host) */
interface KeyHit {
  alert_id: string;
  t: number;
  host: string | null;
}

/**
 * Group every alert that is in no incident yet. Call it after alerts are created (rule runs,
 * backfills, demo data); it does nothing when all alerts are grouped. It writes in short
 * transactions (`STEP_MS` of work each), so another connection's write (an analyst's tick, the
 * web thread's session or ingest-job update) waits for one of them, not for the whole pass;
 * `groupUngroupedAlertsPaced` also pauses between them, so a writer polling with SQLite's busy
 * wait gets its turn.
 */
export function groupUngroupedAlerts(db: AppDb, opts: GroupingOptions = {}): GroupingReport {
  const pass = new GroupingPass(db, opts);
  while (pass.step()) {
    // each step committed its own transaction
  }
  return pass.finish();
}

/**
 * `groupUngroupedAlerts` for a thread that may wait (the detection worker, the scheduler):
 * between two transactions it sleeps `pauseMs` (default PAUSE_MS), longer than the gaps of
 * SQLite's busy wait in its first 100 ms (1, 2, 5, 10, 15, 20, 25 ms), so a writer that arrived
 * during a step commits before the next one. The answers are `groupUngroupedAlerts`'s.
 */
export async function groupUngroupedAlertsPaced(db: AppDb, opts: GroupingOptions & { pauseMs?: number } = {}): Promise<GroupingReport> {
  const pass = new GroupingPass(db, opts);
  const pause = opts.pauseMs ?? PAUSE_MS;
  while (pass.step()) await new Promise((resolve) => setTimeout(resolve, pause));
  return pass.finish();
}

export interface GroupingOptions {
  config?: GroupingConfig;
  now?: () => Date;
  /** tests: place with the whole-component walk (`regroupFrom`) */
  reference?: boolean;
  /** work per write transaction, ms (default STEP_MS) */
  stepMs?: number;
  /** called with each transaction's length, ms (benches, tests: the longest write the grouping holds) */
  onTransaction?: (ms: number) => void;
}

/** work per write transaction of the grouping (ms): the longest another writer waits for it, plus one alert's placement */
export const STEP_MS = 40;
/** pause between two transactions of a paced grouping (ms) */
export const PAUSE_MS = 30;
/** a step that held the write lock this long is logged */
const SLOW_STEP_MS = 500;
/**
 * WAL pages after which a step's commit checkpoints (SQLite's default: 1000). A step rewrites
 * many of the pages the previous steps wrote (the keys' and memberships' indexes, the
 * incidents' sort indexes), about 1 MB of WAL each in a 100k-alert backfill, so with the
 * default about every fourth commit ran a checkpoint and its fsyncs (the one-batch
 * transactions before the steps checkpointed once per batch). Measured on the bench's 100k
 * backfill: 618 µs/alert with the default, 355 with synchronous off (no fsync), ~440 with
 * 8192 pages (32 MB: a checkpoint every ~30 steps). The checkpoint runs after the commit,
 * without the write lock; the WAL file stays under ~32 MB plus one step.
 */
const CHECKPOINT_PAGES = 8192;

interface Batch {
  rows: UngroupedRow[];
  maxRowid: number;
  /** rows whose keys are stored / that are placed */
  keyed: number;
  placed: number;
  /** incidents that gained alerts and wait for their summary refresh (once per batch, as when a batch was one transaction) */
  touched: Set<string>;
}

/**
 * One grouping pass as a series of short write transactions (`step()`): select up to BATCH
 * ungrouped alerts in (timestamp, id) order, store their keys, place them in that order — the
 * same placements, in the same order, as one transaction per batch made, only committed in
 * pieces. A step that fails rolls back alone; what it did not place is found again by the next
 * pass (the rowid mark moves only once a whole batch is placed).
 */
class GroupingPass {
  private readonly config: GroupingConfig;
  private readonly clock: () => Date;
  private readonly report: GroupingReport = { grouped: 0, created: [], changed: [], absorbed: [] };
  private batch: Batch | null = null;
  private done = false;
  /** timestamps of the alerts read in this pass (they never change), and the incidents' earliest alerts */
  private readonly times = new Map<string, string>();
  private readonly earliest = new Map<string, Node>();

  constructor(
    private readonly db: AppDb,
    private readonly opts: GroupingOptions,
  ) {
    this.config = opts.config ?? groupingConfig(db);
    this.clock = opts.now ?? (() => new Date());
  }

  /** One write transaction of work; false once every ungrouped alert is placed. */
  step(): boolean {
    if (this.done) return false;
    const t0 = performance.now();
    const until = t0 + (this.opts.stepMs ?? STEP_MS);
    const phase = !this.batch ? 'select and keys' : this.batch.keyed < this.batch.rows.length ? 'keys' : this.batch.placed < this.batch.rows.length ? 'placement' : 'summaries';
    // the step's commit checkpoints only once the WAL holds CHECKPOINT_PAGES (see there); the connection's own setting is back right after
    const autoCheckpoint = Number(this.db.pragma('wal_autocheckpoint', { simple: true }));
    const raise = autoCheckpoint > 0 && autoCheckpoint < CHECKPOINT_PAGES;
    if (raise) this.db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    try {
      // the next batch is selected in a read transaction of its own (a scan of the alerts: 150 ms
      // and more on 100k), so the write lock is held for the work on it only
      if (!this.batch && !this.selectBatch()) return false;
      return this.db.transaction(() => this.work(until)).immediate();
    } finally {
      if (raise) this.db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
      const ms = performance.now() - t0;
      // a step this long kept every other writer of app.db waiting (an analyst, the web thread): say so
      if (ms >= SLOW_STEP_MS) console.error(`[guidepost] incident grouping held app.db's write lock for ${Math.round(ms)} ms (${phase})`);
      this.opts.onTransaction?.(ms);
    }
  }

  /**
   * The next batch of ungrouped alerts, read in one read transaction (the highest rowid first,
   * then the alerts: one inserted in between is in the batch or looked at again next pass);
   * false when there is none. Only this pass places them: a pass runs at a time per database,
   * and an alert placed meanwhile by a person is skipped by the placement's own checks.
   */
  private selectBatch(): boolean {
    const db = this.db;
    return db.transaction(() => {
      const after = groupedUpTo.get(db) ?? 0;
      const maxRowid = prepared<number>(db, 'SELECT COALESCE(MAX(rowid), 0) FROM alerts').pluck().get() ?? 0;
      const rows = prepared<UngroupedRow>(
        db,
        `SELECT a.id, a.timestamp, a.event, a.sequence_events, a.host_name, a.user_name FROM alerts a
          WHERE a.rowid > ? AND NOT EXISTS (SELECT 1 FROM incident_alerts m WHERE m.alert_id = a.id) ORDER BY +a.timestamp, a.id LIMIT ${BATCH}`,
      ).all(after);
      if (rows.length === 0) {
        groupedUpTo.set(db, maxRowid);
        this.done = true;
        return false;
      }
      this.batch = { rows, maxRowid, keyed: 0, placed: 0, touched: new Set() };
      return true;
    }).deferred();
  }

  private work(until: number): boolean {
    const db = this.db;
    const b = this.batch;
    if (!b) return false;
    const now = this.clock().toISOString();
    if (b.keyed < b.rows.length) {
      // the keys of the whole batch first (as before): a walk from an alert finds the batch's later alerts by them
      b.keyed = storeKeys(db, b.rows, b.keyed, until);
      return true;
    }
    const ids = b.rows.map((r) => r.id);
    if (b.placed < ids.length) {
      if (this.opts.reference === true) {
        regroupFrom(db, this.config, ids, now, this.report);
        b.placed = ids.length;
      } else b.placed += placeIncrementally(db, this.config, ids.slice(b.placed), now, this.report, { until, touched: b.touched, times: this.times, earliest: this.earliest });
      return true;
    }
    // then the summaries of the incidents the batch changed (a big incident's refresh reads all its alerts)
    if (b.touched.size) {
      refreshSummaries(db, b.touched, now, this.report, until);
      if (b.touched.size) return true;
    }
    this.batch = null;
    // only once the batch is placed (a failed step rolls back and its alerts are looked at again)
    if (b.rows.length < BATCH) {
      groupedUpTo.set(db, b.maxRowid);
      this.done = true;
      return false;
    }
    return true;
  }

  /** The pass's report; queues the webhooks of the incidents it created or grew. */
  finish(): GroupingReport {
    const report = this.report;
    report.created = [...new Set(report.created)].filter((id) => !report.absorbed.includes(id));
    report.changed = [...new Set(report.changed)].filter((id) => !report.absorbed.includes(id));
    try {
      // webhooks: incidents that are new or grew into a webhook's severity (queued once each)
      notifyIncidents([...new Set([...report.created, ...report.changed])], this.clock(), this.db);
    } catch (e) {
      console.error(`[guidepost] queueing incident notifications failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return report;
  }
}

/** Store the keys of `rows[from…]` until `until` (at least one row); the index reached. */
function storeKeys(db: AppDb, rows: UngroupedRow[], from: number, until: number): number {
  const insertKey = prepared(db, 'INSERT OR IGNORE INTO incident_keys (alert_id, kind, value, t, host) VALUES (?, ?, ?, ?, ?)');
  let i = from;
  for (; i < rows.length && (i === from || performance.now() < until); i++) {
    const r = rows[i]!;
    const k = keysOfAlert({
      id: r.id,
      timestamp: r.timestamp,
      event: JSON.parse(r.event) as EqlEvent,
      sequenceEvents: r.sequence_events ? (JSON.parse(r.sequence_events) as EqlEvent[]) : null,
      hostName: r.host_name,
      userName: r.user_name,
    } satisfies Pick<Alert, 'id' | 'timestamp' | 'event' | 'sequenceEvents' | 'hostName' | 'userName'>);
    insertKey.run(r.id, 't', '', k.t, k.host);
    if (k.host) insertKey.run(r.id, 'host', k.host, k.t, k.host);
    if (k.user) insertKey.run(r.id, 'user', k.user, k.t, k.host);
    for (const p of k.processes) insertKey.run(r.id, 'ps', p, k.t, k.host);
    for (const p of k.lineage) insertKey.run(r.id, 'pl', p, k.t, k.host);
  }
  return i;
}

/** at the server's start, a backlog up to this many ungrouped alerts is grouped in the web thread (well under a second) */
export const FIRST_GROUPING_IN_THREAD = 2000;

/** Whether at least `n` alerts are in no incident (stops counting at `n`). */
export function ungroupedAtLeast(db: AppDb, n: number): boolean {
  const found = prepared<number>(
    db,
    'SELECT COUNT(*) FROM (SELECT 1 FROM alerts a WHERE NOT EXISTS (SELECT 1 FROM incident_alerts m WHERE m.alert_id = a.id) LIMIT ?)',
  )
    .pluck()
    .get(n);
  return (found ?? 0) >= n;
}

interface UngroupedRow {
  id: string;
  timestamp: string;
  event: string;
  sequence_events: string | null;
  host_name: string | null;
  user_name: string | null;
}

/**
 * Per connection: every alert with a rowid up to this one is grouped. The first pass of a
 * process looks at every alert; later passes only at alerts inserted since (rowids grow with
 * inserts), so a pass over a few new alerts does not scan 100k grouped ones.
 */
const groupedUpTo = new WeakMap<AppDb, number>();

interface Membership {
  incidentId: string;
  pinned: boolean;
  closed: boolean;
}

/**
 * Recompute the components reachable from `start` (alerts whose keys are stored) over the
 * unpinned alerts, and place them.
 */
export function regroupFrom(db: AppDb, config: GroupingConfig, start: string[], now: string, report: GroupingReport): void {
  const windowMs = config.windowMinutes * MINUTE_MS;
  const use = new Set(config.keys);
  const nodes = new Map<string, Node>();
  const memberships = new Map<string, Membership | null>();
  const links = new Map<string, Map<string, Link>>();
  const anchorsOf = new Map<string, string[]>();

  const keysStmt = prepared<KeyRow>(db, 'SELECT kind, value, t, host FROM incident_keys WHERE alert_id = ?');
  const timeStmt = prepared<string>(db, 'SELECT timestamp FROM alerts WHERE id = ?').pluck();
  const memberStmt = prepared<{ incident_id: string; pinned: number; status: string }>(
    db,
    'SELECT m.incident_id, m.pinned, i.status FROM incident_alerts m JOIN incidents i ON i.id = m.incident_id WHERE m.alert_id = ?',
  );
  const windowStmt = prepared<KeyHit>(db, 'SELECT alert_id, t, host FROM incident_keys WHERE kind = ? AND value = ? AND t BETWEEN ? AND ?');
  const exactStmt = prepared<KeyHit>(db, 'SELECT alert_id, t, host FROM incident_keys WHERE kind = ? AND value = ?');

  const nodeOf = (id: string, t: number): Node => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { id, t, ts: timeStmt.get(id)! }));
    return n;
  };
  const membershipOf = (id: string): Membership | null => {
    if (memberships.has(id)) return memberships.get(id)!;
    const r = memberStmt.get(id);
    const m = r ? { incidentId: r.incident_id, pinned: r.pinned === 1, closed: r.status === 'closed' } : null;
    memberships.set(id, m);
    return m;
  };
  const addLink = (a: string, b: string, link: Link) => {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let m = links.get(x);
      if (!m) links.set(x, (m = new Map()));
      const prev = m.get(y);
      if (!prev || betterLink(link, prev)) m.set(y, link);
    }
  };

  const queue: string[] = [];
  const visited = new Set<string>();
  for (const id of start) {
    const m = membershipOf(id);
    if (m?.pinned) continue;
    visited.add(id);
    queue.push(id);
  }
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    const keys = keysStmt.all(id);
    const own = keys.find((k) => k.kind === 't');
    if (!own) continue;
    nodeOf(id, own.t);
    const found: { other: string; t: number; link: Link }[] = [];
    if (use.has('process')) {
      for (const k of keys) {
        const lookFor = k.kind === 'ps' ? 'pl' : k.kind === 'pl' ? 'ps' : null;
        if (!lookFor) continue;
        for (const r of exactStmt.all(lookFor, k.value)) {
          found.push({ other: r.alert_id, t: r.t, link: { key: 'process', value: k.value.slice(k.value.indexOf('|') + 1) } });
        }
      }
    }
    for (const k of keys) {
      if (k.kind !== 'host' && k.kind !== 'user') continue;
      if (!use.has(k.kind)) continue;
      for (const r of windowStmt.all(k.kind, k.value, k.t - windowMs, k.t + windowMs)) {
        // the user key joins alerts on another host only (the host key covers the same host)
        if (k.kind === 'user' && (r.host === null || k.host === null || r.host === k.host)) continue;
        found.push({ other: r.alert_id, t: r.t, link: { key: k.kind, value: k.value } });
      }
    }
    for (const f of found) {
      if (f.other === id) continue;
      const m = membershipOf(f.other);
      if (m?.pinned) {
        if (m.closed) continue;
        nodeOf(f.other, f.t);
        addLink(id, f.other, f.link);
        const list = anchorsOf.get(id) ?? [];
        if (!list.includes(f.other)) list.push(f.other);
        anchorsOf.set(id, list);
        continue;
      }
      nodeOf(f.other, f.t);
      addLink(id, f.other, f.link);
      if (!visited.has(f.other)) {
        visited.add(f.other);
        queue.push(f.other);
      }
    }
  }

  // components of the visited (unpinned) alerts
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    let c = x;
    while (parent.get(c)! !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  for (const id of visited) if (nodes.has(id)) parent.set(id, id);
  for (const id of parent.keys()) {
    for (const other of links.get(id)?.keys() ?? []) {
      if (!parent.has(other)) continue;
      const a = find(id);
      const b = find(other);
      if (a !== b) parent.set(a, b);
    }
  }
  const components = new Map<string, Node[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    const list = components.get(root) ?? [];
    list.push(nodes.get(id)!);
    components.set(root, list);
  }

  const ruleNameStmt = prepared<string>(db, 'SELECT rule_name FROM alerts WHERE id = ?').pluck();
  const pinnedOfStmt = prepared<{ alert_id: string; t: number }>(
    db,
    'SELECT m.alert_id, k.t FROM incident_alerts m JOIN incident_keys k ON k.alert_id = m.alert_id AND k.kind = ? WHERE m.incident_id = ? AND m.pinned = 1',
  );
  const touchedIncidents = new Set<string>();
  /** where the alerts of an incident went (the last component placed wins: components are placed in order) */
  const movedTo = new Map<string, string>();
  const sorted = [...components.values()].map((c) => c.sort((a, b) => (before(a, b) ? -1 : 1)));
  sorted.sort((a, b) => (before(a[0], b[0]) ? -1 : 1));
  for (const members of sorted) {
    let anchor: Node | null = null;
    for (const m of members) {
      for (const p of anchorsOf.get(m.id) ?? []) {
        const node = nodes.get(p)!;
        if (!anchor || before(node, anchor)) anchor = node;
      }
    }
    const target = anchor ? membershipOf(anchor.id)!.incidentId : incidentIdFor(members[0].id);
    const existed = prepared(db, 'SELECT 1 FROM incidents WHERE id = ?').get(target) !== undefined;
    ensureIncident(db, target, now);
    if (!existed) report.created.push(target);
    touchedIncidents.add(target);
    // the alerts of the incident the reasons may point to: the component, and the pinned alerts of its incident
    const inIncident = new Set(members.map((m) => m.id));
    if (anchor) {
      for (const r of pinnedOfStmt.all('t', target)) {
        inIncident.add(r.alert_id);
        nodeOf(r.alert_id, r.t);
      }
    }
    const earliest = [...inIncident].map((id) => nodes.get(id)!).reduce((a, b) => (before(a, b) ? a : b));
    for (const m of members) {
      const old = membershipOf(m.id);
      if (old && old.incidentId !== target) {
        touchedIncidents.add(old.incidentId);
        movedTo.set(old.incidentId, target);
      }
      const reason = reasonFor(m, earliest, links.get(m.id), inIncident, nodes, (id) => ruleNameStmt.get(id)!);
      setMembership(db, m.id, target, false, reason);
      memberships.set(m.id, { incidentId: target, pinned: false, closed: false });
      report.grouped += old ? 0 : 1;
    }
  }
  // incidents left without alerts were absorbed (only automatic ones can be: a person's are pinned)
  const countStmt = prepared<number>(db, 'SELECT COUNT(*) FROM incident_alerts WHERE incident_id = ?').pluck();
  for (const id of [...touchedIncidents].sort()) {
    if (countStmt.get(id) === 0) {
      retireIncident(db, id, movedTo.get(id) ?? id);
      report.absorbed.push(id);
      continue;
    }
    refreshIncidentSummary(db, id, now);
    report.changed.push(id);
  }
  if (touchedIncidents.size) bumpIncidentVersion(db);
}

function reasonFor(
  self: Node,
  earliest: Node,
  links: Map<string, Link> | undefined,
  inIncident: Set<string>,
  nodes: Map<string, Node>,
  ruleName: (id: string) => string,
): MembershipReason | null {
  // the first alert of its incident joined through nothing
  if (self.id === earliest.id) return null;
  let best: { node: Node; link: Link } | null = null;
  let bestLater: { node: Node; link: Link } | null = null;
  for (const [id, link] of links ?? []) {
    if (!inIncident.has(id)) continue;
    const node = nodes.get(id)!;
    if (before(node, self)) {
      if (!best || before(best.node, node) || (best.node.id === node.id && keyRank[link.key] < keyRank[best.link.key])) best = { node, link };
    } else if (!bestLater || before(node, bestLater.node)) bestLater = { node, link };
  }
  const pick = best ?? bestLater;
  if (!pick) return null;
  return {
    kind: 'key',
    key: pick.link.key,
    value: pick.link.value,
    viaAlertId: pick.node.id,
    viaRuleName: ruleName(pick.node.id),
    minutes: Math.round(Math.abs(self.t - pick.node.t) / MINUTE_MS),
    direction: best ? 'after' : 'before',
  };
}

/** a linked alert as the placement reads it: its time, the link, and its membership (incident null: not placed) */
interface Linked {
  t: number;
  link: Link;
  incidentId: string | null;
  pinned: number | null;
  /** 1 when its stored reason joined through a later alert ("direction":"before"; JSON.stringify wrote it, so the text is exact) */
  joinedBefore: number | null;
}

type LinkedRow = [alertId: string, t: number, host: string | null, incidentId: string | null, pinned: number | null, joinedBefore: number | null];

/**
 * each key's alerts with their memberships, in one statement (not one per alert); their
 * timestamps, reasons and their incidents' state are read when needed, once per alert /
 * incident, by the caller (a membership's incident always exists: incident_alerts.incident_id
 * references it)
 */
const LINKED = `SELECT k.alert_id, k.t, k.host, m.incident_id, m.pinned, instr(m.reason, '"direction":"before"') > 0 FROM incident_keys k LEFT JOIN incident_alerts m ON m.alert_id = k.alert_id`;

/** an alert's time and its direct links: one per other alert (the better link when several join the pair), each with its membership */
function directLinks(db: AppDb, use: Set<IncidentKey>, windowMs: number, id: string): { t: number; links: Map<string, Linked> } | null {
  const keys = prepared<KeyRow>(db, 'SELECT kind, value, t, host FROM incident_keys WHERE alert_id = ?').all(id);
  const own = keys.find((k) => k.kind === 't');
  if (!own) return null;
  const links = new Map<string, Linked>();
  const add = (r: LinkedRow, link: Link) => {
    const other = r[0];
    if (other === id) return;
    const prev = links.get(other);
    if (!prev || betterLink(link, prev.link)) links.set(other, { t: r[1], link, incidentId: r[3], pinned: r[4], joinedBefore: r[5] });
  };
  if (use.has('process')) {
    const exactStmt = prepared<LinkedRow>(db, `${LINKED} WHERE k.kind = ? AND k.value = ?`).raw();
    for (const k of keys) {
      const lookFor = k.kind === 'ps' ? 'pl' : k.kind === 'pl' ? 'ps' : null;
      if (!lookFor) continue;
      for (const r of exactStmt.all(lookFor, k.value)) add(r, { key: 'process', value: k.value.slice(k.value.indexOf('|') + 1) });
    }
  }
  const windowStmt = prepared<LinkedRow>(db, `${LINKED} WHERE k.kind = ? AND k.value = ? AND k.t BETWEEN ? AND ?`).raw();
  for (const k of keys) {
    if (k.kind !== 'host' && k.kind !== 'user') continue;
    if (!use.has(k.kind)) continue;
    for (const r of windowStmt.all(k.kind, k.value, k.t - windowMs, k.t + windowMs)) {
      // the user key joins alerts on another host only (the host key covers the same host)
      if (k.kind === 'user' && (r[2] === null || k.host === null || r[2] === k.host)) continue;
      add(r, { key: k.kind, value: k.value });
    }
  }
  return { t: own.t, links };
}

function keyReason(self: Node, via: Node, link: Link, ruleName: string): MembershipReason {
  return {
    kind: 'key',
    key: link.key,
    value: link.value,
    viaAlertId: via.id,
    viaRuleName: ruleName,
    minutes: Math.round(Math.abs(self.t - via.t) / MINUTE_MS),
    direction: before(via, self) ? 'after' : 'before',
  };
}

interface Neighbour {
  node: Node;
  link: Link;
  incidentId: string;
  /** its reason joined through a later alert (the reason itself is read only when this alert may replace it) */
  joinedBefore: boolean;
}

/**
 * Place new alerts one by one, the same incidents and reasons as `regroupFrom` gives, without
 * walking whole components. It relies on what the placement keeps true: the unpinned alerts of
 * an incident no person touched are one connected component of the links, and its id comes
 * from its earliest alert. So a new alert only joins (or merges, or renames) the incidents of
 * its direct neighbours, and only its own reason, its neighbours' reasons and the reasons of
 * the incidents' previous earliest alerts can change. Anything near a person's change (a pinned
 * neighbour, a touched or closed incident) is placed by `regroupFrom`.
 *
 * `opts.until`: stop after the alert during which `performance.now()` passed it (default: place
 * all of `ids`); returns how many of `ids` it went through. `opts.touched`: the incidents that
 * gained alerts are added to this set and their summaries left to the caller
 * (`refreshSummaries`); without it they are refreshed before it returns. `opts.times`: alerts'
 * timestamps already read (they never change), `opts.earliest`: incidents' earliest alerts,
 * both kept across the calls of a pass.
 */
export function placeIncrementally(
  db: AppDb,
  config: GroupingConfig,
  ids: string[],
  now: string,
  report: GroupingReport,
  opts: { until?: number; touched?: Set<string>; times?: Map<string, string>; earliest?: Map<string, Node> } = {},
): number {
  const windowMs = config.windowMinutes * MINUTE_MS;
  const use = new Set(config.keys);
  const until = opts.until ?? Infinity;
  const placedStmt = prepared(db, 'SELECT 1 FROM incident_alerts m JOIN incidents i ON i.id = m.incident_id WHERE m.alert_id = ?');
  const timeStmt = prepared<string>(db, 'SELECT timestamp FROM alerts WHERE id = ?').pluck();
  const times = opts.times ?? new Map<string, string>();
  const timeOf = (id: string): string => {
    let ts = times.get(id);
    if (ts === undefined) {
      ts = timeStmt.get(id)!;
      if (ts !== undefined) times.set(id, ts);
    }
    return ts;
  };
  /** the state of the incidents seen in this call (only a person changes it, never inside this transaction; undefined: no such incident) */
  const incidentStmt = prepared<{ status: string; touched: number }>(db, 'SELECT status, touched FROM incidents WHERE id = ?');
  const incidentState = new Map<string, { status: string; touched: number } | undefined>();
  const stateOf = (incidentId: string) => {
    if (!incidentState.has(incidentId)) incidentState.set(incidentId, incidentStmt.get(incidentId));
    return incidentState.get(incidentId);
  };
  const ownTStmt = prepared<number>(db, "SELECT t FROM incident_keys WHERE alert_id = ? AND kind = 't'").pluck();
  const ruleNameStmt = prepared<string>(db, 'SELECT rule_name FROM alerts WHERE id = ?').pluck();
  const earliestStmt = prepared<{ id: string; timestamp: string }>(
    db,
    'SELECT a.id, a.timestamp FROM incident_alerts m JOIN alerts a ON a.id = m.alert_id WHERE m.incident_id = ? ORDER BY a.timestamp, a.id LIMIT 1',
  );
  const reasonStmt = prepared(db, 'UPDATE incident_alerts SET reason = ? WHERE alert_id = ?');
  const reasonOfStmt = prepared<string | null>(db, 'SELECT reason FROM incident_alerts WHERE alert_id = ?').pluck();
  const existsStmt = prepared(db, 'SELECT 1 FROM incidents WHERE id = ?');
  const ruleName = (id: string) => ruleNameStmt.get(id)!;
  /** alerts' (timestamp, t) seen in this call: they never change */
  const nodes = new Map<string, Node>();
  const nodeOf = (id: string, t?: number): Node => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { id, ts: timeOf(id), t: t ?? ownTStmt.get(id) ?? 0 }));
    return n;
  };
  /**
   * the earliest alert of each incident seen in this pass (kept across the calls of a pass: an
   * incident no person touched changes only by this placement, which keeps the map; one taken
   * over from an earlier call is checked to be still in its incident)
   */
  const earliestOf = opts.earliest ?? new Map<string, Node>();
  const checked = new Set<string>();
  const stillInStmt = prepared(db, 'SELECT 1 FROM incident_alerts WHERE alert_id = ? AND incident_id = ?');
  const earliestIn = (incidentId: string): Node => {
    let e = earliestOf.get(incidentId);
    if (e && !checked.has(incidentId)) {
      checked.add(incidentId);
      if (stillInStmt.get(e.id, incidentId) === undefined) e = undefined;
    }
    if (!e) {
      checked.add(incidentId);
      const r = earliestStmt.get(incidentId)!;
      earliestOf.set(incidentId, (e = { id: r.id, ts: r.timestamp, t: ownTStmt.get(r.id) ?? 0 }));
    }
    return e;
  };
  const touched = opts.touched ?? new Set<string>();
  const grouped0 = report.grouped;

  let done = 0;
  for (; done < ids.length && (done === 0 || performance.now() < until); done++) {
    const id = ids[done]!;
    if (placedStmt.get(id)) continue; // placed already (by a `regroupFrom` walk from an earlier alert)
    const own = directLinks(db, use, windowMs, id);
    if (!own) continue;
    const self = nodeOf(id, own.t);
    const neighbours: Neighbour[] = [];
    let walk = false;
    for (const [other, f] of own.links) {
      const inc = f.incidentId === null ? undefined : stateOf(f.incidentId);
      if (f.incidentId === null || !inc) continue; // not placed yet: it finds this alert when its turn comes
      if (f.pinned === 1) {
        if (inc.status === 'closed') continue;
        walk = true;
        break;
      }
      if (inc.status === 'closed' || inc.touched === 1) {
        walk = true;
        break;
      }
      neighbours.push({ node: nodeOf(other, f.t), link: f.link, incidentId: f.incidentId, joinedBefore: f.joinedBefore === 1 });
    }
    const joined = [...new Set(neighbours.map((n) => n.incidentId))].sort();
    // an incident whose id is not its earliest alert's was not made by this placement: walk
    if (!walk && joined.some((inc) => incidentIdFor(earliestIn(inc).id) !== inc)) walk = true;
    if (walk) {
      regroupFrom(db, config, [id], now, report);
      earliestOf.clear();
      incidentState.clear();
      continue;
    }

    let earliest = self;
    for (const inc of joined) if (before(earliestIn(inc), earliest)) earliest = earliestIn(inc);
    const target = incidentIdFor(earliest.id);
    if (!joined.includes(target)) {
      if (existsStmt.get(target) === undefined) report.created.push(target);
      ensureIncident(db, target, now);
      incidentState.delete(target);
    }
    touched.add(target);
    /** previous earliest alerts that are earliest no more: their reasons are read again */
    const recompute: string[] = [];
    for (const inc of joined) {
      if (inc === target) continue;
      recompute.push(earliestIn(inc).id);
      moveAllMembers(db, inc, target);
      retireIncident(db, inc, target);
      incidentState.delete(inc);
      report.absorbed.push(inc);
      earliestOf.delete(inc);
      touched.delete(inc);
    }
    earliestOf.set(target, earliest);

    // its own reason: the closest earlier neighbour, else the closest later one
    let reason: MembershipReason | null = null;
    if (earliest !== self) {
      let best: Neighbour | null = null;
      let bestLater: Neighbour | null = null;
      for (const n of neighbours) {
        if (before(n.node, self)) {
          if (!best || before(best.node, n.node)) best = n;
        } else if (!bestLater || before(n.node, bestLater.node)) bestLater = n;
      }
      const pick = best ?? bestLater;
      if (pick) reason = keyReason(self, pick.node, pick.link, ruleName(pick.node.id));
    }
    setMembership(db, id, target, false, reason);
    report.grouped += 1;

    // the neighbours' reasons: this alert may be their closest earlier (or closest later) one now
    for (const n of neighbours) {
      if (recompute.includes(n.node.id)) continue;
      let replace = false;
      if (before(self, n.node)) {
        const raw = reasonOfStmt.get(n.node.id);
        const r = raw ? (JSON.parse(raw) as MembershipReason) : null;
        replace = r === null || r.kind !== 'key' || r.direction === 'before' || before(nodeOf(r.viaAlertId), self);
      } else if (n.joinedBefore) {
        // an earlier neighbour whose reason is an earlier alert ("after") keeps it: only one through a later alert can change
        const raw = reasonOfStmt.get(n.node.id);
        const r = raw ? (JSON.parse(raw) as MembershipReason) : null;
        if (r !== null && r.kind === 'key' && r.direction === 'before') replace = before(self, nodeOf(r.viaAlertId));
      }
      // (no reason and an earlier new alert: it is its incident's earliest alert and stays without one)
      if (replace) reasonStmt.run(JSON.stringify(keyReason(n.node, self, n.link, ruleName(id))), n.node.id);
    }
    for (const e of recompute) {
      const links = directLinks(db, use, windowMs, e)!;
      const eNode = nodeOf(e, links.t);
      let best: { node: Node; link: Link } | null = null;
      let bestLater: { node: Node; link: Link } | null = null;
      for (const [other, f] of links.links) {
        if (f.incidentId !== target || f.pinned === 1) continue;
        const node = nodeOf(other, f.t);
        if (before(node, eNode)) {
          if (!best || before(best.node, node)) best = { node, link: f.link };
        } else if (!bestLater || before(node, bestLater.node)) bestLater = { node, link: f.link };
      }
      const pick = best ?? bestLater;
      reasonStmt.run(pick ? JSON.stringify(keyReason(eNode, pick.node, pick.link, ruleName(pick.node.id))) : null, e);
    }
  }
  if (opts.touched) {
    if (report.grouped > grouped0) bumpIncidentVersion(db);
  } else refreshSummaries(db, touched, now, report);
  return done;
}

/**
 * Refresh the summaries of the `touched` incidents (in id order; absorbed ones are skipped),
 * removing each from the set, until `performance.now()` passes `until` (at least one).
 */
function refreshSummaries(db: AppDb, touched: Set<string>, now: string, report: GroupingReport, until = Infinity): void {
  const existsStmt = prepared(db, 'SELECT 1 FROM incidents WHERE id = ?');
  const any = touched.size > 0;
  for (const [i, id] of [...touched].sort().entries()) {
    if (i > 0 && performance.now() >= until) break;
    touched.delete(id);
    if (existsStmt.get(id) === undefined) continue; // absorbed by a walk
    refreshIncidentSummary(db, id, now);
    report.changed.push(id);
  }
  if (any) bumpIncidentVersion(db);
}
