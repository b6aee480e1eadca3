import { beforeEach, expect, test } from 'vitest';
import { NextRequest } from 'next/server';
import { insertAlerts, getAlertRow } from '@/lib/store/alerts';
import { getDb } from '@/lib/store/db';
import { queueAlert } from '@/tests/support/alerts';
import { signedInTeam } from '@/tests/support/sessions';
import { POST as assignRoute } from '@/app/api/alerts/assign/route';

const BASE = 'http://127.0.0.1:3000';
const cookies = signedInTeam({ ana: 'analyst', bob: 'analyst', lee: 'lead', vic: 'viewer' });

beforeEach(() => {
  insertAlerts(getDb(), [queueAlert(1, { assignee: 'bob', status: 'open' }), queueAlert(2, { assignee: null, status: 'open' }), queueAlert(3, { assignee: 'ana', status: 'open' })]);
});

const post = (cookie: string, body: unknown) =>
  assignRoute(new NextRequest(`${BASE}/api/alerts/assign`, { method: 'POST', headers: { host: '127.0.0.1:3000', origin: BASE, cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) }));

const items = [
  { id: 'a001', expectedVersion: 1 },
  { id: 'a002', expectedVersion: 1 },
  { id: 'a003', expectedVersion: 1 },
];

test('POST /api/alerts/assign – a lead assigns many; the one already theirs is unchanged', async () => {
  const res = await post(cookies.lee!, { items, assignee: 'ana' });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ done: ['a001', 'a002'], unchanged: ['a003'], refused: [] });
  expect(getAlertRow(getDb(), 'a001')!.assignee).toBe('ana');
});

test("POST /api/alerts/assign – an analyst may take the unassigned one only; bob's is refused with the reason", async () => {
  const res = await post(cookies.ana!, { items, assignee: 'ana' });
  const body = (await res.json()) as { done: string[]; refused: { id: string; code: string; message: string }[] };
  expect(body.done).toEqual(['a002']);
  expect(body.refused).toEqual([{ id: 'a001', code: 'forbidden', message: 'this alert is assigned to bob; only they or a lead may work it' }]);
  expect(getAlertRow(getDb(), 'a001')!.assignee).toBe('bob');
});

test('POST /api/alerts/assign – refuses a viewer and a malformed body', async () => {
  expect((await post(cookies.vic!, { items, assignee: 'vic' })).status).toBe(403);
  const bad = await post(cookies.lee!, { items: [], assignee: 'ana' });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { details?: { field?: string } } }).error.details).toEqual({ field: 'items' });
});
