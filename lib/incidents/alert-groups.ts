/**
 * The flat queue grouped by rule, host or user: each group's count, highest severity and
 * how many are not closed (over every alert matching the queue's filters, not one page), and
 * one group's alerts a page at a time. Answers are kept per filter until the queue changes
 * (the alert-queue version), so 20 people looking at the same groups cost one GROUP BY.
 */
import { assigneeFilter, queueFilter } from '../contracts/export';
import type { AlertListQuery } from '../contracts/alerts';
import { alertQueueVersion, buildWhere, countAlertsMatching, listAlertPage, type AlertFilter } from '../store/alerts';
import { JsonBody } from '../store/answer-cache';
import { getDb, prepared, type AppDb } from '../store/db';
import type { Severity } from '../detection/types';
import type { GroupBy } from './queue-contracts';

/** The most groups one answer lists (the largest first). */
export const MAX_GROUPS = 500;

const column: Record<GroupBy, string> = { rule: 'rule_id', host: 'host_name', user: 'user_name' };
const field: Record<GroupBy, 'ruleId' | 'hostName' | 'userName'> = { rule: 'ruleId', host: 'hostName', user: 'userName' };
const severityOf: Record<number, Severity> = { 4: 'critical', 3: 'high', 2: 'medium', 1: 'low' };
const RANK = `CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

const memos = new WeakMap<AppDb, Map<string, { version: number; value: unknown }>>();
function remembered<T>(db: AppDb, key: string, version: number, make: () => T): T {
  let memo = memos.get(db);
  if (!memo) memos.set(db, (memo = new Map()));
  const hit = memo.get(key);
  if (hit && hit.version === version) return hit.value as T;
  const value = make();
  if (memo.size >= 200) memo.delete(memo.keys().next().value!);
  memo.set(key, { version, value });
  return value;
}

/** The store filter of a queue query (the same as GET /api/alerts uses). */
export function groupFilter(q: Omit<AlertListQuery, 'page' | 'pageSize'> & { assignee?: string }, actor: string): AlertFilter {
  return queueFilter(q, assigneeFilter(q.assignee, actor));
}

/** The groups as JSON text, serialized once per change of the queue (what GET /api/incidents/alert-groups sends). */
export function alertGroupsBody(f: AlertFilter, by: GroupBy, db: AppDb = getDb()): JsonBody {
  const { sort: _s, order: _o, ...counted } = f;
  return remembered(db, `groups-body|${by}|${JSON.stringify(counted)}`, alertQueueVersion(db), () => new JsonBody(JSON.stringify(alertGroups(f, by, db))));
}

export function alertGroups(f: AlertFilter, by: GroupBy, db: AppDb = getDb()) {
  const { sort: _s, order: _o, ...counted } = f;
  return remembered(db, `groups|${by}|${JSON.stringify(counted)}`, alertQueueVersion(db), () => {
    const { sql, params } = buildWhere(counted);
    const col = column[by];
    const rows = prepared<{ key: string | null; label: string | null; n: number; rank: number; open: number }>(
      db,
      `SELECT ${col} AS key, ${by === 'rule' ? 'MAX(rule_name)' : col} AS label, COUNT(*) AS n, MAX(${RANK}) AS rank, SUM(status != 'closed') AS open
         FROM alerts ${sql} GROUP BY ${col} ORDER BY n DESC, key LIMIT ${MAX_GROUPS + 1}`,
    ).all(...params);
    const totalGroups =
      rows.length <= MAX_GROUPS ? rows.length : (prepared<number>(db, `SELECT COUNT(DISTINCT ${col}) + MAX(${col} IS NULL) FROM alerts ${sql}`).pluck().get(...params));
    return {
      groups: rows.slice(0, MAX_GROUPS).map((r) => ({ key: r.key, label: r.label, count: r.n, severity: severityOf[r.rank] ?? 'low', open: r.open ?? 0 })),
      totalGroups,
      total: countAlertsMatching(db, counted),
    };
  });
}

/** One group's alerts (its key exactly), a page in the queue's order, and how many it has. */
export function alertGroupItems(f: AlertFilter, by: GroupBy, key: string, page: number, pageSize: number, db: AppDb = getDb()) {
  const g: AlertFilter = { ...f, [field[by]]: key };
  const { sort: _s, order: _o, ...counted } = g;
  const total = remembered(db, `group-count|${JSON.stringify(counted)}`, alertQueueVersion(db), () => countAlertsMatching(db, counted));
  return { items: listAlertPage(db, { ...g, limit: pageSize, offset: (page - 1) * pageSize }), total, page, pageSize };
}
