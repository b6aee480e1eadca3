import { alertListQuerySchema } from '@/lib/contracts/alerts';
import { listAlerts } from '@/lib/store/alerts';
import { json, parseSearchParams, withRoute } from '../_lib/route';

// GET /api/alerts — the queue: filters (status, host, user, rule), sort, page
export const GET = withRoute(({ req }) => {
  const q = parseSearchParams(req, alertListQuerySchema);
  const { items, total } = listAlerts({
    ...(q.status.length ? { status: q.status } : {}),
    ...(q.host ? { hostName: q.host } : {}),
    ...(q.user ? { userName: q.user } : {}),
    ...(q.rule ? { ruleId: q.rule } : {}),
    sort: q.sort,
    order: q.order,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return json({ items: items.map(({ event, sequenceEvents: _seq, ...summary }) => ({ ...summary, source: { _index: event._index, _id: event._id } })), total, page: q.page, pageSize: q.pageSize });
});
