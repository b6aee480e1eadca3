/** The incident routes authorise on the server: viewers read, analysts work their own or unassigned, leads assign. */
import { beforeEach, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { signedInTeam } from '@/tests/support/sessions';
import { type AppDb, getDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { groupUngroupedAlerts, incidentIdFor } from '@/lib/incidents/grouping';
import * as list from '@/app/api/incidents/route';
import * as one from '@/app/api/incidents/[id]/route';
import * as split from '@/app/api/incidents/[id]/split/route';
import * as merge from '@/app/api/incidents/[id]/merge/route';
import * as steps from '@/app/api/incidents/[id]/steps/[stepId]/route';
import { alertOf } from './helpers';

const BASE = 'http://127.0.0.1:3000';
const cookies = signedInTeam({ vic: 'viewer', ana: 'analyst', bob: 'analyst', lee: 'lead' });
let db: AppDb;
const A = incidentIdFor('a1');
const B = incidentIdFor('b1');

beforeEach(() => {
  db = getDb();
  insertAlerts(db, [alertOf({ id: 'a1', min: 0, host: 'h1' }), alertOf({ id: 'a2', min: 5, host: 'h1', severity: 'critical' }), alertOf({ id: 'b1', min: 0, host: 'h2' })]);
  groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] } });
});

function req(method: string, who: string, body?: unknown, path = '/api/incidents') {
  return new NextRequest(`${BASE}${path}`, {
    method,
    headers: { host: '127.0.0.1:3000', cookie: cookies[who]!, origin: BASE, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}
const seg = <P,>(p: P) => ({ params: Promise.resolve(p) });

describe('incident routes', () => {
  it('lists incidents for a viewer, with the highest severity of their alerts', async () => {
    const res = await list.GET(req('GET', 'vic'), seg({}));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: string; severity: string; alertCount: number }[] };
    expect(body.items.map((i) => [i.id, i.severity, i.alertCount]).sort()).toEqual([
      [A, 'critical', 2],
      [B, 'medium', 1],
    ].sort());
  });

  it('refuses a viewer any change, and an analyst an incident assigned to someone else', async () => {
    expect((await one.PATCH(req('PATCH', 'vic', { expectedVersion: 1, status: 'acknowledged' }), seg({ id: A }))).status).toBe(403);
    const taken = await one.PATCH(req('PATCH', 'bob', { expectedVersion: 1, assignee: 'bob' }), seg({ id: A }));
    expect(taken.status).toBe(200);
    expect((await split.POST(req('POST', 'ana', { alertIds: ['a2'] }), seg({ id: A }))).status).toBe(403);
    expect((await steps.PUT(req('PUT', 'ana', { state: 'done' }), seg({ id: A, stepId: 'contain' }))).status).toBe(403);
    // assigning someone else needs a lead
    expect((await one.PATCH(req('PATCH', 'ana', { expectedVersion: 1, assignee: 'ana' }), seg({ id: B }))).status).toBe(200);
    expect((await one.PATCH(req('PATCH', 'ana', { expectedVersion: 2, assignee: 'bob' }), seg({ id: B }))).status).toBe(403);
    expect((await one.PATCH(req('PATCH', 'lee', { expectedVersion: 2, assignee: 'bob' }), seg({ id: B }))).status).toBe(200);
  });

  it('refuses bad input with what and where, and closing without a verdict', async () => {
    const bad = await one.PATCH(req('PATCH', 'lee', { expectedVersion: 1, status: 'closed' }), seg({ id: A }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/verdict/);
    expect((await steps.PUT(req('PUT', 'lee', { state: 'done' }), seg({ id: A, stepId: 'nope' }))).status).toBe(404);
    expect((await merge.POST(req('POST', 'lee', { sources: ['../x'] }), seg({ id: A }))).status).toBe(400);
    expect((await one.GET(req('GET', 'vic'), seg({ id: 'INC-NOPE' }))).status).toBe(404);
  });

  it('merges, and the merged id answers with the incident it went into', async () => {
    const res = await merge.POST(req('POST', 'lee', { sources: [B] }), seg({ id: A }));
    expect(res.status).toBe(200);
    const detail = (await (await one.GET(req('GET', 'vic'), seg({ id: B }))).json()) as { incident: { id: string; alertCount: number } };
    expect(detail.incident).toMatchObject({ id: A, alertCount: 3 });
  });
});
