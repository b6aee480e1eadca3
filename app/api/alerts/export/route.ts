import { assigneeFilter, queueCsvQuerySchema, queueFilter } from '@/lib/contracts/export';
import { QUEUE_CSV_HEADER, queueCsvLine } from '@/lib/export';
import { countAlertsMatching, iterateQueue } from '@/lib/store/alerts';
import { getDb, openSnapshot } from '@/lib/store/db';
import { parseSearchParams, RouteError, withRoute } from '../../_lib/route';

/** More rows than a spreadsheet wants; past it the export is refused rather than cut silently. */
const MAX_ROWS = 200_000;
/** rows read and sent per step of the stream */
const PAGE = 1000;

// GET /api/alerts/export?status=&host=&user=&rule=&assignee=&sort=&order= — the queue as CSV (every match)
//
// Streamed a page of rows at a time from one cursor, so the browser's download shows progress
// and the server answers other requests between pages; the rows come from one snapshot of the
// database, so alerts created or changed during a long download neither repeat nor go missing.
export const GET = withRoute(({ req, actor }) => {
  const q = parseSearchParams(req, queueCsvQuerySchema);
  const filter = queueFilter(q, assigneeFilter(q.assignee, actor));
  const snapshot = openSnapshot(getDb());
  let total: number;
  try {
    total = countAlertsMatching(filter, snapshot.db);
  } catch (err) {
    snapshot.close();
    throw err;
  }
  if (total > MAX_ROWS) {
    snapshot.close();
    throw new RouteError('payload_too_large', `the queue has ${total} matching alerts; narrow the filters to at most ${MAX_ROWS} for a CSV export`);
  }
  const utf8 = new TextEncoder();
  const items = iterateQueue(filter, snapshot.db);
  const end = () => {
    items.return();
    snapshot.close();
  };
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      try {
        const lines = headerSent ? [] : [QUEUE_CSV_HEADER];
        headerSent = true;
        let done = false;
        for (let n = 0; n < PAGE; n++) {
          const next = items.next();
          if (next.done) {
            done = true;
            break;
          }
          lines.push(queueCsvLine(next.value));
        }
        if (lines.length) controller.enqueue(utf8.encode(lines.join('\r\n') + '\r\n'));
        if (done) {
          end();
          controller.close();
        }
      } catch (err) {
        end();
        controller.error(err);
      }
    },
    cancel() {
      end();
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="alerts-${stamp}.csv"`,
      'cache-control': 'no-store',
      // how many rows follow (the byte length is not known before the last page)
      'x-total-count': String(total),
    },
  });
});
