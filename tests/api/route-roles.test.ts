/**
 * Every API handler refuses, on the server, the roles below what it needs: a table written by
 * hand from the product's roles (README: viewer reads; analyst works; lead assigns, approves
 * exceptions, sees the dashboard; admin manages users, rules, ingest, webhooks), checked
 * against the handlers themselves. A route added without a line here fails the first test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { NextRequest } from 'next/server';
import type { Role } from '@/lib/auth';
import { closeDb } from '@/lib/store/db';
import { signedInTeam } from '@/tests/support/sessions';
import { BASE, loadRoutes, type Route } from '@/tests/security/fuzz-harness';

type Who = 'public' | Role;
/** the least role each handler serves ('public': no session needed) */
const NEEDS: Record<string, Who> = {
  'GET /api/alerts': 'viewer',
  'GET /api/alerts/export': 'viewer',
  'POST /api/alerts/assign': 'analyst',
  'POST /api/alerts/status': 'analyst',
  'GET /api/alerts/[id]': 'viewer',
  'PATCH /api/alerts/[id]': 'analyst',
  'GET /api/alerts/[id]/evidence': 'viewer',
  'GET /api/alerts/[id]/export': 'viewer',
  'POST /api/alerts/[id]/investigate': 'viewer',
  'GET /api/alerts/[id]/notes': 'viewer',
  'POST /api/alerts/[id]/notes': 'analyst',
  'GET /api/alerts/[id]/siblings': 'viewer',
  'PUT /api/alerts/[id]/steps/[stepId]': 'analyst',
  'GET /api/alerts/[id]/timeline': 'viewer',
  'GET /api/auth/me': 'viewer',
  'PATCH /api/auth/me': 'viewer',
  'POST /api/auth/signin': 'public',
  'POST /api/auth/signout': 'viewer',
  'GET /api/auth/tokens': 'viewer',
  'POST /api/auth/tokens': 'viewer',
  'DELETE /api/auth/tokens/[id]': 'viewer',
  'GET /api/dashboard': 'lead',
  'GET /api/health': 'public',
  'GET /api/incidents': 'viewer',
  'GET /api/incidents/[id]': 'viewer',
  'PATCH /api/incidents/[id]': 'analyst',
  'GET /api/incidents/[id]/export': 'viewer',
  'POST /api/incidents/[id]/merge': 'analyst',
  'POST /api/incidents/[id]/move': 'analyst',
  'POST /api/incidents/[id]/split': 'analyst',
  'PUT /api/incidents/[id]/steps/[stepId]': 'analyst',
  'GET /api/incidents/[id]/timeline': 'viewer',
  'GET /api/incidents/alert-groups': 'viewer',
  'GET /api/incidents/alert-groups/items': 'viewer',
  'GET /api/incidents/settings': 'admin',
  'PUT /api/incidents/settings': 'admin',
  'GET /api/incidents/stats': 'viewer',
  'GET /api/incidents/views': 'viewer',
  'POST /api/incidents/views': 'viewer',
  'DELETE /api/incidents/views/[id]': 'viewer',
  'PUT /api/incidents/views/default': 'lead',
  'GET /api/ingest': 'admin',
  'POST /api/ingest': 'admin',
  'GET /api/rules': 'viewer',
  'POST /api/rules': 'admin',
  'GET /api/rules/[id]': 'viewer',
  'GET /api/rules/[id]/backfill': 'viewer',
  'POST /api/rules/[id]/backfill': 'admin',
  'GET /api/rules/[id]/exceptions': 'viewer',
  'POST /api/rules/[id]/exceptions': 'analyst',
  'DELETE /api/rules/[id]/exceptions': 'lead',
  'POST /api/rules/[id]/exceptions/[exceptionId]': 'lead',
  'POST /api/rules/[id]/run': 'admin',
  'GET /api/rules/exceptions/pending': 'viewer',
  'POST /api/rules/import': 'admin',
  'POST /api/rules/reload': 'admin',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/[name]': 'admin',
  'POST /api/users/[name]/token': 'admin',
  'GET /api/users/assignable': 'lead',
  'GET /api/webhooks': 'admin',
  'POST /api/webhooks': 'admin',
  'PATCH /api/webhooks/[id]': 'admin',
  'DELETE /api/webhooks/[id]': 'admin',
  'GET /api/webhooks/[id]/deliveries': 'admin',
  'POST /api/webhooks/[id]/test': 'admin',
};

/** handlers whose own work is not run in the "serves the role" check (it would start a job or end the session used) */
const NOT_RUN = new Set(['POST /api/ingest', 'POST /api/auth/signout', 'POST /api/rules/reload']);

const BELOW: Record<Role, Role | null> = { viewer: null, analyst: 'viewer', lead: 'analyst', admin: 'lead' };
const READS = new Set(['GET', 'HEAD']);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-roles-'));
let routes: Route[] = [];
const cookies = signedInTeam({ vic: 'viewer', ana: 'analyst', lee: 'lead', ada: 'admin' });

beforeAll(async () => {
  vi.stubEnv('GUIDEPOST_DATA_DIR', dir);
  routes = await loadRoutes();
});
afterAll(() => {
  vi.unstubAllEnvs();
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

const cookieOf: Record<Role, () => string> = { viewer: () => cookies.vic!, analyst: () => cookies.ana!, lead: () => cookies.lee!, admin: () => cookies.ada! };

async function call(key: string, role: Role | null): Promise<{ status: number; code?: string; message?: string }> {
  const [method, template] = key.split(' ') as [string, string];
  const route = routes.find((r) => r.template === template);
  const handler = route?.handlers[method as keyof Route['handlers']];
  if (!route || !handler) throw new Error(`no handler ${key}`);
  const url = `${BASE}${template.replace(/\[(\w+)\]/g, 'x')}`;
  const headers: Record<string, string> = { host: '127.0.0.1:3000', 'content-type': 'application/json' };
  if (role) headers.cookie = cookieOf[role]();
  if (!READS.has(method)) headers.origin = BASE;
  const req = new NextRequest(url, { method, headers, ...(READS.has(method) ? {} : { body: '{}' }) });
  const res = await handler(req, { params: Promise.resolve(Object.fromEntries(route.params.map((p) => [p, 'x']))) });
  const text = await res.text();
  if (!(res.headers.get('content-type') ?? '').includes('application/json') || !text.startsWith('{"error"')) return { status: res.status };
  const { error } = JSON.parse(text) as { error: { code: string; message: string } };
  return { status: res.status, code: error.code, message: error.message };
}

describe('route roles', () => {
  test('every handler has a line in the table, and every line a handler', () => {
    const found = routes.flatMap((r) => Object.keys(r.handlers).map((m) => `${m} ${r.template}`)).sort();
    expect(found).toEqual(Object.keys(NEEDS).sort());
  });

  const entries = Object.entries(NEEDS);

  test.each(entries.filter(([, who]) => who !== 'public'))('%s refuses anonymous callers (401)', async (key) => {
    const res = await call(key, null);
    expect(res).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  test.each(entries.filter(([, who]) => who !== 'public' && BELOW[who as Role]))('%s refuses the role below %s (403)', async (key, who) => {
    const res = await call(key, BELOW[who as Role]!);
    expect(res.status).toBe(403);
    expect(res.code).toBe('forbidden');
    expect(res.message).toMatch(/^your role \(\w+\) may not do this/);
  });

  test.each(entries.filter(([key]) => !NOT_RUN.has(key)))('%s serves %s (no refusal by role)', async (key, who) => {
    const res = await call(key, who === 'public' ? null : (who as Role));
    expect(res.status).not.toBe(401);
    expect(res.message ?? '').not.toMatch(/may not do this/);
  });
});
