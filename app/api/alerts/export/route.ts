import { assigneeFilter, queueCsvQuerySchema, queueFilter } from '@/lib/contracts/export';
import { alertsToCsv } from '@/lib/export';
import { listAlerts } from '@/lib/store/alerts';
import type { Alert } from '@/lib/detection/types';
import { parseSearchParams, RouteError, withRoute } from '../../_lib/route';

/** More rows than a spreadsheet wants; past it the export is refused rather than cut silently. */
const MAX_ROWS = 200_000;
const PAGE = 1000;

// GET /api/alerts/export?status=&host=&user=&rule=&assignee=&sort=&order= — the queue as CSV (every match)
export const GET = withRoute(({ req, actor }) => {
  const q = parseSearchParams(req, queueCsvQuerySchema);
  const assignee = assigneeFilter(q.assignee, actor);
  const filter = queueFilter(q, assignee);
  const first = listAlerts({ ...filter, limit: PAGE, offset: 0 });
  if (first.total > MAX_ROWS) {
    throw new RouteError('payload_too_large', `the queue has ${first.total} matching alerts; narrow the filters to at most ${MAX_ROWS} for a CSV export`);
  }
  function* rows(): Generator<Alert> {
    yield* first.items;
    for (let offset = PAGE; offset < first.total; offset += PAGE) yield* listAlerts({ ...filter, limit: PAGE, offset }).items;
  }
  const csv = alertsToCsv(rows());
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(csv, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="alerts-${stamp}.csv"`,
      'cache-control': 'no-store',
    },
  });
});
