import { alertListQuerySchema } from '@/lib/contracts/alerts';
import { assigneeFilter, assigneeFilterSchema, queueFilter } from '@/lib/contracts/export';
import { jsonAnswer } from '@/lib/store/answer-cache';
import { queuePage } from '@/lib/server/queue';
import { getDb } from '@/lib/store/db';
import { parseSearchParams, withRoute } from '../_lib/route';

// always per request (documented route segment config): Next then hands the handler the request
// itself, not a proxy that records every read of its URL and headers for static rendering
export const dynamic = 'force-dynamic';

// GET /api/alerts — the queue: filters (status, host, user, rule, assignee=me|none|NAME), sort, page (cached: lib/server/queue)
export const GET = withRoute(({ req, actor }) => {
  const q = parseSearchParams(req, alertListQuerySchema);
  const assignee = assigneeFilter(parseSearchParams(req, assigneeFilterSchema).assignee, actor);
  return jsonAnswer(queuePage(queueFilter(q, assignee), q.page, q.pageSize, getDb()));
});
