/** Grouping settings: an admin's saved window and keys win over the environment, are audited, and only admins may change them. */
import { beforeEach, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { signedInTeam } from '@/tests/support/sessions';
import { getDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { listAudit } from '@/lib/store/audit';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import { groupingConfig } from '@/lib/incidents/config';
import * as route from '@/app/api/incidents/settings/route';
import { alertOf } from './helpers';

const BASE = 'http://127.0.0.1:3000';
let db: AppDb;
const cookies = signedInTeam({ lee: 'lead', ada: 'admin' });
beforeEach(() => {
  db = getDb();
});
const put = (who: string, body: unknown) =>
  route.PUT(
    new NextRequest(`${BASE}/api/incidents/settings`, { method: 'PUT', headers: { host: '127.0.0.1:3000', cookie: cookies[who]!, origin: BASE, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    { params: Promise.resolve({}) },
  );

describe('grouping settings', () => {
  it('a saved window applies to the next pass; leads may not change it; bad values are refused', async () => {
    expect(groupingConfig(db)).toEqual({ windowMinutes: 60, keys: ['process', 'host', 'user'] });
    expect((await put('lee', { windowMinutes: 10, keys: ['host'] })).status).toBe(403);
    expect((await put('ada', { windowMinutes: 0, keys: ['host'] })).status).toBe(400);
    expect((await put('ada', { windowMinutes: 10, keys: ['ip'] })).status).toBe(400);
    expect((await put('ada', { windowMinutes: 10, keys: ['host'] })).status).toBe(200);
    expect(groupingConfig(db)).toEqual({ windowMinutes: 10, keys: ['host'] });
    insertAlerts(db, [alertOf({ id: 'a1', min: 0, host: 'h1' }), alertOf({ id: 'a2', min: 20, host: 'h1' })]);
    groupUngroupedAlerts(db);
    expect(db.prepare('SELECT COUNT(*) FROM incidents').pluck().get()).toBe(2);
    expect(listAudit(getDb(), { entity: 'incident_settings' }).map((e) => [e.actor, e.after])).toEqual([['ada', { windowMinutes: 10, keys: ['host'] }]]);
  });
});
