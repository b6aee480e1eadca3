/** The grouping runs after the scheduler's runs: the alerts a tick creates are in incidents when it returns. */
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/store/db';
import { Scheduler } from '@/lib/detection/scheduler';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import type { EqlEvent } from '@/lib/eql/types';
import { at, clock, fakeSource, fileEvent, makeRule, withRuleCatalogue } from '../detection/helpers';

const rule = makeRule();
withRuleCatalogue([rule]);

describe('grouping hook', () => {
  it('a scheduler tick leaves no alert outside an incident', async () => {
    const events: EqlEvent[] = [];
    for (let m = -8; m <= 0; m++) events.push(fileEvent(at(m), { id: `e${m}`, host: m < -4 ? 'ws-01' : 'ws-02' }));
    const c = clock(0);
    const s = new Scheduler({ source: () => fakeSource(events), rules: () => [rule], now: c.now, sleep: async () => {}, attempts: 1, groupAlerts: groupUngroupedAlerts });
    const report = await s.tick();
    const created = report.runs.reduce((n, r) => n + r.outcome.created.length, 0);
    expect(created).toBeGreaterThan(0);
    const db = getDb();
    expect(db.prepare('SELECT COUNT(*) FROM alerts WHERE id NOT IN (SELECT alert_id FROM incident_alerts)').pluck().get()).toBe(0);
    // two hosts, the user SYSTEM never joins: two incidents
    expect(db.prepare('SELECT COUNT(*) FROM incidents').pluck().get()).toBe(2);
  });
});
