/**
 * (Re)load the demo data set into an event store: clear the demo indices, then write the
 * set in batches (idempotent: the store replaces by (_index, _id)).
 */
import type { EventStoreWriter } from '../events/types';
import { type DemoDataSet, type DemoOptions, generateDemoData } from './generate';
import { DEMO_INDEX_NAMES } from './world';

export interface LoadProgress {
  written: number;
  total: number;
}

export interface LoadDemoOptions extends DemoOptions {
  /** documents per insert call (default 2,000) */
  batchSize?: number;
  onProgress?: (p: LoadProgress) => void;
}

export interface LoadDemoResult {
  /** documents removed from the demo indices before writing */
  cleared: number;
  stored: number;
  replaced: number;
  data: DemoDataSet;
}

export async function loadDemoData(writer: EventStoreWriter, opts: LoadDemoOptions): Promise<LoadDemoResult> {
  const batchSize = opts.batchSize ?? 2_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new Error(`demo-data: batchSize must be a positive integer, got ${batchSize}`);
  const data = generateDemoData(opts);
  const cleared = writer.clear([...DEMO_INDEX_NAMES]);
  let stored = 0;
  let replaced = 0;
  const total = data.events.length;
  for (let i = 0; i < total; i += batchSize) {
    const res = writer.insert(data.events.slice(i, i + batchSize));
    stored += res.stored;
    replaced += res.replaced;
    opts.onProgress?.({ written: Math.min(i + batchSize, total), total });
    // let timers and I/O run between batches of a large load
    if (total > batchSize) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { cleared, stored, replaced, data };
}

/**
 * First start: load the demo set only when the store holds no events at all.
 * Returns null (and writes nothing) when there is data already.
 */
export async function loadDemoDataIfEmpty(writer: EventStoreWriter, opts: LoadDemoOptions): Promise<LoadDemoResult | null> {
  if (writer.count() > 0) return null;
  return loadDemoData(writer, opts);
}
