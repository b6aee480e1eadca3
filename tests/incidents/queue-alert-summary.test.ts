/**
 * An incident's not-closed alert count follows its alerts when one of them is closed or
 * reopened on its own (PATCH /api/alerts/:id → lib/cases updateAlert, bulk status, another
 * process writing app.db), in the incident row and in the queue's kept answers.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { updateAlert } from '@/lib/cases/workflow';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import { listIncidents, listIncidentsBody } from '@/lib/incidents/service';
import { getIncidentRow } from '@/lib/store/incidents';
import { alertOf } from './helpers';

let db: AppDb;
let incidentId: string;
const f = { sort: 'last_seen' as const, order: 'desc' as const, limit: 50 };

/** the incident's not-closed alerts counted from the alerts themselves */
const notClosed = (id: string) =>
  db
    .prepare("SELECT COUNT(*) FROM incident_alerts m JOIN alerts a ON a.id = m.alert_id WHERE m.incident_id = ? AND a.status != 'closed'")
    .pluck()
    .get(id);

const listed = (id: string) => listIncidents(f, db).items.find((i) => i.id === id);
const inBody = (id: string) =>
  (JSON.parse(new TextDecoder().decode(listIncidentsBody(f, db).bytes)) as { items: { id: string; openAlerts: number }[] }).items.find((i) => i.id === id);

beforeEach(() => {
  db = useMemoryDb();
  insertAlerts(db, [
    alertOf({ id: 'a1', min: 0, host: 'h1' }),
    alertOf({ id: 'a2', min: 1, host: 'h1', severity: 'critical' }),
    alertOf({ id: 'a3', min: 2, host: 'h1' }),
    alertOf({ id: 'b1', min: 500, host: 'h2' }),
  ]);
  groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] } });
  incidentId = db.prepare("SELECT incident_id FROM incident_alerts WHERE alert_id = 'a1'").pluck().get() as string;
});

describe('incident summary after one of its alerts changes alone', () => {
  it('closing and reopening an alert moves the incident’s not-closed count, in the row and in the kept queue answers', () => {
    expect(listed(incidentId)?.openAlerts).toBe(3);
    expect(inBody(incidentId)?.openAlerts).toBe(3);
    const before = getIncidentRow(db, incidentId, 0)!;

    updateAlert('a2', { status: 'closed', verdict: 'false_positive' }, { expectedVersion: 1, actor: 'lee', now: new Date('2030-01-05T00:00:00Z') });
    expect(notClosed(incidentId)).toBe(2);
    expect(getIncidentRow(db, incidentId, 0)!.openAlerts).toBe(2);
    expect(listed(incidentId)?.openAlerts).toBe(2);
    expect(inBody(incidentId)?.openAlerts).toBe(2);
    const after = getIncidentRow(db, incidentId, 0)!;
    // the change is the incident's latest; the other summary columns stay (severity: the highest of all its alerts)
    expect(after.updatedAt).toBe('2030-01-05T00:00:00.000Z');
    expect({ ...after, openAlerts: 0, updatedAt: '' }).toEqual({ ...before, openAlerts: 0, updatedAt: '' });

    updateAlert('a2', { status: 'open' }, { expectedVersion: 2, actor: 'lee' });
    expect(listed(incidentId)?.openAlerts).toBe(3);
    expect(inBody(incidentId)?.openAlerts).toBe(3);
  });

  it('acknowledging or assigning an alert leaves the count; another connection’s plain UPDATE moves it too', () => {
    expect(listed(incidentId)?.openAlerts).toBe(3);
    updateAlert('a1', { status: 'acknowledged', assignee: 'ana' }, { expectedVersion: 1, actor: 'lee' });
    expect(listed(incidentId)?.openAlerts).toBe(3);
    db.prepare("UPDATE alerts SET status = 'closed', verdict = 'true_positive', updated_at = '2026-11-06T00:00:00.000Z' WHERE id IN ('a1', 'a3')").run();
    expect(notClosed(incidentId)).toBe(1);
    expect(listed(incidentId)?.openAlerts).toBe(1);
    // the other incident is left alone
    const other = db.prepare("SELECT incident_id FROM incident_alerts WHERE alert_id = 'b1'").pluck().get() as string;
    expect(listed(other)?.openAlerts).toBe(1);
  });
});
