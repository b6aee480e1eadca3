import { alertListQuerySchema } from '@/lib/contracts/alerts';
import { listAlerts } from '@/lib/store/alerts';
import { assigneeFilter, assigneeFilterSchema, queueFilter } from '@/lib/contracts/export';
import { parseSearchParams, withRoute } from '../_lib/route';
import { getDb } from '@/lib/store/db';
import { cached, dataVersion, jsonText } from '../dashboard/cache';

// GET /api/alerts — the queue: filters (status, host, user, rule), sort, page
export const GET = withRoute(({ req, actor }) => {
  const q = parseSearchParams(req, alertListQuerySchema);
  // assignee=me|none|NAME ("my alerts", unassigned, someone's)
  const assignee = assigneeFilter(parseSearchParams(req, assigneeFilterSchema).assignee, actor);
  const filter = { ...queueFilter(q, assignee), limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
  // the same page is answered from memory until the app database changes (at most 10 s)
  const body = cached(`alerts|${JSON.stringify(filter)}`, dataVersion(getDb()), () => {
    const { items, total } = listAlerts(filter);
    return JSON.stringify({ items: items.map(({ event, sequenceEvents: _seq, ...summary }) => ({ ...summary, source: { _index: event._index, _id: event._id } })), total, page: q.page, pageSize: q.pageSize });
  });
  return jsonText(body);
});
