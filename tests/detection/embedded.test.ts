/**
 * Detection over the real embedded store (lib/events) with the bundled seed rule (rules/):
 * first start on the demo data, and the timestamp_override fallback.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { listAlerts } from '@/lib/store/alerts';
import { openEventStore } from '@/lib/events/embedded/store';
import { createEmbeddedSource } from '@/lib/events/embedded/source';
import { generateDemoData } from '@/lib/demo';
import { getRule, setRuleCatalogue } from '@/lib/detection/rules';
import { runRule } from '@/lib/detection/run';
import { bootstrap } from '@/lib/server/bootstrap';
import { RULE_ID, at } from './helpers';

beforeEach(() => {
  useMemoryDb();
  setRuleCatalogue(null);
});

describe('on the embedded store', () => {
  it('first start loads the demo data and creates the alerts of the true-positive stories, none of the near misses; a second start does nothing', async () => {
    const store = openEventStore({ file: ':memory:' });
    const source = createEmbeddedSource(store);
    const now = new Date('2026-11-20T12:00:00.000Z');
    const res = await bootstrap({ now: () => now, store, source, demoEvents: 1500, log: () => {} });
    expect(res.demoLoaded).toBe(true);
    expect(res.backfilled).toBe(true);

    // the expectation comes from the demo's own story list, built independently of detection
    const demo = generateDemoData({ now, events: 1500 });
    const mustFire = demo.stories.filter((s) => s.expected === 'alert').flatMap((s) => s.mustFire.map((r) => `${r._index}/${r._id}`));
    const mustNot = demo.stories.flatMap((s) => s.mustNotFire.map((r) => `${r._index}/${r._id}`));
    expect(mustFire.length).toBeGreaterThanOrEqual(3);
    const alerts = listAlerts(getDb(), { limit: 1000 }).items;
    const fired = alerts.map((a) => `${a.event._index}/${a.event._id}`);
    expect(fired.sort()).toEqual([...mustFire].sort());
    for (const ref of mustNot) expect(fired).not.toContain(ref);
    expect(res.alertsCreated).toBe(mustFire.length);

    const again = await bootstrap({ now: () => now, store, source, log: () => {} });
    expect(again).toMatchObject({ demoLoaded: false, backfilled: false, skipped: 'not a first start' });
    expect(listAlerts(getDb(), { limit: 1000 }).total).toBe(alerts.length);
    store.close();
  });

  it('the seed rule judges events by event.ingested, and by @timestamp where event.ingested is missing', async () => {
    const store = openEventStore({ file: ':memory:' });
    const doc = (id: string, ts: string, ingested: string | null) => ({
      _index: 'winlogbeat-test',
      _id: id,
      _source: {
        '@timestamp': ts,
        ...(ingested ? { event: { category: 'file', type: 'creation', ingested } } : { event: { category: 'file', type: 'creation' } }),
        host: { name: 'ws-1', os: { type: 'windows' } },
        process: { name: 'lsass.exe' },
        file: { path: 'C:\\Windows\\Temp\\x.dll', extension: 'dll' },
      },
    });
    store.insert([
      doc('late-ingested', at(-120), at(-2)), // old event ingested inside the window: alerts
      doc('no-ingested', at(-1), null), // no event.ingested, @timestamp inside: alerts
      doc('ingested-before', at(-1), at(-60)), // ingested before the window: not this window
    ]);
    const rule = getRule(RULE_ID);
    expect(rule?.timestamp_override).toBe('event.ingested');
    const out = await runRule(rule!, { from: at(-9), to: at(0) }, { source: createEmbeddedSource(store), trigger: 'manual' });
    expect(out.error).toBeNull();
    expect(out.created.map((a) => a.event._id).sort()).toEqual(['late-ingested', 'no-ingested']);
    store.close();
  });
});
