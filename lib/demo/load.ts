/**
 * (Re)load the demo data set into an event store: clear the demo indices, then write the
 * set in batches (idempotent: the store replaces by (_index, _id)). Large sets are
 * generated and written chunk by chunk, never held in memory whole.
 */
import type { EventStoreWriter } from '../events/types';
import { countByIndex, type DemoOptions, type DemoStory, streamDemoData } from './generate';
import { DEMO_INDEX_NAMES } from './world';

export interface LoadProgress {
  written: number;
  /** the expected total (approximate until the last batch) */
  total: number;
}

export interface LoadDemoOptions extends DemoOptions {
  /** documents per insert call (default 2,000) */
  batchSize?: number;
  onProgress?: (p: LoadProgress) => void;
}

export interface LoadDemoResult {
  seed: number;
  /** the span the events cover (ISO) */
  window: { from: string; to: string };
  stories: DemoStory[];
  /** documents removed from the demo indices before writing */
  cleared: number;
  /** documents written */
  written: number;
  stored: number;
  replaced: number;
  /** documents written per index */
  counts: Record<string, number>;
}

export async function loadDemoData(writer: EventStoreWriter, opts: LoadDemoOptions): Promise<LoadDemoResult> {
  const batchSize = opts.batchSize ?? 2_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new Error(`demo-data: batchSize must be a positive integer, got ${batchSize}`);
  const stream = streamDemoData(opts);
  const cleared = writer.clear([...DEMO_INDEX_NAMES]);
  let stored = 0;
  let replaced = 0;
  let written = 0;
  const counts: Record<string, number> = {};
  for (const chunk of stream.chunks()) {
    countByIndex(chunk, counts);
    for (let i = 0; i < chunk.length; i += batchSize) {
      const batch = chunk.slice(i, i + batchSize);
      const res = writer.insert(batch);
      stored += res.stored;
      replaced += res.replaced;
      written += batch.length;
      opts.onProgress?.({ written, total: Math.max(written, stream.target) });
      // let timers and I/O run between batches of a large load
      if (written < stream.target) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  opts.onProgress?.({ written, total: written });
  return { seed: stream.seed, window: stream.window, stories: stream.stories, cleared, written, stored, replaced, counts };
}

/**
 * First start: load the demo set only when the store holds no events at all.
 * Returns null (and writes nothing) when there is data already.
 */
export async function loadDemoDataIfEmpty(writer: EventStoreWriter, opts: LoadDemoOptions): Promise<LoadDemoResult | null> {
  if (writer.count() > 0) return null;
  return loadDemoData(writer, opts);
}
