/**
 * The API fuzz run (issue 13). Inside `npx vitest run` a seeded slice of
 * GUIDEPOST_FUZZ_RUNS requests (default 300); `npm run fuzz` runs 12,000 with a fresh seed
 * (GUIDEPOST_FUZZ_SEED to repeat one). See fuzz-harness.ts for what is generated and checked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeDb, getDb, useMemoryDb } from '@/lib/store/db';
import { auditAllowed, warmUp, loadRoutes, repairWorld, requestArbitrary, runOne, seedWorld, Watcher, type Credentials, type FuzzStats, type Route } from './fuzz-harness';

process.env.GUIDEPOST_ARGON2_FAST = '1';
const RUNS = Number(process.env.GUIDEPOST_FUZZ_RUNS ?? 300);
const SEED = process.env.GUIDEPOST_FUZZ_SEED ? Number(process.env.GUIDEPOST_FUZZ_SEED) : process.env.GUIDEPOST_FUZZ_RUNS ? Date.now() % 2 ** 31 : 1313;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-fuzz-'));

let routes: Route[] = [];
let creds: Credentials;

beforeAll(async () => {
  vi.stubEnv('GUIDEPOST_DATA_DIR', dir);
  useMemoryDb();
  routes = await loadRoutes();
  creds = await seedWorld();
  await warmUp(routes, creds);
});
afterAll(() => {
  vi.unstubAllEnvs();
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('API fuzz', () => {
  it('finds every route handler', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes.map((r) => r.template)).toEqual(expect.arrayContaining(['/api/alerts', '/api/auth/signin', '/api/health', '/api/users/[name]/token', '/api/alerts/[id]/steps/[stepId]']));
  });

  it(`${RUNS} generated requests (seed ${SEED}): never a 500, never a throw, never a write the role may not make`, { timeout: Math.max(120_000, RUNS * 200) }, async () => {
    const stats: FuzzStats = { requests: 0, byStatus: {}, routesHit: new Set() };
    const watcher = new Watcher();
    const logged: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ').slice(0, 500)));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const started = Date.now();
    try {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(routes), async (f) => {
          try {
            await runOne(routes, creds, watcher, f, stats);
          } finally {
            repairWorld(creds);
            watcher.sync();
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    } finally {
      error.mockRestore();
      warn.mockRestore();
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `[fuzz] ${stats.requests} requests in ${seconds.toFixed(1)} s (seed ${SEED}), ${stats.routesHit.size}/${routes.length} routes answered; statuses ${JSON.stringify(stats.byStatus)}`,
    );
    expect(logged.filter((l) => l.includes('unhandled error'))).toEqual([]);
    expect(stats.requests).toBe(RUNS);
  });
});

describe('the fuzz checks can fail', () => {
  const row = (actor: string, entity: string, entityId: string, action: string, before: unknown = null, after: unknown = null) => ({
    id: 1,
    at: '2026-01-01T00:00:00.000Z',
    actor,
    entity,
    entityId,
    action,
    before,
    after,
  });
  const assignees = new Map<string, string | null>([['a1', 'someone-else'], ['a2', null], ['a3', 'fz-analyst']]);

  it('flags writes beyond the role', () => {
    expect(auditAllowed(row('fz-viewer', 'alert', 'a2', 'status'), assignees)).toMatch(/viewer wrote alert/);
    expect(auditAllowed(row('fz-analyst', 'alert', 'a1', 'status'), assignees)).toMatch(/assigned to someone-else/);
    expect(auditAllowed(row('fz-analyst', 'exception', 'x', 'create'), assignees)).toMatch(/exception action 'create'/);
    expect(auditAllowed(row('fz-lead', 'rule', 'r1', 'disable'), assignees)).toMatch(/lead wrote rule/);
    expect(auditAllowed(row('fz-viewer', 'user', 'fz-viewer', 'update', { role: 'viewer', disabled: false }, { role: 'admin', disabled: false }), assignees)).toMatch(/own role/);
    expect(auditAllowed(row('fz-analyst', 'user', 'fz-admin', 'token'), assignees)).toMatch(/analyst wrote user/);
    expect(auditAllowed(row('anonymous', 'alert', 'a2', 'status'), assignees)).toMatch(/unknown actor/);
  });

  it('lets through what the role may do', () => {
    expect(auditAllowed(row('fz-analyst', 'alert', 'a2', 'claim'), assignees)).toBeNull();
    expect(auditAllowed(row('fz-analyst', 'alert', 'a3', 'note'), assignees)).toBeNull();
    expect(auditAllowed(row('fz-analyst', 'exception', 'x', 'propose'), assignees)).toBeNull();
    expect(auditAllowed(row('fz-lead', 'alert', 'a1', 'assign'), assignees)).toBeNull();
    expect(auditAllowed(row('fz-viewer', 'user', 'fz-viewer', 'update', { role: 'viewer', disabled: false, language: 'en' }, { role: 'viewer', disabled: false, language: 'zh' }), assignees)).toBeNull();
    expect(auditAllowed(row('fz-admin', 'rule', 'r1', 'disable'), assignees)).toBeNull();
  });

  it('a handler answering 500 or throwing fails the run', async () => {
    const bad: Route[] = [
      { template: '/api/boom', params: [], handlers: { GET: () => new Response('{}', { status: 500 }) } },
      { template: '/api/throw', params: [], handlers: { GET: () => Promise.reject(new Error('boom')) } },
    ];
    const stats: FuzzStats = { requests: 0, byStatus: {}, routesHit: new Set() };
    const base = { method: 'GET' as const, who: 'admin' as const, auth: 'cookie' as const, origin: 'same' as const, params: [], query: [], body: null, contentType: '', extraHeaders: [] };
    await expect(runOne(bad, creds, new Watcher(), { ...base, route: 0 }, stats)).rejects.toThrow(/answered 500/);
    await expect(runOne(bad, creds, new Watcher(), { ...base, route: 1 }, stats)).rejects.toThrow(/threw/);
  });

  it('an alert changed by a viewer, or by an analyst on someone else\'s alert, fails the run even without an audit row', async () => {
    const sneaky: Route[] = [
      {
        template: '/api/sneaky',
        params: [],
        handlers: {
          POST: () => {
            getDb().prepare("UPDATE alerts SET status = 'closed', version = version + 1 WHERE id = 'a002'").run();
            return new Response('{}', { status: 200 });
          },
        },
      },
    ];
    const stats: FuzzStats = { requests: 0, byStatus: {}, routesHit: new Set() };
    const base = { route: 0, method: 'POST' as const, auth: 'cookie' as const, origin: 'same' as const, params: [], query: [], body: null, contentType: '', extraHeaders: [] };
    // a002 is someone else's (whatever the fuzz run did to it)
    getDb().prepare("UPDATE alerts SET assignee = 'someone-else', status = 'open' WHERE id = 'a002'").run();
    await expect(runOne(sneaky, creds, new Watcher(), { ...base, who: 'viewer' }, stats)).rejects.toThrow(/viewer changed alert a002/);
    await expect(runOne(sneaky, creds, new Watcher(), { ...base, who: 'analyst' }, stats)).rejects.toThrow(/analyst changed alert a002 assigned to someone-else/);
    await expect(runOne(sneaky, creds, new Watcher(), { ...base, who: 'lead' }, stats)).resolves.toBeUndefined();
  });
});
