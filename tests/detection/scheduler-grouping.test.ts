/**
 * The scheduler groups new alerts into incidents once per cycle: after a tick that leaves every
 * due rule caught up, or once the rules' interval has passed since the last grouping — not
 * after every tick of a gap catch-up (each tick of which creates alerts).
 */
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/store/db';
import { Scheduler } from '@/lib/detection/scheduler';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import { at, clock, fakeSource, fileEvent, makeRule, withRuleCatalogue } from './helpers';

const rule = makeRule();
const count = (sql: string) => (getDb().prepare(sql).get() as { n: number }).n;
const alerts = () => count('SELECT COUNT(*) AS n FROM alerts');
const grouped = () => count('SELECT COUNT(*) AS n FROM incident_alerts');

withRuleCatalogue([rule]);

describe('incident grouping per cycle', () => {
  it('a catch-up over several ticks is grouped when caught up (and when the interval has passed), not after each tick', async () => {
    // one event every 3 minutes over the hour the scheduler misses
    const events = Array.from({ length: 20 }, (_, i) => fileEvent(at(1 + i * 3)));
    const source = fakeSource(events);
    const c = clock(0);
    const groupings: number[] = [];
    const s = new Scheduler({ source: () => source, rules: () => [rule], now: c.now, sleep: async () => {}, maxChunksPerTick: 1, groupAlerts: groupUngroupedAlerts, grouping: { onGrouped: (_ms, n) => groupings.push(n) } });
    await s.tick(); // at 0: the normal window, nothing yet
    c.set(60); // missed 51 minutes: 9-minute chunks, one per tick
    const perTick: { alerts: number; grouped: number }[] = [];
    for (let i = 0; i < 8; i++) {
      await s.tick();
      perTick.push({ alerts: alerts(), grouped: grouped() });
    }
    // the first catch-up tick: the interval has passed since the last grouping (60 min > 5 min)
    expect(perTick[0]!.grouped).toBe(perTick[0]!.alerts);
    expect(perTick[0]!.alerts).toBeGreaterThan(0);
    // the next catch-up ticks at the same time create alerts and leave them ungrouped
    expect(perTick[1]!.alerts).toBeGreaterThan(perTick[0]!.alerts);
    expect(perTick[1]!.grouped).toBe(perTick[0]!.grouped);
    expect(perTick[3]!.grouped).toBe(perTick[0]!.grouped);
    // caught up (the sixth chunk ends the gap and the normal window runs with it): all grouped
    const last = perTick[perTick.length - 1]!;
    expect(last.alerts).toBe(20);
    expect(last.grouped).toBe(20);
    expect(groupings.length).toBe(2);
    expect(groupings.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('grouping: false leaves the alerts to the caller', async () => {
    const source = fakeSource([fileEvent(at(-2))]);
    const c = clock(0);
    const s = new Scheduler({ source: () => source, rules: () => [rule], now: c.now, sleep: async () => {}, grouping: false });
    await s.tick();
    expect(alerts()).toBe(1);
    expect(grouped()).toBe(0);
  });
});
