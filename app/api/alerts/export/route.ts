import { assigneeFilter, queueCsvQuerySchema, queueFilter } from '@/lib/contracts/export';
import { queueCsvExport } from '@/lib/server/queue';
import { parseSearchParams, withRoute } from '../../_lib/route';

// GET /api/alerts/export?status=&host=&user=&rule=&assignee=&sort=&order= — the queue as CSV
// (every match, streamed from one snapshot: lib/export/queue-csv; refused past 200,000 rows)
export const GET = withRoute(({ req, actor }) => {
  const q = parseSearchParams(req, queueCsvQuerySchema);
  const csv = queueCsvExport(queueFilter(q, assigneeFilter(q.assignee, actor)));
  return new Response(csv.body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${csv.fileName}"`,
      'cache-control': 'no-store',
      // how many rows follow (the byte length is not known before the last chunk)
      'x-total-count': String(csv.total),
    },
  });
});
