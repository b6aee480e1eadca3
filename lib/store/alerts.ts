/**
 * Repository of `alerts`. An alert is unique per (rule_id, dedup_key): the dedup key is the
 * source event's `_index` + `_id`, or for a sequence the sorted set of its events' keys, so
 * an event never makes two alerts for one rule whatever windows overlap.
 */
import type { Alert, AlertFilter, AlertSortField, AlertStatus, Severity, Verdict, MitreTechnique } from '../domain/alert';
import type { EqlEvent } from '../eql/types';
import { exactLongsAsDigits, parseDocumentJson, stringifyDocumentJson } from '../eql/document';
import { prepared, type AppDb } from './db';
import { Where } from './where';

/** An alert as stored, with its dedup key. */
export interface NewAlert extends Alert {
  dedupKey: string;
}

/** An `alerts` row as SQLite returns it. */
export interface AlertRow {
  id: string;
  rule_id: string;
  dedup_key: string;
  rule_version: number;
  rule_name: string;
  severity: Severity;
  risk_score: number;
  mitre: string;
  event_index: string;
  event_id: string;
  event: string;
  sequence_events: string | null;
  timestamp: string;
  created_at: string;
  run_id: string;
  status: AlertStatus;
  verdict: Verdict | null;
  closing_note: string | null;
  assignee: string | null;
  host_name: string | null;
  user_name: string | null;
  process_name: string | null;
  process_entity_id: string | null;
  file_path: string | null;
  acknowledged_at: string | null;
  closed_at: string | null;
  updated_at: string;
  version: number;
}

export function rowToAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleVersion: r.rule_version,
    ruleName: r.rule_name,
    severity: r.severity,
    riskScore: r.risk_score,
    mitre: JSON.parse(r.mitre) as MitreTechnique[],
    // integers beyond 2^53 (64-bit ids, long fields) stay exact (ExactLong), as the detection read them
    event: parseDocumentJson(r.event) as EqlEvent,
    sequenceEvents: r.sequence_events ? (parseDocumentJson(r.sequence_events) as EqlEvent[]) : null,
    timestamp: r.timestamp,
    createdAt: r.created_at,
    runId: r.run_id,
    status: r.status,
    verdict: r.verdict,
    assignee: r.assignee,
    hostName: r.host_name,
    userName: r.user_name,
    processName: r.process_name,
    processEntityId: r.process_entity_id,
    filePath: r.file_path,
    version: r.version,
    closingNote: r.closing_note,
    acknowledgedAt: r.acknowledged_at,
    closedAt: r.closed_at,
    updatedAt: r.updated_at,
  };
}

/**
 * An alert for JSON that leaves the process (API answers, page props, exports): the integers
 * beyond 2^53 of its events as strings of their digits (lib/eql/document exactLongsAsDigits),
 * which every reader shows as stored; a JSON number would be rounded by the reader's JSON.parse.
 */
export function alertWithExactDigits<A extends Pick<Alert, 'event' | 'sequenceEvents'>>(a: A): A {
  const event = exactLongsAsDigits(a.event);
  const sequenceEvents = a.sequenceEvents ? exactLongsAsDigits(a.sequenceEvents) : a.sequenceEvents;
  return event === a.event && sequenceEvents === a.sequenceEvents ? a : { ...a, event, sequenceEvents };
}

/**
 * Insert alerts, skipping any whose (rule_id, dedup_key) already exists. Returns the
 * alerts actually inserted. Call it inside the run's commit transaction.
 */
export function insertAlerts(db: AppDb, alerts: NewAlert[]): NewAlert[] {
  const stmt = db.prepare(
    `INSERT OR IGNORE INTO alerts (id, rule_id, dedup_key, rule_version, rule_name, severity, risk_score, mitre,
       event_index, event_id, event, sequence_events, timestamp, created_at, run_id, status, verdict, assignee,
       host_name, user_name, process_name, process_entity_id, file_path, updated_at, version)
     VALUES (@id, @rule_id, @dedup_key, @rule_version, @rule_name, @severity, @risk_score, @mitre,
       @event_index, @event_id, @event, @sequence_events, @timestamp, @created_at, @run_id, @status, @verdict, @assignee,
       @host_name, @user_name, @process_name, @process_entity_id, @file_path, @updated_at, @version)`,
  );
  const inserted: NewAlert[] = [];
  for (const a of alerts) {
    const res = stmt.run({
      id: a.id,
      rule_id: a.ruleId,
      dedup_key: a.dedupKey,
      rule_version: a.ruleVersion,
      rule_name: a.ruleName,
      severity: a.severity,
      risk_score: a.riskScore,
      mitre: JSON.stringify(a.mitre),
      event_index: a.event._index,
      event_id: a.event._id,
      event: stringifyDocumentJson(a.event),
      sequence_events: a.sequenceEvents ? stringifyDocumentJson(a.sequenceEvents) : null,
      timestamp: a.timestamp,
      created_at: a.createdAt,
      run_id: a.runId,
      status: a.status,
      verdict: a.verdict,
      assignee: a.assignee,
      host_name: a.hostName,
      user_name: a.userName,
      process_name: a.processName,
      process_entity_id: a.processEntityId,
      file_path: a.filePath,
      updated_at: a.createdAt,
      version: a.version,
    });
    if (res.changes === 1) inserted.push(a);
  }
  return inserted;
}

export function getAlertRow(db: AppDb, id: string): Alert | null {
  const r = db.prepare<unknown[], AlertRow>('SELECT * FROM alerts WHERE id = ?').get(id);
  return r ? rowToAlert(r) : null;
}

export type { AlertFilter, AlertSortField };

const severityRank = `CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

/** The WHERE clause of an alert filter (lib/store/where builds the incidents' too). */
export function buildWhere(f: AlertFilter, forPage = false): { sql: string; params: (string | number)[] } {
  const w = new Where();
  // status has three values: it is never the index to search, but it is in every queue
  // index, so a page query filters it there (see migration 5); with several values of another
  // column, `+col` keeps SQLite from choosing that column's index over the sort order's (which
  // stops after one page instead of sorting every match)
  const status = f.status === undefined ? undefined : Array.isArray(f.status) ? f.status : [f.status];
  w.oneOf('status', status, { alwaysIn: forPage });
  w.oneOf('rule_id', f.ruleId, { plus: forPage });
  w.oneOf('host_name', f.hostName, { plus: forPage });
  w.oneOf('user_name', f.userName, { plus: forPage });
  w.oneOf('process_entity_id', f.processEntityId, { plus: forPage });
  w.oneOf('severity', f.severity, { plus: forPage });
  w.equalsOrNull('assignee', f.assignee);
  if (f.verdict) w.add('verdict = ?', f.verdict);
  w.atLeast('timestamp', f.from).atMost('timestamp', f.to);
  w.contains(['host_name'], f.hostContains);
  w.contains(['user_name'], f.userContains);
  w.contains(['rule_name', 'host_name', 'user_name', 'process_name', 'file_path'], f.text);
  // filter-out: not this value (LIKE without wildcards: whole value, any ASCII case); NULL is not the value
  for (const [col, value] of [['host_name', f.notHost], ['user_name', f.notUser], ['process_name', f.notProcess], ['file_path', f.notFile]] as const) {
    if (value) w.add(`(${col} IS NULL OR ${col} NOT LIKE ? ESCAPE '\\')`, value.replace(/[\\%_]/g, (c) => '\\' + c));
  }
  return w.build();
}

function orderByOf(f: AlertFilter): string {
  const order = f.order === 'asc' ? 'ASC' : 'DESC';
  const sortCol = f.sort === 'severity' ? severityRank : (f.sort ?? 'timestamp');
  return sortCol === 'timestamp' ? `timestamp ${order}, id ${order}` : `${sortCol} ${order}, timestamp ${order}, id ${order}`;
}

/** The most alerts one page query reads. */
const MAX_PAGE_SIZE = 1000;

/** One page of the filter's alerts, in its order: the SQL and its parameters. */
function pageQuery(f: AlertFilter, columns: string): { sql: string; params: (string | number)[] } {
  const { sql, params } = buildWhere(f, true);
  const limit = Math.min(Math.max(f.limit ?? 50, 1), MAX_PAGE_SIZE);
  const offset = Math.max(f.offset ?? 0, 0);
  return { sql: `SELECT ${columns} FROM alerts ${sql} ORDER BY ${orderByOf(f)} LIMIT ? OFFSET ?`, params: [...params, limit, offset] };
}

/** How many alerts match the filter (sort and page ignored). */
export function countAlertsMatching(db: AppDb, f: AlertFilter = {}): number {
  const { sql, params } = buildWhere(f);
  return prepared<{ n: number }>(db, `SELECT COUNT(*) AS n FROM alerts ${sql}`).get(...params)?.n ?? 0;
}

/** A page of alerts matching the filter, and the total count. */
export function listAlerts(db: AppDb, f: AlertFilter = {}): { items: Alert[]; total: number } {
  const { sql, params } = pageQuery(f, '*');
  const rows = prepared<AlertRow>(db, sql).all(...params);
  return { items: rows.map(rowToAlert), total: countAlertsMatching(db, f) };
}

/** An alert as the queue lists it: no source event, no MITRE list, no notes or times of its workflow. */
export type AlertListItem = Pick<
  Alert,
  | 'id' | 'ruleId' | 'ruleVersion' | 'ruleName' | 'severity' | 'riskScore' | 'timestamp' | 'createdAt' | 'status' | 'verdict'
  | 'assignee' | 'hostName' | 'userName' | 'processName' | 'processEntityId' | 'filePath' | 'version'
> & {
  /** the source event's index and id */
  source: { _index: string; _id: string };
};

/**
 * The queue's fields and the columns they come from, in the order an item lists them (the
 * source event's reference follows as `source`). Migration 10's queue-version trigger
 * watches these columns.
 */
export const QUEUE_FIELDS = [
  ['id', 'id'],
  ['ruleId', 'rule_id'],
  ['ruleVersion', 'rule_version'],
  ['ruleName', 'rule_name'],
  ['severity', 'severity'],
  ['riskScore', 'risk_score'],
  ['timestamp', 'timestamp'],
  ['createdAt', 'created_at'],
  ['status', 'status'],
  ['verdict', 'verdict'],
  ['assignee', 'assignee'],
  ['hostName', 'host_name'],
  ['userName', 'user_name'],
  ['processName', 'process_name'],
  ['processEntityId', 'process_entity_id'],
  ['filePath', 'file_path'],
  ['version', 'version'],
] as const satisfies readonly (readonly [keyof Omit<AlertListItem, 'source'>, string])[];

/** the columns a queue item is built from (the page query reads no others) */
export const QUEUE_COLUMNS: readonly string[] = [...QUEUE_FIELDS.map(([, column]) => column), 'event_index', 'event_id'];

/** one queue item as a JSON object, built by SQLite from a page row */
const QUEUE_ITEM_JSON = `json_object(${QUEUE_FIELDS.map(([key, column]) => `'${key}', ${column}`).join(', ')}, 'source', json_object('_index', event_index, '_id', event_id))`;

/** The SQL and parameters of one queue page's rows (for EXPLAIN QUERY PLAN in tests and the API profile). */
export function alertPageQuery(f: AlertFilter): { sql: string; params: (string | number)[] } {
  return pageQuery(f, QUEUE_COLUMNS.join(', '));
}

/**
 * One page of the queue as the JSON text of its items' array, in the order and with the
 * filters of `listAlerts`: only the columns the queue shows are read (the source event's
 * JSON is neither read nor parsed), and SQLite writes the JSON itself, so no row objects
 * are built for an answer that is sent as text (0.15 ms instead of 0.9 ms for 100 rows).
 * The aggregate sorts the page's rows again (at most a page) so the order is defined, not
 * left to how SQLite feeds the subquery's rows. The total is left to `countAlertsMatching`
 * so a caller can keep it across pages.
 */
export function alertPageJson(db: AppDb, f: AlertFilter = {}): string {
  const { sql, params } = alertPageQuery(f);
  const stmt = prepared<string | null>(db, `SELECT json_group_array(${QUEUE_ITEM_JSON} ORDER BY ${orderByOf(f)}) FROM (${sql})`);
  return stmt.pluck().get(...params) ?? '[]';
}

/**
 * Every alert of the filter, in its order, one queue item at a time, from one cursor (no
 * OFFSET, so reading 100k alerts costs the same per row at the end as at the start). While
 * the cursor is open its connection runs nothing else: give it one of its own (a snapshot).
 */
export function* iterateQueue(db: AppDb, f: AlertFilter): Generator<AlertListItem, void, undefined> {
  const { sql, params } = buildWhere(f, true);
  const stmt = db.prepare<unknown[], string>(`SELECT ${QUEUE_ITEM_JSON} FROM alerts ${sql} ORDER BY ${orderByOf(f)}`).pluck();
  for (const text of stmt.iterate(...params)) yield JSON.parse(text) as AlertListItem;
}

/** One page of the queue as objects (see `alertPageJson`). */
export function listAlertPage(db: AppDb, f: AlertFilter = {}): AlertListItem[] {
  return JSON.parse(alertPageJson(db, f)) as AlertListItem[];
}

/** Counts for the dashboard: by status, by severity, by rule (ids), by assignee. */
export function alertCounts(db: AppDb, f: Pick<AlertFilter, 'from' | 'to'> = {}): {
  byStatus: Record<string, number>;
  bySeverity: Record<string, number>;
  byRule: Record<string, number>;
  byAssignee: Record<string, number>;
} {
  const { sql, params } = buildWhere(f);
  const group = (col: string) =>
    Object.fromEntries(
      (db.prepare<unknown[], {
        k: string | null;
        n: number;
      }>(`SELECT ${col} AS k, COUNT(*) AS n FROM alerts ${sql} GROUP BY ${col}`).all(...params)).map((r) => [r.k ?? '', r.n]),
    );
  return { byStatus: group('status'), bySeverity: group('severity'), byRule: group('rule_id'), byAssignee: group('assignee') };
}

export interface AlertRowPatch {
  status?: AlertStatus;
  verdict?: Verdict | null;
  closingNote?: string | null;
  assignee?: string | null;
  acknowledgedAt?: string | null;
  closedAt?: string | null;
}

/**
 * Apply a patch when the stored version is `expectedVersion`; bumps the version.
 * Returns false when the version did not match (nothing written).
 */
export function updateAlertRow(db: AppDb, id: string, patch: AlertRowPatch, expectedVersion: number, now: string): boolean {
  const sets: string[] = ['version = version + 1', 'updated_at = ?'];
  const params: (string | number | null)[] = [now];
  const col: Record<keyof AlertRowPatch, string> = {
    status: 'status',
    verdict: 'verdict',
    closingNote: 'closing_note',
    assignee: 'assignee',
    acknowledgedAt: 'acknowledged_at',
    closedAt: 'closed_at',
  };
  for (const key of Object.keys(col) as (keyof AlertRowPatch)[]) {
    if (patch[key] !== undefined) {
      sets.push(`${col[key]} = ?`);
      params.push(patch[key] ?? null);
    }
  }
  const res = db.prepare(`UPDATE alerts SET ${sets.join(', ')} WHERE id = ? AND version = ?`).run(...params, id, expectedVersion);
  return res.changes === 1;
}

/** Open (not closed) alerts of a rule, oldest first (bounded). */
export function listUnclosedAlertsOfRule(db: AppDb, ruleId: string, limit = 10000): Alert[] {
  const rows = db
    .prepare<unknown[], AlertRow>(`SELECT * FROM alerts WHERE rule_id = ? AND status != 'closed' ORDER BY timestamp ASC LIMIT ?`)
    .all(ruleId, limit);
  return rows.map(rowToAlert);
}

export function countAlerts(db: AppDb): number {
  return db.prepare<unknown[], { n: number }>('SELECT COUNT(*) AS n FROM alerts').get()?.n ?? 0;
}

/**
 * A number that changes whenever an alert is created or deleted or its creation, acknowledge
 * or close time or assignee changes (triggers, migration 7), and on nothing else.
 */
export function alertLifecycleVersion(db: AppDb): number {
  return prepared<{ version: number }>(db, 'SELECT version FROM alert_lifecycle WHERE id = 1').get()?.version ?? 0;
}

/**
 * A number that changes whenever an alert is created or deleted or a column the queue lists
 * is written (triggers, migration 10), and on nothing else: a checklist tick or a note
 * leaves it alone.
 */
export function alertQueueVersion(db: AppDb): number {
  return prepared<{ version: number }>(db, 'SELECT version FROM alert_queue_version WHERE id = 1').get()?.version ?? 0;
}
