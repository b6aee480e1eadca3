/** Incidents have their own SLA targets, and closing an incident respects each alert's owner. */
import { beforeEach, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { signedInTeam } from '@/tests/support/sessions';
import { type AppDb, getDb } from '@/lib/store/db';
import { getAlertRow, insertAlerts } from '@/lib/store/alerts';
import { updateAlert } from '@/lib/cases/workflow';
import { groupUngroupedAlerts, incidentIdFor } from '@/lib/incidents/grouping';
import { getIncidentOrThrow } from '@/lib/incidents/manual';
import { incidentSlaFromEnv } from '@/lib/incidents/sla';
import { incidentStats } from '@/lib/incidents/stats';
import * as one from '@/app/api/incidents/[id]/route';
import { alertOf } from './helpers';

const BASE = 'http://127.0.0.1:3000';
const cookies = signedInTeam({ ana: 'analyst', bob: 'analyst', lee: 'lead' });
let db: AppDb;
const A = incidentIdFor('a1');

beforeEach(() => {
  db = getDb();
  insertAlerts(db, [alertOf({ id: 'a1', min: 0, host: 'h1', severity: 'high' }), alertOf({ id: 'a2', min: 5, host: 'h1' }), alertOf({ id: 'a3', min: 9, host: 'h1' })]);
  groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] } });
});

function patch(who: string, body: unknown) {
  return one.PATCH(
    new NextRequest(`${BASE}/api/incidents/${A}`, {
      method: 'PATCH',
      headers: { host: '127.0.0.1:3000', cookie: cookies[who]!, origin: BASE, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: A }) },
  );
}

describe('incident SLA', () => {
  it('has its own targets: a high incident may wait an hour to be acknowledged (an alert: 30 min)', () => {
    // the incident began at 08:00 (its first alert); 45 minutes later an alert would breach, the incident not
    const s45 = incidentStats(new Date('2026-11-02T08:45:00Z'), db, incidentSlaFromEnv(''));
    expect(s45.sla.targets.high).toEqual({ acknowledgeMinutes: 60, closeMinutes: 1440 });
    expect(s45.sla.breaching).toEqual({ acknowledge: 0, close: 0 });
    const s61 = incidentStats(new Date('2026-11-02T09:01:00Z'), db, incidentSlaFromEnv(''));
    expect(s61.sla.breaching).toEqual({ acknowledge: 1, close: 0 });
  });

  it('reads GUIDEPOST_INCIDENT_SLA and names a bad field', () => {
    expect(incidentSlaFromEnv('{"high":{"acknowledgeMinutes":5}}').high).toEqual({ acknowledgeMinutes: 5, closeMinutes: 1440 });
    expect(() => incidentSlaFromEnv('{"high":{"acknowledgeMinutes":-1}}')).toThrow(/GUIDEPOST_INCIDENT_SLA: high\.acknowledgeMinutes/);
    expect(() => incidentSlaFromEnv('{nope')).toThrow(/not valid JSON/);
  });
});

describe('closing an incident respects each alert’s assignee', () => {
  it('refuses an analyst whose incident holds an alert assigned to someone else, and closes nothing', async () => {
    const a2 = getAlertRow(db, 'a2')!;
    updateAlert('a2', { assignee: 'bob' }, { expectedVersion: a2.version, actor: 'lee' });
    const inc = getIncidentOrThrow(A, db);
    const res = await patch('ana', { expectedVersion: inc.version, status: 'closed', verdict: 'false_positive' });
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toMatch(/a2 \(bob\)/);
    expect(['a1', 'a2', 'a3'].map((id) => getAlertRow(db, id)!.status)).toEqual(['open', 'open', 'open']);
    expect(getIncidentOrThrow(A, db).status).toBe('open');
  });

  it('lets the owner analyst close their own and unassigned alerts, and a lead close anyone’s', async () => {
    const a2 = getAlertRow(db, 'a2')!;
    updateAlert('a2', { assignee: 'ana' }, { expectedVersion: a2.version, actor: 'lee' });
    const ok = await patch('ana', { expectedVersion: getIncidentOrThrow(A, db).version, status: 'closed', verdict: 'false_positive' });
    expect(ok.status).toBe(200);
    expect(['a1', 'a2', 'a3'].map((id) => getAlertRow(db, id)!.status)).toEqual(['closed', 'closed', 'closed']);

    const reopened = await patch('lee', { expectedVersion: getIncidentOrThrow(A, db).version, status: 'open' });
    expect(reopened.status).toBe(200);
    const a3 = getAlertRow(db, 'a3')!;
    updateAlert('a3', { status: 'open', assignee: 'bob' }, { expectedVersion: a3.version, actor: 'lee' });
    const byLead = await patch('lee', { expectedVersion: getIncidentOrThrow(A, db).version, status: 'closed', verdict: 'true_positive' });
    expect(byLead.status).toBe(200);
    expect(getAlertRow(db, 'a3')).toMatchObject({ status: 'closed', verdict: 'true_positive', assignee: 'bob' });
  });
});
