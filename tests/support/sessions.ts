/** Users created in the database in use, each with a fresh session: their cookie headers by name. */
import { beforeEach } from 'vitest';
import { createSession, createUser, type Role } from '@/lib/auth';
import { getDb, useMemoryDb } from '../../lib/store/db';

export async function signedInCookies(users: Record<string, Role>): Promise<Record<string, string>> {
  const cookies: Record<string, string> = {};
  for (const [name, role] of Object.entries(users)) {
    const user = await createUser(getDb(), { name, role, password: 'a long enough password' }, 'test');
    cookies[name] = `gp_session=${createSession(getDb(), user.id).token}`;
  }
  return cookies;
}

/**
 * The route tests' set-up: before each test a fresh in-memory app.db (`getDb()` is it) with
 * `users` signed in. The returned object is refilled in place each time, so keep it at the top
 * of the file and read `cookies.ana` inside the tests. Password hashing is the fast kind.
 * Call it before the file's own beforeEach, which then sees the new database and users.
 */
export function signedInTeam(users: Record<string, Role>): Record<string, string> {
  process.env.GUIDEPOST_ARGON2_FAST = '1';
  const cookies: Record<string, string> = {};
  beforeEach(async () => {
    useMemoryDb();
    for (const name of Object.keys(cookies)) delete cookies[name];
    Object.assign(cookies, await signedInCookies(users));
  });
  return cookies;
}
