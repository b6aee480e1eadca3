/** The queue's server side: alert groups over every matching alert, saved views, the shared default, incident paging and search. */
import { beforeEach, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { signedInTeam } from '@/tests/support/sessions';
import { getDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { updateAlert } from '@/lib/cases/workflow';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import { listAudit } from '@/lib/store/audit';
import * as groups from '@/app/api/incidents/alert-groups/route';
import * as groupItems from '@/app/api/incidents/alert-groups/items/route';
import * as views from '@/app/api/incidents/views/route';
import * as oneView from '@/app/api/incidents/views/[id]/route';
import * as sharedDefault from '@/app/api/incidents/views/default/route';
import * as list from '@/app/api/incidents/route';
import { MAX_VIEWS_PER_USER } from '@/lib/incidents/views';
import { alertOf } from './helpers';

const BASE = 'http://127.0.0.1:3000';
const cookies = signedInTeam({ vic: 'viewer', ana: 'analyst', lee: 'lead' });
let db: AppDb;

beforeEach(() => {
  db = getDb();
  // h1: 3 alerts (one critical), h2: 2, no host: 1; hosts far apart in time so each is its own incident
  insertAlerts(db, [
      alertOf({ id: 'a1', min: 0, host: 'h1', rule: 'r1' }),
      alertOf({ id: 'a2', min: 1, host: 'h1', rule: 'r2', severity: 'critical' }),
      alertOf({ id: 'a3', min: 2, host: 'h1', rule: 'r1' }),
      alertOf({ id: 'b1', min: 500, host: 'h2', rule: 'r1', user: 'ann' }),
      alertOf({ id: 'b2', min: 501, host: 'h2', rule: 'r1', user: 'ann' }),
      alertOf({ id: 'c1', min: 1000, host: null, rule: 'r3' }),
    ]);
  groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] } });
});

function req(method: string, who: string, path: string, body?: unknown) {
  return new NextRequest(`${BASE}${path}`, {
    method,
    headers: { host: '127.0.0.1:3000', cookie: cookies[who]!, origin: BASE, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}
const seg = <P,>(p: P) => ({ params: Promise.resolve(p) });

describe('alert groups', () => {
  it('counts every matching alert per host, largest first, with the highest severity; alerts without a host are their own group', async () => {
    const res = await groups.GET(req('GET', 'vic', '/api/incidents/alert-groups?by=host&status='), seg({}));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { groups: { key: string | null; count: number; severity: string; open: number }[]; totalGroups: number; total: number };
    expect(body.groups).toEqual([
      { key: 'h1', label: 'h1', count: 3, severity: 'critical', open: 3 },
      { key: 'h2', label: 'h2', count: 2, severity: 'medium', open: 2 },
      { key: null, label: null, count: 1, severity: 'medium', open: 1 },
    ]);
    expect([body.totalGroups, body.total]).toEqual([3, 6]);
  });

  it('applies the queue filters and sees a change at once (closed alerts leave the default status filter)', async () => {
    updateAlert('a3', { status: 'closed', verdict: 'false_positive' }, { expectedVersion: 1, actor: 'lee' });
    const res = await groups.GET(req('GET', 'vic', '/api/incidents/alert-groups?by=rule&status=open,acknowledged'), seg({}));
    const body = (await res.json()) as { groups: { key: string; label: string; count: number }[] };
    expect(body.groups.map((g) => [g.key, g.label, g.count])).toEqual([
      ['r1', 'Rule r1', 3],
      ['r2', 'Rule r2', 1],
      ['r3', 'Rule r3', 1],
    ]);
  });

  it("lists one group's alerts by exact key (h1 is not h10), a page at a time, and refuses a bad grouping", async () => {
    insertAlerts(db, [alertOf({ id: 'x1', min: 3, host: 'h10' })]);
    const res = await groupItems.GET(req('GET', 'vic', '/api/incidents/alert-groups/items?by=host&key=h1&pageSize=2&page=2&sort=timestamp&order=asc'), seg({}));
    const body = (await res.json()) as { items: { id: string }[]; total: number };
    expect([body.items.map((a) => a.id), body.total]).toEqual([['a3'], 3]);
    const bad = await groups.GET(req('GET', 'vic', '/api/incidents/alert-groups?by=process'), seg({}));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/by/);
  });
});

describe('saved views', () => {
  it('keeps each user’s views apart, replaces by name, deletes only one’s own', async () => {
    const saved = await views.POST(req('POST', 'ana', '/api/incidents/views', { name: 'my hosts', search: 'view=alerts&group=host&page=3' }), seg({}));
    expect(saved.status).toBe(200);
    const v = (await saved.json()) as { id: number; search: string };
    expect(v.search).toBe('view=alerts&group=host');
    await views.POST(req('POST', 'ana', '/api/incidents/views', { name: 'my hosts', search: 'view=alerts&group=user' }), seg({}));
    const mine = (await (await views.GET(req('GET', 'ana', '/api/incidents/views'), seg({}))).json()) as { items: { name: string; search: string }[] };
    expect(mine.items.map((i) => [i.name, i.search])).toEqual([['my hosts', 'view=alerts&group=user']]);
    const others = (await (await views.GET(req('GET', 'vic', '/api/incidents/views'), seg({}))).json()) as { items: unknown[] };
    expect(others.items).toEqual([]);
    expect((await oneView.DELETE(req('DELETE', 'vic', `/api/incidents/views/${v.id}`), seg({ id: String(v.id) }))).status).toBe(404);
    expect((await oneView.DELETE(req('DELETE', 'ana', `/api/incidents/views/${v.id}`), seg({ id: String(v.id) }))).status).toBe(200);
  });

  it('refuses a setting the queue does not have, naming it, and bounds how many views one keeps', async () => {
    const bad = await views.POST(req('POST', 'ana', '/api/incidents/views', { name: 'x', search: 'view=alerts&drop=tables' }), seg({}));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/'drop' is not a queue setting/);
    const badGroup = await views.POST(req('POST', 'ana', '/api/incidents/views', { name: 'x', search: 'group=process' }), seg({}));
    expect(badGroup.status).toBe(400);
    for (let i = 0; i < MAX_VIEWS_PER_USER; i++) await views.POST(req('POST', 'ana', '/api/incidents/views', { name: `v${i}`, search: 'view=incidents' }), seg({}));
    const over = await views.POST(req('POST', 'ana', '/api/incidents/views', { name: 'one more', search: 'view=incidents' }), seg({}));
    expect(over.status).toBe(400);
  });

  it('lets a lead set the shared default (audited) and refuses an analyst', async () => {
    const body = { view: { name: 'Team', search: 'view=alerts&group=rule' } };
    expect((await sharedDefault.PUT(req('PUT', 'ana', '/api/incidents/views/default', body), seg({}))).status).toBe(403);
    expect((await sharedDefault.PUT(req('PUT', 'lee', '/api/incidents/views/default', body), seg({}))).status).toBe(200);
    const seen = (await (await views.GET(req('GET', 'vic', '/api/incidents/views'), seg({}))).json()) as { shared: { name: string; search: string; setBy: string } };
    expect(seen.shared).toMatchObject({ name: 'Team', search: 'view=alerts&group=rule', setBy: 'lee' });
    expect(listAudit(getDb(), { entity: 'queue', entityId: 'shared-default', limit: 5 }).map((e) => e.action)).toEqual(['set-default-view']);
  });
});

describe('incident list', () => {
  it('pages past any one request (offset) and searches hosts, users and rules', async () => {
    const page = async (q: string) => (await (await list.GET(req('GET', 'vic', `/api/incidents?${q}`), seg({}))).json()) as { items: { hosts: string[] }[]; total: number };
    const first = await page('limit=1&offset=0&sort=first_seen&order=asc');
    const third = await page('limit=1&offset=2&sort=first_seen&order=asc');
    expect([first.total, first.items[0]!.hosts, third.items[0]!.hosts]).toEqual([3, ['h1'], []]);
    expect((await page('q=ann')).items.map((i) => i.hosts)).toEqual([['h2']]);
    expect((await page('q=Rule%20r3')).total).toBe(1);
    expect((await page('q=%25')).total).toBe(0);
  });

  it('answers from memory until an incident changes, then shows the change', async () => {
    const { listIncidents } = await import('@/lib/incidents/service');
    const { updateIncident } = await import('@/lib/incidents/manual');
    const f = { status: ['open' as const], sort: 'first_seen' as const, order: 'asc' as const, limit: 10 };
    const before = listIncidents(f, db);
    expect(listIncidents(f, db).items).toBe(before.items);
    const first = before.items[0]!;
    updateIncident(first.id, { status: 'acknowledged' }, { actor: 'lee', expectedVersion: first.version });
    const after = listIncidents(f, db);
    expect([before.total, after.total]).toEqual([3, 2]);
    expect(after.items.map((i) => i.id)).not.toContain(first.id);
  });
});

describe('queue view in the address', async () => {
  const { searchOfView, viewOfSearch } = await import('@/components/triage/alert-queue');
  it('the home page shows incidents by default; the flat alerts are view=alerts, grouping only there', () => {
    const home = viewOfSearch(new URLSearchParams(''), 'incidents');
    expect([home.kind, home.sort, home.group]).toEqual(['incidents', 'last_seen', '']);
    expect(searchOfView(home, 'incidents')).toBe('');
    const flat = viewOfSearch(new URLSearchParams('view=alerts&group=host&sort=severity'), 'incidents');
    expect([flat.kind, flat.group, flat.sort]).toEqual(['alerts', 'host', 'severity']);
    expect(searchOfView(flat, 'incidents')).toBe('view=alerts&group=host&sort=severity');
    // an incident view ignores grouping and an alert-only sort
    expect(viewOfSearch(new URLSearchParams('group=host&sort=rule_name'), 'incidents')).toMatchObject({ group: '', sort: 'last_seen' });
    // a saved view names its kind whatever page it is opened on
    expect(searchOfView(home, null)).toBe('view=incidents');
  });
});

describe('incident page plans', () => {
  it('reads every sort’s page from its index in order (no sort of every incident), at any offset', async () => {
    const { incidentPageQuery } = await import('@/lib/store/incidents');
    for (const sort of ['last_seen', 'first_seen', 'severity', 'alert_count', 'risk_score'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const { sql, params } = incidentPageQuery({ status: ['open', 'acknowledged'], sort, order, limit: 200, offset: 3800 });
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
        const inner = plan.slice(0, plan.findIndex((d) => d.startsWith('SCAN p')));
        expect(inner.join(' | '), `${sort} ${order}`).toMatch(/USING COVERING INDEX incidents_queue_/);
        expect(inner.join(' | '), `${sort} ${order}`).not.toMatch(/TEMP B-TREE/);
      }
    }
  });
});
