/** Users created in the database in use, each with a fresh session: their cookie headers by name. */
import { createSession, createUser, type Role } from '@/lib/auth';
import { getDb } from '../../lib/store/db';

export async function signedInCookies(users: Record<string, Role>): Promise<Record<string, string>> {
  const cookies: Record<string, string> = {};
  for (const [name, role] of Object.entries(users)) {
    const user = await createUser(getDb(), { name, role, password: 'a long enough password' }, 'test');
    cookies[name] = `gp_session=${createSession(getDb(), user.id).token}`;
  }
  return cookies;
}
