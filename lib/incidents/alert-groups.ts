/**
 * The flat queue grouped by rule, host or user: each group's count, highest severity and
 * how many are not closed (over every alert matching the queue's filters, not one page), and
 * one group's alerts a page at a time. A filter of statuses only (the queue's usual view) is
 * answered from alert_group_counts (counts per group, status and severity rank kept by triggers
 * on alerts, migration 45), so a write to alerts costs the next answer a few hundred rows
 * instead of a GROUP BY over every matching alert; any other filter runs that GROUP BY. Answers
 * are kept per filter until the queue changes (the alert-queue version).
 */
import { assigneeFilter, queueFilter } from '../contracts/export';
import type { AlertListQuery } from '../contracts/alerts';
import { alertQueueVersion, buildWhere, countAlertsMatching, listAlertPage, type AlertFilter } from '../store/alerts';
import { JsonBody, versionMemo } from '../store/answer-cache';
import { getDb, prepared, type AppDb } from '../store/db';
import type { Severity } from '../detection/types';
import type { GroupBy } from './queue-contracts';

/** The most groups one answer lists (the largest first). */
export const MAX_GROUPS = 500;

const column: Record<GroupBy, string> = { rule: 'rule_id', host: 'host_name', user: 'user_name' };
const field: Record<GroupBy, 'ruleId' | 'hostName' | 'userName'> = { rule: 'ruleId', host: 'hostName', user: 'userName' };
const severityOf: Record<number, Severity> = { 4: 'critical', 3: 'high', 2: 'medium', 1: 'low' };
const RANK = `CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

/** group answers kept while the queue's version stays the same */
const remembered = versionMemo(200);

/** The store filter of a queue query (the same as GET /api/alerts uses). */
export function groupFilter(q: Omit<AlertListQuery, 'page' | 'pageSize'> & { assignee?: string }, actor: string): AlertFilter {
  return queueFilter(q, assigneeFilter(q.assignee, actor));
}

/** The groups as JSON text, serialized once per change of the queue (what GET /api/incidents/alert-groups sends). */
export function alertGroupsBody(f: AlertFilter, by: GroupBy, db: AppDb = getDb()): JsonBody {
  const { sort: _s, order: _o, ...counted } = f;
  return remembered(db, `groups-body|${by}|${JSON.stringify(counted)}`, alertQueueVersion(db), () => new JsonBody(JSON.stringify(alertGroups(f, by, db))));
}

export interface AlertGroupsAnswer {
  groups: { key: string | null; label: string | null; count: number; severity: Severity; open: number }[];
  totalGroups: number;
  total: number;
}

type GroupRow = { key: string | null; label: string | null; n: number; rank: number; open: number | null };

function answerOf(rows: GroupRow[], totalGroups: () => number, total: number): AlertGroupsAnswer {
  return {
    groups: rows.slice(0, MAX_GROUPS).map((r) => ({ key: r.key, label: r.label, count: r.n, severity: severityOf[r.rank] ?? 'low', open: r.open ?? 0 })),
    totalGroups: rows.length <= MAX_GROUPS ? rows.length : totalGroups(),
    total,
  };
}

/** The statuses of a filter that has no other condition (undefined: every status), or false when it has another. */
function statusOnly(f: AlertFilter): readonly string[] | undefined | false {
  for (const [k, v] of Object.entries(f)) if (k !== 'status' && k !== 'sort' && k !== 'order' && v !== undefined) return false;
  return f.status === undefined ? undefined : Array.isArray(f.status) ? f.status : [f.status as string];
}

export function alertGroups(f: AlertFilter, by: GroupBy, db: AppDb = getDb()): AlertGroupsAnswer {
  const { sort: _s, order: _o, ...counted } = f;
  return remembered(db, `groups|${by}|${JSON.stringify(counted)}`, alertQueueVersion(db), () => {
    const statuses = statusOnly(counted);
    return statuses === false ? groupsByScan(counted, by, db) : groupsFromCounts(statuses, by, db);
  });
}

/**
 * The groups of a status filter (or none) from alert_group_counts (migration 45, kept by
 * triggers on alerts): a few rows per group instead of every alert — the same answer as
 * `groupsByScan` gives for that filter (tests/incidents/alert-group-counts.test.ts compares them).
 */
export function groupsFromCounts(statuses: readonly string[] | undefined, by: GroupBy, db: AppDb = getDb()): AlertGroupsAnswer {
  const where = `WHERE kind = ?${statuses === undefined ? '' : statuses.length === 0 ? ' AND 0' : ` AND status IN (${statuses.map(() => '?').join(',')})`}`;
  const params = [by, ...(statuses ?? [])];
  const key = 'CASE WHEN is_null THEN NULL ELSE value END';
  const rows = prepared<GroupRow>(
    db,
    `SELECT ${key} AS key, ${by === 'rule' ? 'MAX(label)' : key} AS label, SUM(n1 + n2 + n3 + n4) AS n,
        MAX(CASE WHEN n4 > 0 THEN 4 WHEN n3 > 0 THEN 3 WHEN n2 > 0 THEN 2 ELSE 1 END) AS rank,
        SUM(CASE WHEN status != 'closed' THEN n1 + n2 + n3 + n4 ELSE 0 END) AS open
       FROM alert_group_counts ${where} GROUP BY is_null, value ORDER BY n DESC, key LIMIT ${MAX_GROUPS + 1}`,
  ).all(...params);
  const total = prepared<number>(db, `SELECT IFNULL(SUM(n1 + n2 + n3 + n4), 0) FROM alert_group_counts ${where}`).pluck().get(...params) ?? 0;
  return answerOf(rows, () => prepared<number>(db, `SELECT COUNT(*) FROM (SELECT 1 FROM alert_group_counts ${where} GROUP BY is_null, value)`).pluck().get(...params) ?? 0, total);
}

/** The groups of any filter: a GROUP BY over the matching alerts. */
export function groupsByScan(f: AlertFilter, by: GroupBy, db: AppDb = getDb()): AlertGroupsAnswer {
  const { sql, params } = buildWhere(f);
  const col = column[by];
  const rows = prepared<GroupRow>(
    db,
    `SELECT ${col} AS key, ${by === 'rule' ? 'MAX(rule_name)' : col} AS label, COUNT(*) AS n, MAX(${RANK}) AS rank, SUM(status != 'closed') AS open
       FROM alerts ${sql} GROUP BY ${col} ORDER BY n DESC, key LIMIT ${MAX_GROUPS + 1}`,
  ).all(...params);
  return answerOf(rows, () => prepared<number>(db, `SELECT COUNT(DISTINCT ${col}) + MAX(${col} IS NULL) FROM alerts ${sql}`).pluck().get(...params) ?? 0, countAlertsMatching(db, f));
}

/** One group's alerts (its key exactly), a page in the queue's order, and how many it has. */
export function alertGroupItems(f: AlertFilter, by: GroupBy, key: string, page: number, pageSize: number, db: AppDb = getDb()) {
  const g: AlertFilter = { ...f, [field[by]]: key };
  const { sort: _s, order: _o, ...counted } = g;
  const total = remembered(db, `group-count|${JSON.stringify(counted)}`, alertQueueVersion(db), () => countAlertsMatching(db, counted));
  return { items: listAlertPage(db, { ...g, limit: pageSize, offset: (page - 1) * pageSize }), total, page, pageSize };
}
