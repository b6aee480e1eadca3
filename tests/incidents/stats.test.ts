import { beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { groupUngroupedAlerts, incidentIdFor } from '@/lib/incidents/grouping';
import { getIncidentOrThrow, updateIncident } from '@/lib/incidents/manual';
import { ageBucket, incidentStats } from '@/lib/incidents/stats';
import { alertOf } from './helpers';

let db: AppDb;
beforeEach(() => {
  db = useMemoryDb();
});

describe('incident figures', () => {
  it('counts incidents not closed by severity and age, per assignee, and the times to acknowledge and close', () => {
    insertAlerts(db, [alertOf({ id: 'a1', min: 0, host: 'h1', severity: 'critical' }), alertOf({ id: 'b1', min: 0, host: 'h2', severity: 'low' }), alertOf({ id: 'c1', min: 0, host: 'h3', severity: 'low' })]);
    groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] } });
    const a = getIncidentOrThrow(incidentIdFor('a1'));
    updateIncident(a.id, { assignee: 'ana', status: 'acknowledged' }, { actor: 'ana', expectedVersion: a.version, now: new Date('2026-11-02T08:30:00Z') });
    const c = getIncidentOrThrow(incidentIdFor('c1'));
    updateIncident(c.id, { status: 'closed', verdict: 'false_positive' }, { actor: 'ana', expectedVersion: c.version, now: new Date('2026-11-02T10:00:00Z') });
    const s = incidentStats(new Date('2026-11-02T10:00:00Z'), db);
    expect(s.open).toBe(2);
    expect(s.bySeverityAge.critical['1to4h']).toBe(1);
    expect(s.bySeverityAge.low['1to4h']).toBe(1);
    expect(s.perAssignee).toEqual([
      { assignee: 'ana', count: 1 },
      { assignee: null, count: 1 },
    ]);
    expect(s.timeToAcknowledge.samples).toBe(2);
    expect(s.timeToClose).toEqual({ medianMinutes: expect.closeTo(120, 3), p90Minutes: expect.closeTo(120, 3), samples: 1 });
    expect([ageBucket(59), ageBucket(60), ageBucket(1439), ageBucket(4320)]).toEqual(['lt1h', '1to4h', '4to24h', 'gt3d']);
  });
});
