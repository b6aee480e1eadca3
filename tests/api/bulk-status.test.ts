/**
 * POST /api/alerts/status — the queue's bulk acknowledge and close: each alert through the
 * single change's policy, workflow and version check, audited alike; a refusal (someone else's
 * alert, a stale version, a transition the workflow refuses) does not stop the rest.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { NextRequest } from 'next/server';
import { changeAlertsStatusAs } from '@/lib/cases';
import { insertAlerts, getAlertRow } from '@/lib/store/alerts';
import { listAudit } from '@/lib/store/audit';
import { getDb } from '@/lib/store/db';
import { queueAlert } from '@/tests/support/alerts';
import { signedInTeam } from '@/tests/support/sessions';
import { POST as statusRoute } from '@/app/api/alerts/status/route';

const ORIGIN = 'http://127.0.0.1:3000';
const TEAM = { ana: 'analyst', bob: 'analyst', lee: 'lead', vic: 'viewer' } as const;
/** a001 bob's, a002 nobody's (open), a003 ana's (acknowledged), a004 closed as a false positive */
const alerts = () => [
  queueAlert(1, { assignee: 'bob', status: 'open' }),
  queueAlert(2, { assignee: null, status: 'open' }),
  queueAlert(3, { assignee: 'ana', status: 'acknowledged' }),
  queueAlert(4, { assignee: null, status: 'closed', verdict: 'false_positive' }),
];
const cookies = signedInTeam(TEAM);
beforeEach(() => {
  insertAlerts(getDb(), alerts());
});

function post(cookie: string, body: unknown) {
  const headers = { host: new URL(ORIGIN).host, origin: ORIGIN, cookie, 'content-type': 'application/json' };
  return statusRoute(new NextRequest(new URL('/api/alerts/status', ORIGIN), { method: 'POST', headers, body: JSON.stringify(body) }));
}

const items = (...ids: [string, number][]) => ids.map(([id, expectedVersion]) => ({ id, expectedVersion }));
const audits = (id: string) => listAudit(getDb(), { entity: 'alert', entityId: id });

describe('POST /api/alerts/status', () => {
  test('a lead closes many with one verdict and note; each change is audited as a single close is', async () => {
    const res = await post(cookies.lee!, { items: items(['a001', 1], ['a002', 1], ['a003', 1]), status: 'closed', verdict: 'benign_true_positive', note: 'backup job' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: ['a001', 'a002', 'a003'], unchanged: [], refused: [] });
    for (const id of ['a001', 'a002', 'a003']) {
      const a = getAlertRow(getDb(), id)!;
      expect([a.status, a.verdict, a.closingNote, a.version]).toEqual(['closed', 'benign_true_positive', 'backup job', 2]);
      const [row] = audits(id);
      expect(row).toMatchObject({ actor: 'lee', action: 'close', entity: 'alert', entityId: id });
      expect(row!.after).toMatchObject({ status: 'closed', verdict: 'benign_true_positive', note: 'backup job' });
    }
  });

  test('a stale version is refused with its reason while the rest go through; the refused alert is untouched and not audited', async () => {
    const res = await post(cookies.lee!, { items: items(['a001', 1], ['a002', 0], ['a003', 1]), status: 'acknowledged' });
    const body = (await res.json()) as { done: string[]; unchanged: string[]; refused: { id: string; code: string; message: string }[] };
    expect(body.done).toEqual(['a001']);
    expect(body.unchanged).toEqual(['a003']);
    expect(body.refused).toHaveLength(1);
    expect(body.refused[0]).toMatchObject({ id: 'a002', code: 'conflict' });
    expect(body.refused[0]!.message).toContain('changed by someone else');
    expect(getAlertRow(getDb(), 'a002')).toMatchObject({ status: 'open', version: 1 });
    expect(audits('a002')).toEqual([]);
    expect(audits('a001').map((a) => a.action)).toEqual(['status:acknowledged']);
  });

  test("an analyst changes the unassigned one (and claims it) and their own; bob's is refused", async () => {
    const res = await post(cookies.ana!, { items: items(['a001', 1], ['a002', 1], ['a003', 1]), status: 'closed', verdict: 'false_positive' });
    const body = (await res.json()) as { done: string[]; refused: { id: string; code: string; message: string }[] };
    expect(body.done).toEqual(['a002', 'a003']);
    expect(body.refused).toEqual([{ id: 'a001', code: 'forbidden', message: 'this alert is assigned to bob; only they or a lead may work it' }]);
    expect(getAlertRow(getDb(), 'a001')!.status).toBe('open');
    expect(getAlertRow(getDb(), 'a002')).toMatchObject({ status: 'closed', assignee: 'ana' });
  });

  test('the workflow’s rules apply per alert: a closed alert cannot be acknowledged, closing needs a verdict', async () => {
    const ack = (await (await post(cookies.lee!, { items: items(['a004', 1], ['a002', 1]), status: 'acknowledged' })).json()) as { done: string[]; refused: { id: string; code: string }[] };
    expect(ack.done).toEqual(['a002']);
    expect(ack.refused).toMatchObject([{ id: 'a004', code: 'invalid_request' }]);
    const close = (await (await post(cookies.lee!, { items: items(['a001', 1], ['a004', 1]), status: 'closed' })).json()) as { done: string[]; unchanged: string[]; refused: { id: string; message: string }[] };
    expect(close.unchanged).toEqual(['a004']);
    expect(close.refused.map((r) => r.id)).toEqual(['a001']);
    expect(close.refused[0]!.message).toMatch(/needs a verdict/);
    expect(getAlertRow(getDb(), 'a001')).toMatchObject({ status: 'open', version: 1 });
  });

  test('refuses a viewer (nothing written) and a malformed body, naming the field', async () => {
    const res = await post(cookies.vic!, { items: items(['a002', 1]), status: 'acknowledged' });
    expect(res.status).toBe(403);
    expect(getAlertRow(getDb(), 'a002')).toMatchObject({ status: 'open', version: 1 });
    expect(audits('a002')).toEqual([]);
    const empty = await post(cookies.lee!, { items: [], status: 'acknowledged' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { details?: { field?: string } } }).error.details).toEqual({ field: 'items' });
    const tooMany = await post(cookies.lee!, { items: Array.from({ length: 501 }, (_, i) => ({ id: `x${i}`, expectedVersion: 1 })), status: 'acknowledged' });
    expect(tooMany.status).toBe(400);
    expect((await post(cookies.lee!, { items: items(['a002', 1]), status: 'done' })).status).toBe(400);
    expect((await post(cookies.lee!, { items: items(['a002', 1]), status: 'closed', assignee: 'ana' })).status).toBe(400);
  });
});

describe('changeAlertsStatusAs', () => {
  test('many alerts in chunks: every one changed, each refusal kept, nothing half-written', () => {
    const db = getDb();
    insertAlerts(db, Array.from({ length: 1200 }, (_, i) => queueAlert(100 + i, { assignee: null, status: 'open' })));
    const list = Array.from({ length: 1200 }, (_, i) => ({ id: `a${100 + i}`, expectedVersion: i === 700 ? 5 : 1 }));
    list.push({ id: 'nope', expectedVersion: 1 });
    const out = changeAlertsStatusAs({ name: 'lee', role: 'lead' }, list, { status: 'acknowledged' });
    expect(out.done).toHaveLength(1199);
    expect(out.refused.map((r) => [r.id, r.code])).toEqual([
      ['a800', 'conflict'],
      ['nope', 'not_found'],
    ]);
    expect(db.prepare("SELECT COUNT(*) FROM alerts WHERE status = 'acknowledged' AND version = 2").pluck().get()).toBe(1199);
    expect(db.prepare("SELECT COUNT(*) FROM audit WHERE entity = 'alert' AND action = 'status:acknowledged' AND actor = 'lee'").pluck().get()).toBe(1199);
  });
});
