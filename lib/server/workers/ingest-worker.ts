/**
 * The ingest worker (started by lib/server/ingest-jobs.ts through spawn.ts): reads, parses,
 * normalises and stores one uploaded file per request on its own connection to the events
 * database, in short transactions, so the web process's thread only receives the upload
 * and records progress. Errors cross over with their code (IngestInputError:
 * invalid_request) and message.
 */
import { ingestFile } from '@/lib/events/ingest';
import { openEventStore, type EventStore } from '@/lib/events/embedded/store';
import { serveRequests } from './serve';
import { ingestWorkerRequestSchema, type IngestWorkerResponse } from './ingest-protocol';
import type { IngestProgress } from '@/lib/events/ingest';

const stores = new Map<string, EventStore>();

function storeFor(file: string): EventStore {
  let s = stores.get(file);
  if (!s || !s.db.open) {
    s = openEventStore({ file });
    stores.set(file, s);
  }
  return s;
}

serveRequests<ReturnType<typeof ingestWorkerRequestSchema.parse>, IngestWorkerResponse, IngestProgress>(ingestWorkerRequestSchema, async (req, ctx) => {
  const store = storeFor(req.eventsDb);
  const report = await ingestFile(req.file, {
    store,
    format: req.format,
    ...(req.index ? { index: req.index } : {}),
    batchSize: req.batchSize ?? 5000,
    onProgress: (p) => ctx.progress(p),
  });
  return {
    read: report.read,
    stored: report.stored,
    replaced: report.replaced,
    rejected: report.rejected,
    rejectedCount: report.rejectedCount,
    format: report.format,
    formats: report.formats as Record<string, number>,
    indices: report.indices,
    lines: report.lines,
    bytes: report.bytes,
    writer: report.writer,
    encoding: report.encoding,
    invalidUtf8: report.invalidUtf8,
    warnings: report.warnings,
  };
});
