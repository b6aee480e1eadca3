import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { countAlerts } from '@/lib/store/alerts';
import { getRuleState } from '@/lib/store/rule-state';
import { cancelBackfill, getBackfillProgress, runBackfill, startBackfill, type BackfillProgress } from '@/lib/detection/backfill';
import { EventSourceError } from '@/lib/events/errors';
import { at, fakeSource, fileEvent, makeRule, RULE_ID } from './helpers';

beforeEach(() => {
  useMemoryDb();
});

describe('backfill', () => {
  it('runs a range in chunks, reporting done/total chunks and alerts so far, without moving the scheduler window', async () => {
    const events = [fileEvent(at(-170)), fileEvent(at(-100)), fileEvent(at(-30)), fileEvent(at(-29))];
    const seen: BackfillProgress[] = [];
    const p = await runBackfill([makeRule()], { from: at(-180), to: at(0) }, { source: fakeSource(events), onProgress: (x) => seen.push(x) });
    expect(p).toMatchObject({ status: 'succeeded', doneChunks: 3, totalChunks: 3, alertsCreated: 4, errors: [] });
    expect(seen.map((s) => [s.doneChunks, s.totalChunks, s.alertsCreated])).toEqual([
      [0, 3, 0],
      [1, 3, 1],
      [2, 3, 2],
      [3, 3, 4],
      [3, 3, 4],
    ]);
    expect(getRuleState(getDb(), RULE_ID)?.lastSuccessEnd ?? null).toBeNull();
    // again: nothing new
    const again = await runBackfill([makeRule()], { from: at(-180), to: at(0) }, { source: fakeSource(events) });
    expect(again.alertsCreated).toBe(0);
    expect(countAlerts(getDb())).toBe(4);
  });

  it('splits a chunk whose answer filled max_signals, so no event past the cap is lost', async () => {
    const events = Array.from({ length: 12 }, (_, i) => fileEvent(at(-55 + i * 4)));
    const source = fakeSource(events);
    const p = await runBackfill([makeRule({ max_signals: 4 })], { from: at(-60), to: at(0) }, { source });
    expect(p.alertsCreated).toBe(12);
    // the run splits the capped chunk itself: more searches than chunks
    expect(source.requests.length).toBeGreaterThan(p.totalChunks);
    expect(countAlerts(getDb())).toBe(12);
  });

  it('names the failed chunks and goes on with the others', async () => {
    const source = fakeSource([fileEvent(at(-30))]);
    const base = source.eqlSearch.bind(source);
    source.eqlSearch = async (req) => {
      if (req.window && req.window.from === at(-120)) throw new EventSourceError({ kind: 'index_not_found', message: 'no such index', retryable: false });
      return base(req);
    };
    const p = await runBackfill([makeRule()], { from: at(-120), to: at(0) }, { source, sleep: async () => {} });
    expect(p.status).toBe('partial');
    expect(p.errors).toEqual([{ ruleId: RULE_ID, window: { from: at(-120), to: at(-60) }, message: 'index_not_found: no such index' }]);
    expect(p.alertsCreated).toBe(1);
  });

  it('refuses a bad range before running anything', async () => {
    await expect(runBackfill([makeRule()], { from: at(0), to: at(-10) }, { source: fakeSource([]) })).rejects.toThrow(/before from/);
    await expect(runBackfill([makeRule()], { from: 'yesterday', to: at(0) }, { source: fakeSource([]) })).rejects.toThrow(/from: "yesterday" is not a date/);
  });

  it('startBackfill returns at once and its progress can be polled', async () => {
    const started = startBackfill([makeRule()], { from: at(-120), to: at(0) }, { source: fakeSource([fileEvent(at(-10))]) });
    expect(started.status).toBe('running');
    let p = getBackfillProgress(started.id);
    for (let i = 0; i < 50 && p?.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      p = getBackfillProgress(started.id);
    }
    expect(p).toMatchObject({ status: 'succeeded', doneChunks: 2, totalChunks: 2, alertsCreated: 1 });
    expect(getBackfillProgress('unknown')).toBeNull();
  });

  it('a started backfill can be cancelled; it stops after the current chunk', async () => {
    const source = fakeSource([fileEvent(at(-10))]);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const base = source.eqlSearch.bind(source);
    source.eqlSearch = async (req) => {
      await gate;
      return base(req);
    };
    const started = startBackfill([makeRule()], { from: at(-600), to: at(0) }, { source });
    expect(cancelBackfill(started.id)).toBe(true);
    release();
    let p = getBackfillProgress(started.id);
    for (let i = 0; i < 50 && p?.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      p = getBackfillProgress(started.id);
    }
    expect(p?.doneChunks).toBe(1);
    expect(p?.totalChunks).toBe(10);
    expect(p?.errors.map((e) => e.message)).toEqual(['backfill cancelled']);
    expect(cancelBackfill(started.id)).toBe(false);
  });
});
