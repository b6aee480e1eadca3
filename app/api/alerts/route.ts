import { alertListQuerySchema } from '@/lib/contracts/alerts';
import { countAlertsMatching, listAlertPage } from '@/lib/store/alerts';
import { assigneeFilter, assigneeFilterSchema, queueFilter } from '@/lib/contracts/export';
import { parseSearchParams, withRoute } from '../_lib/route';
import { getDb } from '@/lib/store/db';
import { cached, dataVersion, jsonAnswer, JsonBody } from '../_lib/answer-cache';

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
  const version = dataVersion(db);
  // the same page is answered from memory until the app database changes (at most 10 s);
  // the total is kept per filter, so paging and re-sorting do not count again
  const { sort: _sort, order: _order, ...counted } = filter;
  const total = cached(`alerts-count|${JSON.stringify(counted)}`, version, () => countAlertsMatching(counted, db));
  const paged = { ...filter, limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
  const body = cached(
    `alerts|${JSON.stringify(paged)}`,
    version,
    () => new JsonBody(JSON.stringify({ items: listAlertPage(paged, db), total, page: q.page, pageSize: q.pageSize })),
  );
  return jsonAnswer(body);
});
