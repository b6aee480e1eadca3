/**
 * GET /api/alerts and GET /api/dashboard as a client sees them: the queue's page and total
 * through the route (filters, "my alerts", paging), a change by anyone shown on the next
 * read (the answers are cached per database version), and the cached body sent whole.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { signedInCookies, signedInTeam } from '@/tests/support/sessions';
import { queueAlert } from '@/tests/support/alerts';
import { NextRequest } from 'next/server';
import { type AppDb, getDb } from '@/lib/store/db';
import { insertAlerts, updateAlertRow } from '@/lib/store/alerts';
import { writeStep } from '@/lib/store/checklist';
import { alertListResponseSchema } from '@/lib/contracts/alerts';
import { dashboardResponseSchema } from '@/lib/contracts/dashboard';
import { GET as listRoute } from '@/app/api/alerts/route';
import { GET as dashboardRoute } from '@/app/api/dashboard/route';

const BASE = 'http://127.0.0.1:3000';
const segment = { params: Promise.resolve({}) };
let db: AppDb;
const cookies = signedInTeam({ ana: 'analyst', lee: 'lead' });

beforeEach(() => {
  db = getDb();
  insertAlerts(db, Array.from({ length: 120 }, (_, i) => queueAlert(i)));
});

async function get(route: typeof listRoute, url: string, who: string, headers: Record<string, string> = {}): Promise<Response> {
  return route(new NextRequest(`${BASE}${url}`, { headers: { host: '127.0.0.1:3000', cookie: cookies[who]!, ...headers } }), segment);
}

/** the lead's dashboard for the period */
async function dashboard(period: '24h' | '30d') {
  const res = await get(dashboardRoute, `/api/dashboard?period=${period}`, 'lee');
  expect(res.status).toBe(200);
  return dashboardResponseSchema.parse(await res.json());
}

async function list(url: string, who = 'lee') {
  const res = await get(listRoute, url, who);
  expect(res.status).toBe(200);
  return alertListResponseSchema.parse(await res.json());
}

describe('GET /api/alerts', () => {
  it('answers the page of the store listing with the filter total, for the queue page\'s own request', async () => {
    const body = await list('/api/alerts?status=open,acknowledged&sort=timestamp&order=desc&page=2&pageSize=25');
    // the expected page from the test data itself: unclosed alerts, newest first, ties by id
    const want = Array.from({ length: 120 }, (_, i) => queueAlert(i))
      .filter((a) => a.status !== 'closed')
      .sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1))
      .slice(25, 50);
    expect(body.items.map((a) => a.id)).toEqual(want.map((a) => a.id));
    expect(body.total).toBe(80);
    expect(body.page).toBe(2);
    expect(body.items[0]!.source).toEqual({ _index: 'idx', _id: want[0]!.event._id });
  });

  it('reads assignee=me as the signed-in user, and none as unassigned', async () => {
    const mine = await list('/api/alerts?assignee=me&pageSize=500', 'ana');
    expect(mine.total).toBe(30);
    expect(new Set(mine.items.map((a) => a.assignee))).toEqual(new Set(['ana']));
    const none = await list('/api/alerts?assignee=none&status=open&pageSize=500');
    expect(none.items.every((a) => a.assignee === null && a.status === 'open')).toBe(true);
    expect(none.total).toBe(none.items.length);
  });

  it('shows a change at once: status, assignment and the total, on the next read of the same page', async () => {
    const url = '/api/alerts?status=open,acknowledged&sort=severity&pageSize=10&page=1';
    const first = await list(url);
    const top = first.items[0]!;
    expect((await list(url)).items[0]!.id).toBe(top.id);
    expect(updateAlertRow(db, top.id, { status: 'closed' }, top.version, '2026-02-01T00:00:00.000Z')).toBe(true);
    const after = await list(url);
    expect(after.items.map((a) => a.id)).not.toContain(top.id);
    expect(after.total).toBe(first.total - 1);
  });

  it('answers the cached body whole every time, marked no-transform (not re-compressed per request)', async () => {
    const url = '/api/alerts?status=open&pageSize=50';
    const first = await get(listRoute, url, 'lee', { 'accept-encoding': 'gzip' });
    expect(first.headers.get('cache-control')).toBe('no-store, no-transform');
    const text = await first.text();
    const again = await get(listRoute, url, 'lee');
    expect(await again.text()).toBe(text);
    expect(alertListResponseSchema.parse(JSON.parse(text)).items).toHaveLength(40);
  });
});

describe('GET /api/dashboard', () => {
  it('lists every active analyst and lead, also those with no alert; not viewers, admins or disabled users', async () => {
    await signedInCookies({ idle: 'analyst', watcher: 'viewer', boss: 'admin' });
    const res = await get(dashboardRoute, '/api/dashboard?period=7d', 'lee');
    expect(res.status).toBe(200);
    const body = dashboardResponseSchema.parse(await res.json());
    const idle = body.analysts.find((a) => a.analyst === 'idle');
    expect(idle).toEqual({ analyst: 'idle', assigned: 0, inProgress: 0, closed: 0, medianCompletion: null });
    expect(body.analysts.map((a) => a.analyst)).toContain('lee');
    expect(body.analysts.map((a) => a.analyst)).not.toContain('watcher');
    expect(body.analysts.map((a) => a.analyst)).not.toContain('boss');
  });

  it("shows an analyst's progress on the lead's next read", async () => {
    const read = () => dashboard('30d');
    const before = await read();
    const item = before.investigations.items.find((i) => i.assignee === 'ana')!;
    expect(item).toBeDefined();
    writeStep(db, { alertId: item.id, stepId: 'step-1', section: 'guide', state: 'done', reason: null, note: null, owner: null, actor: 'ana', updatedAt: '2026-01-02T00:00:00.000Z' });
    const after = await read();
    expect(after.investigations.items.find((i) => i.id === item.id)!.stepsDone).toBe(item.stepsDone + 1);
    // the period's figures were kept (no alert changed) and still agree
    expect(after.timeToClose).toEqual(before.timeToClose);
  });

  it("shows an analyst's close in the period's figures on the lead's next read", async () => {
    const read = () => dashboard('24h');
    const before = await read();
    const closedBefore = before.analysts.find((a) => a.analyst === 'ana')?.closed ?? 0;
    const item = before.investigations.items.find((i) => i.assignee === 'ana' && i.status === 'acknowledged')!;
    const version = (db.prepare('SELECT version FROM alerts WHERE id = ?').get(item.id) as { version: number }).version;
    const now = new Date().toISOString();
    expect(updateAlertRow(db, item.id, { status: 'closed', closedAt: now, verdict: 'false_positive' }, version, now)).toBe(true);
    const after = await read();
    expect(after.analysts.find((a) => a.analyst === 'ana')!.closed).toBe(closedBefore + 1);
    expect(after.byStatus.closed).toBe(before.byStatus.closed + 1);
    expect(after.investigations.items.map((i) => i.id)).not.toContain(item.id);
  });
});
