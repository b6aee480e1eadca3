import { test, expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { listAlerts } from '../helpers';
import { storageStateOf, type E2eUser } from '../auth-users';

const FAKE = 'no-such-id';
const json = { 'content-type': 'application/json' };

/** Every API route (method + path) except /api/health; ids need not exist: authentication comes first. */
const routes: [string, string][] = [
  ['GET', '/api/alerts'],
  ['GET', `/api/alerts/${FAKE}`],
  ['PATCH', `/api/alerts/${FAKE}`],
  ['GET', `/api/alerts/${FAKE}/notes`],
  ['POST', `/api/alerts/${FAKE}/notes`],
  ['PUT', `/api/alerts/${FAKE}/steps/s1`],
  ['GET', `/api/alerts/${FAKE}/evidence`],
  ['POST', `/api/alerts/${FAKE}/investigate`],
  ['GET', `/api/alerts/${FAKE}/export?format=markdown`],
  ['GET', '/api/alerts/export'],
  ['GET', '/api/rules'],
  ['POST', '/api/rules'],
  ['GET', `/api/rules/${FAKE}/exceptions`],
  ['POST', `/api/rules/${FAKE}/exceptions`],
  ['DELETE', `/api/rules/${FAKE}/exceptions?exceptionId=1`],
  ['GET', `/api/rules/${FAKE}/backfill`],
  ['POST', `/api/rules/${FAKE}/backfill`],
  ['POST', `/api/rules/${FAKE}/run`],
  ['POST', '/api/rules/reload'],
  ['GET', '/api/ingest?job=x'],
  ['POST', '/api/ingest?format=ecs'],
  ['GET', '/api/dashboard'],
  ['GET', '/api/users'],
  ['POST', '/api/users'],
  ['GET', '/api/users/assignable'],
  ['PATCH', '/api/users/admin'],
  ['POST', '/api/users/admin/token'],
  ['GET', '/api/auth/me'],
  ['PATCH', '/api/auth/me'],
  ['POST', '/api/auth/signout'],
];

async function as(user: E2eUser | null, baseURL: string | undefined): Promise<APIRequestContext> {
  return playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { origin: baseURL ?? '' },
    storageState: user ? storageStateOf(user) : { cookies: [], origins: [] },
  });
}

async function call(ctx: APIRequestContext, method: string, path: string, data: unknown = {}) {
  return ctx.fetch(path, { method, headers: json, ...(method === 'GET' || method === 'DELETE' ? {} : { data }) });
}

test('every API route but /api/health answers 401 without a session or token', async ({ baseURL }) => {
  const anon = await as(null, baseURL);
  for (const [method, path] of routes) {
    const res = await call(anon, method, path);
    expect(res.status(), `${method} ${path}`).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code, `${method} ${path}`).toBe('unauthorized');
  }
  const bad = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: 'Bearer gp_not-a-token' } });
  expect((await bad.get('/api/alerts')).status()).toBe(401);
  expect((await anon.get('/api/health')).status()).toBe(200);
  await anon.dispose();
  await bad.dispose();
});

test('a role without the right gets 403 forbidden (UI-independent)', async ({ baseURL, request }) => {
  const [alert] = await listAlerts(request, 'pageSize=5&status=open,acknowledged');
  expect(alert).toBeDefined();
  const id = alert!.id;
  const viewer = await as('viewer', baseURL);
  const analyst = await as('analyst', baseURL);
  const lead = await as('lead', baseURL);
  const refusals: [APIRequestContext, string, string, string, unknown][] = [
    [viewer, 'viewer', 'PATCH', `/api/alerts/${id}`, { expectedVersion: alert!.version, status: 'acknowledged' }],
    [viewer, 'viewer', 'POST', `/api/alerts/${id}/notes`, { body: 'hello' }],
    [analyst, 'analyst', 'GET', '/api/dashboard', null],
    [analyst, 'analyst', 'GET', '/api/users', null],
    [analyst, 'analyst', 'POST', '/api/rules', { ruleId: 'x', enabled: false }],
    [lead, 'lead', 'POST', '/api/rules/reload', {}],
    [analyst, 'analyst', 'POST', '/api/ingest?format=ecs', {}],
    [analyst, 'analyst', 'GET', '/api/users/assignable', null],
    [lead, 'lead', 'POST', '/api/users', { name: 'mallory', role: 'admin' }],
    [lead, 'lead', 'PATCH', '/api/users/admin', { disabled: true }],
  ];
  for (const [ctx, who, method, path, data] of refusals) {
    const res = await call(ctx, method, path, data ?? {});
    expect(res.status(), `${who} ${method} ${path}`).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  }
  // the viewer still reads
  expect((await viewer.get(`/api/alerts/${id}`)).status()).toBe(200);
  expect((await lead.get('/api/dashboard')).status()).toBe(200);
  await Promise.all([viewer.dispose(), analyst.dispose(), lead.dispose()]);
});

test('an analyst works unassigned alerts and their own, not someone else\'s, and cannot assign others', async ({ baseURL, request }) => {
  const alerts = await listAlerts(request, 'pageSize=500&status=open');
  const target = alerts[alerts.length - 1]!;
  const analyst = await as('analyst', baseURL);
  // assigning someone else is a lead's job
  const other = await call(analyst, 'PATCH', `/api/alerts/${target.id}`, { expectedVersion: target.version, assignee: 'bo.analyst' });
  expect(other.status(), await other.text()).toBe(403);
  // a lead (admin here) assigns it to bo; ali may no longer work it
  const assigned = await request.patch(`/api/alerts/${target.id}`, { data: { expectedVersion: target.version, assignee: 'bo.analyst' } });
  expect(assigned.status(), await assigned.text()).toBe(200);
  const note = await call(analyst, 'POST', `/api/alerts/${target.id}/notes`, { body: 'not mine' });
  expect(note.status()).toBe(403);
  expect(((await note.json()) as { error: { message: string } }).error.message).toContain('bo.analyst');
  // an unknown assignee is refused with the field named
  const version = ((await assigned.json()) as { alert: { version: number } }).alert.version;
  const unknown = await request.patch(`/api/alerts/${target.id}`, { data: { expectedVersion: version, assignee: 'nobody-here' } });
  expect(unknown.status()).toBe(400);
  expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('assignee');
  // back to unassigned; now ali takes it for themself
  const released = await request.patch(`/api/alerts/${target.id}`, { data: { expectedVersion: version, assignee: null } });
  expect(released.status()).toBe(200);
  const v2 = ((await released.json()) as { alert: { version: number } }).alert.version;
  const take = await call(analyst, 'PATCH', `/api/alerts/${target.id}`, { expectedVersion: v2, assignee: 'ali.analyst' });
  expect(take.status(), await take.text()).toBe(200);
  const mine = await analyst.get('/api/alerts?assignee=me&status=open,acknowledged,closed&pageSize=500');
  expect(((await mine.json()) as { items: { id: string }[] }).items.map((a) => a.id)).toContain(target.id);
  await analyst.dispose();
});

test('a cross-site state-changing request is refused even with a valid session', async ({ baseURL, request }) => {
  const [alert] = await listAlerts(request, 'pageSize=5&status=open,acknowledged');
  const res = await request.post(`/api/alerts/${alert!.id}/notes`, { data: { body: 'csrf' }, headers: { origin: 'https://evil.example' } });
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { message: string } }).error.message).toContain('cross-site');
  const noOrigin = await playwrightRequest.newContext({ baseURL, storageState: storageStateOf('admin') });
  // an opaque origin (sandboxed frame, data: URL) is not ours either
  const res2 = await noOrigin.post(`/api/alerts/${alert!.id}/notes`, { data: { body: 'opaque origin' }, headers: { origin: 'null' } });
  expect(res2.status()).toBe(403);
  // a cross-site sign-in is refused too
  const signIn = await noOrigin.post('/api/auth/signin', { data: { name: 'admin', password: 'x' }, headers: { origin: 'https://evil.example' } });
  expect(signIn.status()).toBe(403);
  // reads stay fine
  expect((await noOrigin.get('/api/alerts?pageSize=1')).status()).toBe(200);
  await noOrigin.dispose();
});

test('repeated wrong passwords are slowed down: 429 with Retry-After', async ({ baseURL }) => {
  const anon = await as(null, baseURL);
  const statuses: number[] = [];
  let retryAfter: string | undefined;
  for (let i = 0; i < 8; i++) {
    const res = await anon.post('/api/auth/signin', { data: { name: 'vic.viewer', password: `wrong-password-${i}` }, headers: { 'x-forwarded-for': '203.0.113.7' } });
    statuses.push(res.status());
    if (res.status() === 429) {
      retryAfter = res.headers()['retry-after'];
      break;
    }
  }
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(statuses).toContain(429);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  // even the right password waits while the key is locked
  const right = await anon.post('/api/auth/signin', { data: { name: 'vic.viewer', password: 'e2e-user-password-not-secret' }, headers: { 'x-forwarded-for': '203.0.113.7' } });
  expect(right.status()).toBe(429);
  await anon.dispose();
});

test('sign-in sets an httpOnly SameSite=Lax cookie; sign-out ends the session', async ({ baseURL }) => {
  const ctx = await as(null, baseURL);
  const res = await ctx.post('/api/auth/signin', { data: { name: 'lena.lead', password: 'e2e-user-password-not-secret' } });
  expect(res.status()).toBe(200);
  const cookie = res.headers()['set-cookie'] ?? '';
  expect(cookie).toMatch(/gp_session=/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  const me = await ctx.get('/api/auth/me');
  expect(((await me.json()) as { user: { name: string; role: string } }).user).toMatchObject({ name: 'lena.lead', role: 'lead' });
  expect((await ctx.post('/api/auth/signout', { data: {} })).status()).toBe(200);
  expect((await ctx.get('/api/auth/me')).status()).toBe(401);
  await ctx.dispose();
});

test('an admin-made API token works as a bearer token for scripts', async ({ baseURL, request }) => {
  const res = await request.post('/api/users/vic.viewer/token', { data: { label: 'e2e script' } });
  expect(res.status(), await res.text()).toBe(201);
  const { token } = (await res.json()) as { token: string };
  const script = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  expect((await script.get('/api/alerts?pageSize=1')).status()).toBe(200);
  expect((await script.get('/api/dashboard')).status()).toBe(403);
  await script.dispose();
});

test('anonymous /api/health is {status} only; an admin gets the details', async ({ baseURL, request }) => {
  const anon = await as(null, baseURL);
  const res = await anon.get('/api/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
  const admin = (await (await request.get('/api/health')).json()) as { status: string; source: { kind: string; detail: string }; store: { ok: boolean } };
  expect(admin.status).toBe('ok');
  expect(admin.source.kind).toBe('embedded');
  expect(admin.store.ok).toBe(true);
  await anon.dispose();
});

test('a sign-in body over the limit is refused with 413 before it is read whole', async ({ baseURL }) => {
  const anon = await as(null, baseURL);
  const res = await anon.post('/api/auth/signin', { data: JSON.stringify({ name: 'admin', password: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
  expect(res.status()).toBe(413);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  const typed = await anon.post('/api/auth/signin', { data: '{"name":"admin","password":"x"}', headers: { 'content-type': 'text/plain; x=application/json' } });
  expect(typed.status()).toBe(415);
  await anon.dispose();
});

test('API tokens: a read-only token reads but may not write; revoked, it is refused', async ({ baseURL, request }) => {
  const made = await request.post('/api/auth/tokens', { data: { user: 'vic.viewer', label: 'e2e read-only', expiresInDays: 7, scope: 'read' } });
  expect(made.status(), await made.text()).toBe(201);
  const { token, id } = (await made.json()) as { token: string; id: number };
  const script = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  expect((await script.get('/api/alerts?pageSize=1')).status()).toBe(200);
  expect((await script.patch('/api/auth/me', { data: { language: 'zh' } })).status()).toBe(403);
  const listed = (await (await request.get('/api/auth/tokens?user=vic.viewer')).json()) as { items: { id: number; scope: string; active: boolean }[] };
  expect(listed.items.find((t) => t.id === id)).toMatchObject({ scope: 'read', active: true });
  expect((await request.delete(`/api/auth/tokens/${id}`)).status()).toBe(200);
  expect((await script.get('/api/alerts?pageSize=1')).status()).toBe(401);
  await script.dispose();
});
