import { describe, expect, it } from 'vitest';
import type { EventStoreWriter, InsertResult, StoredEvent } from '../events/types';
import { DEMO_INDEX_NAMES } from './generate';
import { loadDemoData, loadDemoDataIfEmpty } from './load';
import { indexPatternMatches } from './rule-fields';

/** An in-memory writer with the EventStoreWriter contract (idempotent by index + id). */
class MemoryWriter implements EventStoreWriter {
  readonly docs = new Map<string, StoredEvent>();
  readonly clears: (string[] | undefined)[] = [];
  insertCalls = 0;

  insert(events: StoredEvent[]): InsertResult {
    this.insertCalls++;
    let stored = 0;
    let replaced = 0;
    for (const e of events) {
      const k = `${e._index}/${e._id}`;
      if (this.docs.has(k)) replaced++;
      else stored++;
      this.docs.set(k, e);
    }
    return { stored, replaced };
  }

  clear(indexPatterns?: string[]): number {
    this.clears.push(indexPatterns);
    let n = 0;
    for (const [k, e] of this.docs) {
      if (!indexPatterns || indexPatterns.some((p) => indexPatternMatches(p, e._index))) {
        this.docs.delete(k);
        n++;
      }
    }
    return n;
  }

  count(): number {
    return this.docs.size;
  }
}

const NOW = new Date('2026-11-28T00:00:00.000Z');

describe('loadDemoData', () => {
  it('writes the set in batches with progress, and reloading is idempotent', async () => {
    const w = new MemoryWriter();
    const mine: StoredEvent = { _index: 'winlogbeat-prod', _id: 'keep-me', _source: { '@timestamp': '2026-11-27T00:00:00Z' } };
    w.insert([mine]);
    const progress: number[] = [];
    const first = await loadDemoData(w, { now: NOW, events: 1200, batchSize: 500, onProgress: (p) => progress.push(p.written) });
    const n = first.written;
    expect(first.cleared).toBe(0);
    expect(first.stored).toBe(n);
    expect(first.replaced).toBe(0);
    expect(w.count()).toBe(n + 1);
    expect(progress[progress.length - 1]).toBe(n);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(w.insertCalls - 1).toBe(Math.ceil(n / 500));

    const second = await loadDemoData(w, { now: NOW, events: 1200, batchSize: 500 });
    expect(second.cleared).toBe(n);
    expect(second.stored).toBe(n);
    expect(w.count()).toBe(n + 1);
    // only the demo indices are cleared; other data is left alone
    expect(w.docs.get('winlogbeat-prod/keep-me')).toEqual(mine);
    for (const c of w.clears) expect(c).toEqual([...DEMO_INDEX_NAMES]);
  });

  it('rejects a bad batch size before touching the store', async () => {
    const w = new MemoryWriter();
    await expect(loadDemoData(w, { now: NOW, events: 100, batchSize: 0 })).rejects.toThrow(/batchSize/);
    expect(w.clears).toHaveLength(0);
  });

  it('loads on first start only when the store is empty', async () => {
    const w = new MemoryWriter();
    const first = await loadDemoDataIfEmpty(w, { now: NOW, events: 600 });
    expect(first).not.toBeNull();
    const n = w.count();
    expect(n).toBe(first!.written);
    const again = await loadDemoDataIfEmpty(w, { now: NOW, events: 600, seed: 99 });
    expect(again).toBeNull();
    expect(w.count()).toBe(n);
    expect(w.clears).toHaveLength(1);
  });
});
