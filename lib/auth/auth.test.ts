import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb } from '../store/db';
import { can, canWorkAlert } from './roles';
import { createUser, checkCredentials, updateUser, AuthError } from './users';
import { createSession, sessionUser, createApiToken, apiTokenUser } from './sessions';
import { signIn, isCrossSite, authenticate, readCookie } from './request';
import { FREE_FAILURES } from './rate-limit';
import { listAudit } from '../store/audit';

process.env.GUIDEPOST_ARGON2_FAST = '1';

describe('roles', () => {
  it('orders the roles', () => {
    expect(can('viewer', 'read')).toBe(true);
    expect(can('viewer', 'work')).toBe(false);
    expect(can('analyst', 'assign')).toBe(false);
    expect(can('lead', 'assign')).toBe(true);
    expect(can('lead', 'users:manage')).toBe(false);
    expect(can('admin', 'users:manage')).toBe(true);
  });
  it('lets analysts work only their own or unassigned alerts', () => {
    const ana = { name: 'ana', role: 'analyst' as const };
    expect(canWorkAlert(ana, null)).toBe(true);
    expect(canWorkAlert(ana, 'ana')).toBe(true);
    expect(canWorkAlert(ana, 'bob')).toBe(false);
    expect(canWorkAlert({ name: 'lee', role: 'lead' }, 'bob')).toBe(true);
    expect(canWorkAlert({ name: 'vic', role: 'viewer' }, null)).toBe(false);
  });
});

describe('accounts and sessions', () => {
  beforeEach(() => {
    useMemoryDb();
  });

  it('hashes passwords with argon2id and checks them', async () => {
    await createUser(getDb(), { name: 'ana', role: 'analyst', password: 'correct horse battery' }, 'test');
    expect(await checkCredentials(getDb(), 'ana', 'correct horse battery')).toMatchObject({ name: 'ana', role: 'analyst' });
    expect(await checkCredentials(getDb(), 'ana', 'wrong password!!')).toBeNull();
    expect(await checkCredentials(getDb(), 'nobody', 'correct horse battery')).toBeNull();
    await expect(createUser(getDb(), { name: 'ana', role: 'viewer', password: 'another long one' }, 'test')).rejects.toBeInstanceOf(AuthError);
    await expect(createUser(getDb(), { name: 'bob', role: 'viewer', password: 'short' }, 'test')).rejects.toThrow(/12 characters/);
    expect(listAudit(getDb(), { entity: 'user' }).map((a) => a.action)).toEqual(['create']);
  });

  it('issues sessions that expire and die with a disabled account', async () => {
    const ana = await createUser(getDb(), { name: 'ana', role: 'analyst', password: 'correct horse battery' }, 'test');
    const { token } = createSession(getDb(), ana.id, Date.now());
    expect(sessionUser(getDb(), token)?.name).toBe('ana');
    expect(sessionUser(getDb(), token, Date.now() + 13 * 3600_000)).toBeNull();
    updateUser(getDb(), 'ana', { disabled: true }, 'test');
    expect(sessionUser(getDb(), token)).toBeNull();
  });

  it('authenticates API tokens and cookies', async () => {
    const ana = await createUser(getDb(), { name: 'ana', role: 'lead', password: 'correct horse battery' }, 'test');
    const apiToken = createApiToken(getDb(), ana.id, 'script');
    expect(apiTokenUser(getDb(), apiToken)?.name).toBe('ana');
    expect(authenticate(new Headers({ authorization: `Bearer ${apiToken}` }))).toMatchObject({ via: 'token' });
    expect(authenticate(new Headers({ authorization: 'Bearer gp_forged' }))).toBeNull();
    const { token } = createSession(getDb(), ana.id);
    expect(authenticate(new Headers({ cookie: `theme=dark; gp_session=${token}` }))?.user.name).toBe('ana');
    expect(readCookie('a=1; b=2', 'b')).toBe('2');
  });

  it('slows down repeated bad passwords', async () => {
    await createUser(getDb(), { name: 'ana', role: 'analyst', password: 'correct horse battery' }, 'test');
    for (let i = 0; i < FREE_FAILURES; i++) {
      await expect(signIn('ana', 'bad password 123', '127.0.0.1')).rejects.toMatchObject({ code: 'unauthorized' });
    }
    await expect(signIn('ana', 'bad password 123', '127.0.0.1')).rejects.toMatchObject({ code: 'unauthorized' });
    // now locked: even the right password waits
    await expect(signIn('ana', 'correct horse battery', '127.0.0.1')).rejects.toMatchObject({ code: 'rate_limited' });
    // another client is not locked out
    await expect(signIn('ana', 'correct horse battery', '10.9.9.9')).resolves.toMatchObject({ user: { name: 'ana' } });
  });
});

describe('cross-site check', () => {
  const url = 'http://127.0.0.1:3000/api/alerts/x';
  it('refuses a POST from another origin and allows our own', () => {
    const own = new Headers({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' });
    const evil = new Headers({ host: '127.0.0.1:3000', origin: 'https://evil.example' });
    expect(isCrossSite('POST', url, own, 'session')).toBe(false);
    expect(isCrossSite('POST', url, evil, 'session')).toBe(true);
    expect(isCrossSite('GET', url, evil, 'session')).toBe(false);
    expect(isCrossSite('POST', url, new Headers({ host: '127.0.0.1:3000' }), 'session')).toBe(true);
    expect(isCrossSite('POST', url, evil, 'token')).toBe(false);
  });
});
