/**
 * Repository of incidents (migration 19): the incidents, each alert's membership and the
 * reason it joined, the grouping keys, aliases of absorbed incidents, incident checklists.
 * Grouping decisions live in lib/incidents; this file reads and writes rows.
 */
import type { AlertStatus, Severity, Verdict } from '../domain/alert';
import type { IncidentMember, IncidentSummary, MembershipReason } from '../domain/incident';
import { getDb, prepared, type AppDb } from './db';
import { Where } from './where';

interface IncidentRow {
  id: string;
  status: AlertStatus;
  verdict: Verdict | null;
  closing_note: string | null;
  assignee: string | null;
  touched: number;
  severity: Severity;
  risk_score: number;
  alert_count: number;
  open_alerts: number;
  hosts: string;
  users: string;
  rules: string;
  first_seen: string | null;
  last_seen: string | null;
  created_at: string;
  updated_at: string;
  acknowledged_at: string | null;
  closed_at: string | null;
  version: number;
  steps_done?: number;
}

export function rowToIncident(r: IncidentRow, stepsTotal: number): IncidentSummary {
  return {
    id: r.id,
    status: r.status,
    verdict: r.verdict,
    closingNote: r.closing_note,
    assignee: r.assignee,
    severity: r.severity,
    riskScore: r.risk_score,
    alertCount: r.alert_count,
    openAlerts: r.open_alerts,
    hosts: JSON.parse(r.hosts) as string[],
    users: JSON.parse(r.users) as string[],
    rules: JSON.parse(r.rules) as string[],
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    acknowledgedAt: r.acknowledged_at,
    closedAt: r.closed_at,
    version: r.version,
    touched: r.touched === 1,
    progress: { done: r.steps_done ?? 0, total: stepsTotal },
  };
}

/** A number bumped on every change of incidents or memberships (live refresh, answer caches). */
export function incidentVersion(db: AppDb = getDb()): number {
  return (prepared(db, 'SELECT version FROM incident_version WHERE id = 1').get() as { version: number }).version;
}

export function bumpIncidentVersion(db: AppDb): void {
  prepared(db, 'UPDATE incident_version SET version = version + 1 WHERE id = 1').run();
}

/** Create an incident row when it does not exist yet. */
export function ensureIncident(db: AppDb, id: string, now: string): void {
  prepared(db, 'INSERT OR IGNORE INTO incidents (id, created_at, updated_at) VALUES (?, ?, ?)').run(id, now, now);
  prepared(db, 'DELETE FROM incident_aliases WHERE old_id = ?').run(id);
}

/** Delete an incident that has no alerts left; its id then leads to `intoId`. */
export function retireIncident(db: AppDb, id: string, intoId: string): void {
  prepared(db, 'DELETE FROM incident_steps WHERE incident_id = ?').run(id);
  prepared(db, 'DELETE FROM incidents WHERE id = ?').run(id);
  prepared(db, 'UPDATE incident_aliases SET new_id = ? WHERE new_id = ?').run(intoId, id);
  prepared(db, 'INSERT OR REPLACE INTO incident_aliases (old_id, new_id) VALUES (?, ?)').run(id, intoId);
}

export function setMembership(db: AppDb, alertId: string, incidentId: string, pinned: boolean, reason: MembershipReason | null): void {
  prepared(
    db,
    `INSERT INTO incident_alerts (alert_id, incident_id, pinned, reason) VALUES (?, ?, ?, ?)
     ON CONFLICT (alert_id) DO UPDATE SET incident_id = excluded.incident_id, pinned = excluded.pinned, reason = excluded.reason`,
  ).run(alertId, incidentId, pinned ? 1 : 0, reason ? JSON.stringify(reason) : null);
}

/** Move every alert of one incident to another, as they are (one statement; the grouping's merges). */
export function moveAllMembers(db: AppDb, fromId: string, toId: string): void {
  prepared(db, 'UPDATE incident_alerts SET incident_id = ? WHERE incident_id = ?').run(toId, fromId);
}

export function membershipOf(db: AppDb, alertId: string): { incidentId: string; pinned: boolean; reason: MembershipReason | null } | null {
  const r = prepared(db, 'SELECT incident_id, pinned, reason FROM incident_alerts WHERE alert_id = ?').get(alertId) as
    | { incident_id: string; pinned: number; reason: string | null }
    | undefined;
  return r ? { incidentId: r.incident_id, pinned: r.pinned === 1, reason: r.reason ? (JSON.parse(r.reason) as MembershipReason) : null } : null;
}

export function memberIds(db: AppDb, incidentId: string): string[] {
  return prepared(db, 'SELECT alert_id FROM incident_alerts WHERE incident_id = ?').pluck().all(incidentId) as string[];
}

/** Pin every alert of an incident where it is and mark the incident as changed by a person. */
export function touchIncident(db: AppDb, incidentId: string): void {
  prepared(db, 'UPDATE incident_alerts SET pinned = 1 WHERE incident_id = ?').run(incidentId);
  prepared(db, 'UPDATE incidents SET touched = 1 WHERE id = ?').run(incidentId);
}

const LIST_CAP = 20;
const severityOf: Record<number, Severity> = { 4: 'critical', 3: 'high', 2: 'medium', 1: 'low' };

/** Recompute an incident's summary columns from its alerts. */
export function refreshIncidentSummary(db: AppDb, incidentId: string, now: string): void {
  const agg = prepared(
    db,
    `SELECT COUNT(*) AS n,
            SUM(a.status != 'closed') AS open,
            MAX(CASE a.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) AS rank,
            MAX(a.risk_score) AS risk, MIN(a.timestamp) AS first, MAX(a.timestamp) AS last
       FROM incident_alerts m JOIN alerts a ON a.id = m.alert_id WHERE m.incident_id = ?`,
  ).get(incidentId) as { n: number; open: number | null; rank: number | null; risk: number | null; first: string | null; last: string | null };
  const list = (col: string) =>
    prepared(
      db,
      `SELECT ${col} AS v FROM incident_alerts m JOIN alerts a ON a.id = m.alert_id
        WHERE m.incident_id = ? AND ${col} IS NOT NULL GROUP BY lower(${col}) ORDER BY MIN(a.timestamp), lower(${col}) LIMIT ${LIST_CAP}`,
    )
      .pluck()
      .all(incidentId) as string[];
  const rank = agg.rank ?? 1;
  prepared(
    db,
    `UPDATE incidents SET alert_count = ?, open_alerts = ?, severity = ?, severity_rank = ?, risk_score = ?, hosts = ?, users = ?, rules = ?,
            first_seen = ?, last_seen = ?, updated_at = ? WHERE id = ?`,
  ).run(
    agg.n,
    agg.open ?? 0,
    severityOf[rank] ?? 'low',
    rank,
    agg.risk ?? 0,
    JSON.stringify(list('a.host_name')),
    JSON.stringify(list('a.user_name')),
    JSON.stringify(list('a.rule_name')),
    agg.first,
    agg.last,
    now,
    incidentId,
  );
}

/** The incident an id names, following aliases of absorbed incidents (null when none). */
export function resolveIncidentId(db: AppDb, id: string): string | null {
  let current = id;
  for (let i = 0; i < 20; i++) {
    if (prepared(db, 'SELECT 1 FROM incidents WHERE id = ?').get(current)) return current;
    const next = prepared(db, 'SELECT new_id FROM incident_aliases WHERE old_id = ?').pluck().get(current) as string | undefined;
    if (!next) return null;
    current = next;
  }
  return null;
}

/** incident response steps: how many are done or not applicable */
const STEPS_DONE = `(SELECT COUNT(*) FROM incident_steps s WHERE s.incident_id = i.id AND s.state IN ('done','not_applicable'))`;

export function getIncidentRow(db: AppDb, id: string, stepsTotal: number): IncidentSummary | null {
  const r = prepared(db, `SELECT i.*, ${STEPS_DONE} AS steps_done FROM incidents i WHERE i.id = ?`).get(id) as IncidentRow | undefined;
  return r ? rowToIncident(r, stepsTotal) : null;
}

export interface IncidentFilter {
  status?: AlertStatus[];
  assignee?: string | null;
  /** incidents seen in [from, to] (their first..last seen overlaps it) */
  from?: string;
  to?: string;
  /** its hosts, users or rules contain this (case-insensitive for ASCII) */
  text?: string;
  sort?: 'last_seen' | 'severity' | 'first_seen' | 'alert_count' | 'risk_score';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

function incidentWhere(f: IncidentFilter): { sql: string; params: (string | number)[] } {
  // status: filtered on the row (`+`), so SQLite reads the sort's index in order and stops after a page
  return new Where()
    .oneOf('i.status', f.status, { alwaysIn: true })
    .equalsOrNull('i.assignee', f.assignee)
    .atLeast('i.last_seen', f.from)
    .atMost('i.first_seen', f.to)
    .contains(['i.hosts', 'i.users', 'i.rules'], f.text)
    .build();
}

/** One page of incidents in the filter's order (read in the sort's index order when there is one), each with its checklist count. */
export function listIncidentPage(db: AppDb, f: IncidentFilter, stepsTotal: number): IncidentSummary[] {
  const { sql, params } = incidentPageQuery(f);
  const rows = prepared(db, sql).all(...params) as IncidentRow[];
  return rows.map((r) => rowToIncident(r, stepsTotal));
}

/** The SQL and parameters of one incident page (for EXPLAIN QUERY PLAN in tests). */
export function incidentPageQuery(f: IncidentFilter): { sql: string; params: (string | number)[] } {
  const { sql, params } = incidentWhere(f);
  const dir = f.order === 'asc' ? 'ASC' : 'DESC';
  const col = { last_seen: 'i.last_seen', first_seen: 'i.first_seen', severity: 'i.severity_rank', alert_count: 'i.alert_count', risk_score: 'i.risk_score' }[
    f.sort ?? 'last_seen'
  ];
  const limit = Math.min(Math.max(f.limit ?? 100, 1), 5000);
  const offset = Math.max(f.offset ?? 0, 0);
  // the page first, then each row's checklist count; the order is the sort index's (migration 32)
  const order = col === 'i.last_seen' ? `i.last_seen ${dir}, i.id ${dir}` : `${col} ${dir}, i.last_seen ${dir}, i.id ${dir}`;
  return {
    sql: `SELECT i.*, ${STEPS_DONE} AS steps_done FROM (SELECT i.id FROM incidents i ${sql} ORDER BY ${order} LIMIT ? OFFSET ?) p JOIN incidents i ON i.id = p.id ORDER BY ${order}`,
    params: [...params, limit, offset],
  };
}

/** How many incidents match the filter (sort and page ignored). */
export function countIncidents(db: AppDb, f: IncidentFilter): number {
  const { sql, params } = incidentWhere(f);
  return (prepared(db, `SELECT COUNT(*) FROM incidents i ${sql}`).pluck().get(...params) as number) ?? 0;
}

export function listIncidentRows(db: AppDb, f: IncidentFilter, stepsTotal: number): { items: IncidentSummary[]; total: number } {
  return { items: listIncidentPage(db, f, stepsTotal), total: countIncidents(db, f) };
}

interface MemberRow {
  id: string;
  rule_id: string;
  rule_name: string;
  severity: Severity;
  risk_score: number;
  timestamp: string;
  status: AlertStatus;
  verdict: Verdict | null;
  assignee: string | null;
  host_name: string | null;
  user_name: string | null;
  process_name: string | null;
  file_path: string | null;
  subject: string | null;
  pinned: number;
  reason: string | null;
}

/** the subject of an alert storm: the process executable, else the file path, else the process name */
const SUBJECT = `COALESCE(json_extract(a.event, '$.process.executable'), json_extract(a.event, '$."process.executable"'), a.file_path, a.process_name)`;

/** An incident's alerts, ordered by (timestamp, id). */
export function listMembers(db: AppDb, incidentId: string): IncidentMember[] {
  const rows = prepared(
    db,
    `SELECT a.id, a.rule_id, a.rule_name, a.severity, a.risk_score, a.timestamp, a.status, a.verdict, a.assignee, a.host_name, a.user_name,
            a.process_name, a.file_path, ${SUBJECT} AS subject, m.pinned, m.reason
       FROM incident_alerts m JOIN alerts a ON a.id = m.alert_id WHERE m.incident_id = ? ORDER BY a.timestamp, a.id`,
  ).all(incidentId) as MemberRow[];
  return rows.map((r) => ({
    alertId: r.id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    severity: r.severity,
    riskScore: r.risk_score,
    timestamp: r.timestamp,
    status: r.status,
    verdict: r.verdict,
    assignee: r.assignee,
    hostName: r.host_name,
    userName: r.user_name,
    processName: r.process_name,
    filePath: r.file_path,
    subject: typeof r.subject === 'string' ? r.subject : null,
    pinned: r.pinned === 1,
    reason: r.reason ? (JSON.parse(r.reason) as MembershipReason) : null,
  }));
}

// ---------------------------------------------------------------- saved queue views (migration 31)

export interface SavedViewRow {
  id: number;
  name: string;
  search: string;
  updatedAt: string;
}

export function listSavedViews(db: AppDb, owner: string): SavedViewRow[] {
  return prepared(db, 'SELECT id, name, search, updated_at AS updatedAt FROM queue_views WHERE owner = ? ORDER BY name COLLATE NOCASE, id').all(owner) as SavedViewRow[];
}

/** Save (or replace, by name) one of the owner's views; returns it. */
export function upsertSavedView(db: AppDb, owner: string, name: string, search: string, now: string): SavedViewRow {
  prepared(
    db,
    `INSERT INTO queue_views (owner, name, search, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (owner, name) DO UPDATE SET search = excluded.search, updated_at = excluded.updated_at`,
  ).run(owner, name, search, now, now);
  return prepared(db, 'SELECT id, name, search, updated_at AS updatedAt FROM queue_views WHERE owner = ? AND name = ?').get(owner, name) as SavedViewRow;
}

export function countSavedViews(db: AppDb, owner: string): number {
  return prepared(db, 'SELECT COUNT(*) FROM queue_views WHERE owner = ?').pluck().get(owner) as number;
}

/** Delete one of the owner's views; the row it was, or null when the owner has no such view. */
export function deleteSavedView(db: AppDb, owner: string, id: number): SavedViewRow | null {
  const row = prepared(db, 'SELECT id, name, search, updated_at AS updatedAt FROM queue_views WHERE owner = ? AND id = ?').get(owner, id) as SavedViewRow | undefined;
  if (!row) return null;
  prepared(db, 'DELETE FROM queue_views WHERE id = ?').run(id);
  return row;
}

export function getSharedDefault(db: AppDb): { name: string; search: string; setBy: string; setAt: string } | null {
  return (
    (prepared(db, 'SELECT name, search, set_by AS setBy, set_at AS setAt FROM queue_shared_default WHERE id = 1').get() as
      | { name: string; search: string; setBy: string; setAt: string }
      | undefined) ?? null
  );
}

export function setSharedDefaultRow(db: AppDb, v: { name: string; search: string } | null, actor: string, now: string): void {
  if (!v) prepared(db, 'DELETE FROM queue_shared_default WHERE id = 1').run();
  else
    prepared(db, 'INSERT OR REPLACE INTO queue_shared_default (id, name, search, set_by, set_at) VALUES (1, ?, ?, ?, ?)').run(v.name, v.search, actor, now);
}
