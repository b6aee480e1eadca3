/** Issue 13, item 6: API tokens have a name, an expiry, a scope; they are listed, revoked and audited. */
import { describe, expect, it, vi } from 'vitest';
import { NextRequest } from 'next/server';
import { getDb } from '@/lib/store/db';
import { listAudit } from '@/lib/store/audit';
import { signedInTeam } from '@/tests/support/sessions';
import { apiTokenUser, createApiToken, getUserByName, listApiTokens, revokeApiToken, setPassword, updateUser } from '@/lib/auth';
import { GET as listRoute, POST as createRoute } from '@/app/api/auth/tokens/route';
import { DELETE as revokeRoute } from '@/app/api/auth/tokens/[id]/route';
import { GET as meGet, PATCH as mePatch } from '@/app/api/auth/me/route';
import { POST as userTokenRoute } from '@/app/api/users/[name]/token/route';
import { main as usersCli } from '@/lib/cli/users';

const BASE = 'http://127.0.0.1:3000';
const cookies = signedInTeam({ vic: 'viewer', ana: 'analyst', adm: 'admin' });

function req(method: string, pathname: string, headers: Record<string, string>, body?: unknown) {
  return new NextRequest(`${BASE}${pathname}`, {
    method,
    headers: { host: '127.0.0.1:3000', origin: BASE, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
const seg = <P,>(params: P) => ({ params: Promise.resolve(params) });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const userId = (name: string) => getUserByName(getDb(), name)!.id;

describe('API tokens', () => {
  it('expire: 90 days by default, at most 366, and an expired one is refused', () => {
    const now = Date.now();
    const token = createApiToken(getDb(), userId('ana'), 'ci', { expiresInDays: 1 }, 'adm', now);
    expect(apiTokenUser(getDb(), token)?.name).toBe('ana');
    const [info] = listApiTokens(getDb(), userId('ana'));
    expect(Date.parse(info!.expiresAt!) - now).toBe(86_400_000);
    vi.useFakeTimers({ now: now + 86_400_000 + 1 });
    try {
      expect(apiTokenUser(getDb(), token)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
    const dflt = createApiToken(getDb(), userId('ana'), 'default', {}, 'adm', now);
    expect(dflt).toMatch(/^gp_/);
    expect(Date.parse(listApiTokens(getDb(), userId('ana'))[0]!.expiresAt!) - now).toBe(90 * 86_400_000);
    expect(() => createApiToken(getDb(), userId('ana'), 'forever', { expiresInDays: 10_000 })).toThrow(/at most 366 days/);
  });

  it('a read-only token reads and may not write', async () => {
    const token = createApiToken(getDb(), userId('ana'), 'dashboards', { scope: 'read' }, 'adm');
    expect((await meGet(req('GET', '/api/auth/me', bearer(token)), seg({}))).status).toBe(200);
    const write = await mePatch(req('PATCH', '/api/auth/me', bearer(token), { language: 'zh' }), seg({}));
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: { message: string } }).error.message).toMatch(/read-only/);
    expect(getUserByName(getDb(), 'ana')!.language).toBe('en');
    const full = createApiToken(getDb(), userId('ana'), 'script', {}, 'adm');
    expect((await mePatch(req('PATCH', '/api/auth/me', bearer(full), { language: 'zh' }), seg({}))).status).toBe(200);
  });

  it('are revoked one by one, on a password reset and when the user is disabled; each audited', async () => {
    const a = createApiToken(getDb(), userId('ana'), 'a', {}, 'adm');
    const b = createApiToken(getDb(), userId('ana'), 'b', {}, 'adm');
    revokeApiToken(getDb(), listApiTokens(getDb(), userId('ana')).find((t) => t.label === 'a')!.id, 'adm');
    expect(apiTokenUser(getDb(), a)).toBeNull();
    expect(apiTokenUser(getDb(), b)?.name).toBe('ana');
    await setPassword(getDb(), 'ana', 'a brand new password', 'adm');
    expect(apiTokenUser(getDb(), b)).toBeNull();
    const c = createApiToken(getDb(), userId('ana'), 'c', {}, 'adm');
    updateUser(getDb(), 'ana', { disabled: true }, 'adm');
    updateUser(getDb(), 'ana', { disabled: false }, 'adm');
    expect(apiTokenUser(getDb(), c)).toBeNull();
    expect(listApiTokens(getDb(), userId('ana')).every((t) => !t.active && t.revokedAt !== null)).toBe(true);
    const actions = listAudit(getDb(), { entity: 'user', entityId: 'ana' }).map((e) => e.action);
    expect(actions.filter((x) => x === 'token')).toHaveLength(3);
    expect(actions).toContain('token-revoke');
  });

  it('routes: anyone lists and revokes their own; only admins see or revoke others\u2019; a token cannot mint tokens', async () => {
    const created = await createRoute(req('POST', '/api/auth/tokens', { cookie: cookies.vic! }, { label: 'mine', expiresInDays: 7, scope: 'read' }), seg({}));
    expect(created.status).toBe(201);
    const { token, id, scope } = (await created.json()) as { token: string; id: number; scope: string };
    expect(scope).toBe('read');
    const mine = (await (await listRoute(req('GET', '/api/auth/tokens', { cookie: cookies.vic! }), seg({}))).json()) as { items: { id: number; label: string }[] };
    expect(mine.items.map((t) => t.label)).toEqual(['mine']);
    expect(JSON.stringify(mine)).not.toContain(token);
    expect((await listRoute(req('GET', '/api/auth/tokens?user=adm', { cookie: cookies.vic! }), seg({}))).status).toBe(403);
    expect((await createRoute(req('POST', '/api/auth/tokens', { cookie: cookies.vic! }, { label: 'x', user: 'adm' }), seg({}))).status).toBe(403);
    // with a (full) token: no new tokens
    const full = createApiToken(getDb(), userId('ana'), 'full', {}, 'adm');
    expect((await createRoute(req('POST', '/api/auth/tokens', bearer(full), { label: 'more' }), seg({}))).status).toBe(403);
    // ana cannot revoke vic's token; the admin can
    expect((await revokeRoute(req('DELETE', `/api/auth/tokens/${id}`, { cookie: cookies.ana! }), seg({ id: String(id) }))).status).toBe(404);
    expect(apiTokenUser(getDb(), token)?.name).toBe('vic');
    const all = (await (await listRoute(req('GET', '/api/auth/tokens?user=*', { cookie: cookies.adm! }), seg({}))).json()) as { items: unknown[] };
    expect(all.items).toHaveLength(2);
    const revoked = await revokeRoute(req('DELETE', `/api/auth/tokens/${id}`, { cookie: cookies.adm! }), seg({ id: String(id) }));
    expect(revoked.status).toBe(200);
    expect(apiTokenUser(getDb(), token)).toBeNull();
    expect((await revokeRoute(req('DELETE', '/api/auth/tokens/abc', { cookie: cookies.adm! }), seg({ id: 'abc' }))).status).toBe(400);
  });

  it('POST /api/users/:name/token takes a scope and an expiry', async () => {
    const res = await userTokenRoute(req('POST', '/api/users/ana/token', { cookie: cookies.adm! }, { label: 'ci', scope: 'read', expiresInDays: 30 }), seg({ name: 'ana' }));
    expect(res.status).toBe(201);
    const [t] = listApiTokens(getDb(), userId('ana'));
    expect(t).toMatchObject({ label: 'ci', scope: 'read', active: true });
    const bad = await userTokenRoute(req('POST', '/api/users/ana/token', { cookie: cookies.adm! }, { label: 'ci', expiresInDays: 0 }), seg({ name: 'ana' }));
    expect(bad.status).toBe(400);
  });

  it('CLI: users token --expires-days --read-only, users tokens, users revoke-token', async () => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await usersCli(['token', 'ana', '--label', 'cron', '--expires-days', '10', '--read-only'])).toBe(0);
      const token = out.pop()!;
      expect(apiTokenUser(getDb(), token)?.name).toBe('ana');
      expect(await usersCli(['tokens', 'ana'])).toBe(0);
      const listed = JSON.parse(out.pop()!) as { id: number; label: string; scope: string; active: boolean };
      expect(listed).toMatchObject({ label: 'cron', scope: 'read', active: true });
      expect(await usersCli(['revoke-token', String(listed.id)])).toBe(0);
      expect(apiTokenUser(getDb(), token)).toBeNull();
      expect(await usersCli(['token', 'ana', '--expires-days', 'forever'])).toBe(2);
      expect(await usersCli(['revoke-token', 'x'])).toBe(2);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
