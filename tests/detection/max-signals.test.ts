import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { countAlerts, listAlerts } from '@/lib/store/alerts';
import { listRuns } from '@/lib/store/runs';
import { runRule } from '@/lib/detection/run';
import { at, fakeSource, fileEvent, makeRule } from './helpers';

beforeEach(() => {
  useMemoryDb();
});

describe('max_signals does not hide events (QA: 130 writes gave 99 alerts)', () => {
  it('130 matching events over overlapping scheduled windows: every event alerts exactly once', async () => {
    // 130 events, one every 4 seconds from t0-9m to t0-0.4m
    const events = Array.from({ length: 130 }, (_, i) => fileEvent(new Date(Date.parse(at(-9)) + i * 4000).toISOString()));
    const source = fakeSource(events);
    const rule = makeRule({ max_signals: 100 });
    // the first run sees the first 100 (its window ends at t0-2.3m), then overlapping 9-minute windows every 5 minutes
    const first = await runRule(rule, { from: at(-10), to: new Date(Date.parse(at(-9)) + 99 * 4000).toISOString() }, { source, trigger: 'scheduled' });
    expect(first.created).toHaveLength(100);
    const second = await runRule(rule, { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    expect(second.created).toHaveLength(30);
    const third = await runRule(rule, { from: at(-4), to: at(5) }, { source, trigger: 'scheduled' });
    expect(third.created).toHaveLength(0);
    expect(countAlerts(getDb())).toBe(130);
    const alerted = listAlerts(getDb(), { limit: 500 }).items.map((a) => a.event._id);
    expect(alerted).toHaveLength(130);
    expect(new Set(alerted)).toEqual(new Set(events.map((e) => e._id)));
    const runs = listRuns(getDb(), { limit: 10 });
    const secondRun = runs.find((r) => r.id === second.run?.id);
    expect(secondRun?.hits).toBe(130);
    expect(secondRun?.alertsCreated).toBe(30);
    expect(secondRun?.error).toMatch(/max_signals \(100\) reached/);
  });
});
