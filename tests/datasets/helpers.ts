/** Test helpers: the shared datasets folder and an in-memory store with a file ingested. */
import path from 'node:path';
import { openEventStore, type EventStore } from '@/lib/events/embedded/store';
import { ingestFile, type IngestReport } from '@/lib/events/ingest';
import type { StoredEvent } from '@/lib/events/types';

export const SHARED = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
export const DATASETS = path.join(SHARED, 'datasets');

export function ds(...parts: string[]): string {
  return path.join(DATASETS, ...parts);
}

export async function ingestInto(file: string, opts: Parameters<typeof ingestFile>[1] = {}): Promise<{ store: EventStore; report: IngestReport }> {
  const store = opts.store ?? openEventStore({ file: ':memory:' });
  const report = await ingestFile(file, { ...opts, store });
  return { store, report };
}

/** All stored events, in (timestamp, rowid) order. */
export function allEvents(store: EventStore): StoredEvent[] {
  const rows = store.db.prepare('SELECT idx, doc_id, doc FROM events ORDER BY ts, rowid').all() as {
    idx: string;
    doc_id: string;
    doc: string;
  }[];
  return rows.map((r) => ({ _index: r.idx, _id: r.doc_id, _source: JSON.parse(r.doc) as Record<string, unknown> }));
}

/** Number of stored events whose JSON path equals the value. */
export function countWhere(store: EventStore, jsonPath: string, value: string | number): number {
  return (
    store.db.prepare(`SELECT count(*) AS n FROM events WHERE json_extract(doc, ?) = ?`).get(jsonPath, value) as {
      n: number;
    }
  ).n;
}
