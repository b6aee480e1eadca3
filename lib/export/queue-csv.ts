/**
 * The queue as CSV, streamed: one snapshot of the database (so alerts created or changed
 * during a long download neither repeat nor go missing), one cursor over it, a page of lines
 * per chunk (so the download shows progress and the server answers other requests between
 * chunks). The snapshot is let go when the last line is sent, on an error, or on cancel.
 */
import { countAlertsMatching, iterateQueue, type AlertFilter } from '../store/alerts';
import { getDb, openSnapshot, type AppDb } from '../store/db';
import { QUEUE_CSV_HEADER, queueCsvLine } from './render';

/** lines read and sent per chunk */
const CHUNK_LINES = 1000;

export interface QueueCsv {
  /** how many alerts (lines after the header) the stream holds */
  total: number;
  body: ReadableStream<Uint8Array>;
  /** let go of the snapshot without sending (when the answer is refused after all) */
  cancel(): void;
}

export function queueCsv(filter: AlertFilter, db: AppDb = getDb()): QueueCsv {
  const snapshot = openSnapshot(db);
  let total: number;
  try {
    total = countAlertsMatching(snapshot.db, filter);
  } catch (err) {
    snapshot.close();
    throw err;
  }
  const utf8 = new TextEncoder();
  const items = iterateQueue(snapshot.db, filter);
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
        for (let n = 0; n < CHUNK_LINES; n++) {
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
    cancel: end,
  });
  return { total, body, cancel: end };
}
