/**
 * Sessions (cookie) and API tokens (Authorization: Bearer). Only SHA-256 digests of the
 * tokens are stored; the token itself is shown once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { prepared } from '../store/db';
import { authDb, getUserById, type User } from './users';

export const SESSION_COOKIE = 'gp_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const TOKEN_PREFIX = 'gp_';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export function createSession(userId: number, now = Date.now()): { token: string; expiresAt: string } {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
  const db = authDb();
  db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(new Date(now).toISOString());
  db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
    digest(token),
    userId,
    new Date(now).toISOString(),
    expiresAt,
  );
  return { token, expiresAt };
}

export function sessionUser(token: string, now = Date.now()): User | null {
  const row = prepared(authDb(), 'SELECT user_id, expires_at FROM sessions WHERE token_hash = ?').get(digest(token)) as
    | { user_id: number; expires_at: string }
    | undefined;
  if (!row || row.expires_at < new Date(now).toISOString()) return null;
  const user = getUserById(row.user_id);
  return user && !user.disabled ? user : null;
}

export function deleteSession(token: string): void {
  authDb().prepare('DELETE FROM sessions WHERE token_hash = ?').run(digest(token));
}

export function createApiToken(userId: number, label: string): string {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  authDb()
    .prepare('INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?)')
    .run(digest(token), userId, label, new Date().toISOString());
  return token;
}

export function apiTokenUser(token: string): User | null {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const db = authDb();
  const row = prepared(db, 'SELECT id, user_id FROM api_tokens WHERE token_hash = ?').get(digest(token)) as
    | { id: number; user_id: number }
    | undefined;
  if (!row) return null;
  prepared(db, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(new Date().toISOString(), row.id);
  const user = getUserById(row.user_id);
  return user && !user.disabled ? user : null;
}
