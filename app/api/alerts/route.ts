import { alertListQuerySchema } from '@/lib/contracts/alerts';
import { alertPageJson, countAlertsMatching } from '@/lib/store/alerts';
import { assigneeFilter, assigneeFilterSchema, queueFilter } from '@/lib/contracts/export';
import { parseSearchParams, withRoute } from '../_lib/route';
import { getDb } from '@/lib/store/db';
import { cached, jsonAnswer, JsonBody, queueVersion } from '../_lib/answer-cache';

// always per request (documented route segment config): Next then hands the handler the request
// itself, not a proxy that records every read of its URL and headers for static rendering
export const dynamic = 'force-dynamic';

// GET /api/alerts — the queue: filters (status, host, user, rule, assignee), sort, page
export const GET = withRoute(({ req, actor }) => {
  const q = parseSearchParams(req, alertListQuerySchema);
  // assignee=me|none|NAME ("my alerts", unassigned, someone's)
  const assignee = assigneeFilter(parseSearchParams(req, assigneeFilterSchema).assignee, actor);
  const filter = queueFilter(q, assignee);
  const db = getDb();
  // a page depends on the queue's columns of the alerts and nothing else (migration 10's
  // counter): it is answered from memory until an alert is added, removed or changes a listed
  // column (at most 10 s), so checklist ticks and notes do not drop it; the total is kept per
  // filter, so paging and re-sorting do not count again
  const version = queueVersion(db);
  const { sort: _sort, order: _order, ...counted } = filter;
  const total = cached(`alerts-count|${JSON.stringify(counted)}`, version, () => countAlertsMatching(counted, db));
  const paged = { ...filter, limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
  const body = cached(
    `alerts|${JSON.stringify(paged)}`,
    version,
    // the items' JSON comes from SQLite as text and is sent as it is
    () => new JsonBody(`{"items":${alertPageJson(paged, db)},"total":${total},"page":${q.page},"pageSize":${q.pageSize}}`),
  );
  return jsonAnswer(body);
});
