import 'server-only';
import type { AlertFilter } from '@/lib/store/alerts';
import { alertPageJson, countAlertsMatching } from '@/lib/store/alerts';
import type { AppDb } from '@/lib/store/db';
import { AppError } from '@/lib/errors';
import { queueCsv } from '@/lib/export/queue-csv';
import { cached, JsonBody, queueVersion } from '@/lib/store/answer-cache';

/**
 * One page of the queue as JSON. A page depends on the queue's columns of the alerts and
 * nothing else (migration 10's counter): it is answered from memory until an alert is added,
 * removed or changes a listed column (at most 10 s), so checklist ticks and notes do not drop
 * it; the total is kept per filter, so paging and re-sorting do not count again.
 */
export function queuePage(filter: AlertFilter, page: number, pageSize: number, db: AppDb): JsonBody {
  const version = queueVersion(db);
  const { sort: _sort, order: _order, ...counted } = filter;
  const total = cached(`alerts-count|${JSON.stringify(counted)}`, version, () => countAlertsMatching(db, counted));
  const paged = { ...filter, limit: pageSize, offset: (page - 1) * pageSize };
  return cached(
    `alerts|${JSON.stringify(paged)}`,
    version,
    // the items' JSON comes from SQLite as text and is sent as it is
    () => new JsonBody(`{"items":${alertPageJson(db, paged)},"total":${total},"page":${page},"pageSize":${pageSize}}`),
  );
}

/** More rows than a spreadsheet wants; past it the export is refused rather than cut silently. */
const MAX_CSV_ROWS = 200_000;

/** The queue as CSV (every match, streamed from one snapshot), or 'payload_too_large' past MAX_CSV_ROWS. */
export function queueCsvExport(filter: AlertFilter, now = new Date()): { body: ReadableStream<Uint8Array>; total: number; fileName: string } {
  const csv = queueCsv(filter);
  if (csv.total > MAX_CSV_ROWS) {
    csv.cancel();
    throw new AppError('payload_too_large', `the queue has ${csv.total} matching alerts; narrow the filters to at most ${MAX_CSV_ROWS} for a CSV export`);
  }
  return { body: csv.body, total: csv.total, fileName: `alerts-${now.toISOString().replace(/[:.]/g, '-')}.csv` };
}
