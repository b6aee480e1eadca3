import { assigneeFilter, queueCsvQuerySchema, queueFilter } from '@/lib/contracts/export';
import { queueCsv } from '@/lib/export';
import { parseSearchParams, RouteError, withRoute } from '../../_lib/route';

/** More rows than a spreadsheet wants; past it the export is refused rather than cut silently. */
const MAX_ROWS = 200_000;

// GET /api/alerts/export?status=&host=&user=&rule=&assignee=&sort=&order= — the queue as CSV
// (every match, streamed from one snapshot: lib/export/queue-csv)
export const GET = withRoute(({ req, actor }) => {
  const q = parseSearchParams(req, queueCsvQuerySchema);
  const csv = queueCsv(queueFilter(q, assigneeFilter(q.assignee, actor)));
  if (csv.total > MAX_ROWS) {
    csv.cancel();
    throw new RouteError('payload_too_large', `the queue has ${csv.total} matching alerts; narrow the filters to at most ${MAX_ROWS} for a CSV export`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(csv.body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="alerts-${stamp}.csv"`,
      'cache-control': 'no-store',
      // how many rows follow (the byte length is not known before the last chunk)
      'x-total-count': String(csv.total),
    },
  });
});
