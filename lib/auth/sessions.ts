/**
 * Sessions (cookie) and API tokens (Authorization: Bearer). Only SHA-256 digests of the
 * tokens are stored; the token itself is shown once.
 *
 * A session ends 12 h after sign-in at the latest, and earlier when it has not been used for
 * GUIDEPOST_SESSION_IDLE_MINUTES (default 60; 0 turns the idle timeout off). An API token
 * has a name, an expiry (or none, when asked for), a scope (`full` = what the user's role
 * allows, `read` = reads only) and can be revoked; a password reset or disabling the user
 * revokes all of theirs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { prepared, tryWrite, type AppDb } from '../store/db';
import { appendAudit } from '../store/audit';
import { AuthError, getUserById, type User } from './users';

export const SESSION_COOKIE = 'gp_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const TOKEN_PREFIX = 'gp_';
/** last_seen_at is written at most this often per session (not on every request) */
const SEEN_GRANULARITY_MS = 60_000;
const DEFAULT_IDLE_MINUTES = 60;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

let warnedIdle: string | null = null;

/**
 * The idle timeout in ms (0 = none), from GUIDEPOST_SESSION_IDLE_MINUTES. A malformed value
 * is logged (once, naming the variable) and the default of 60 minutes holds: the server
 * keeps serving, and never with a laxer timeout than the default.
 */
export function sessionIdleMs(env: NodeJS.ProcessEnv = process.env, log: (m: string) => void = (m) => console.error(m)): number {
  const raw = env.GUIDEPOST_SESSION_IDLE_MINUTES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_IDLE_MINUTES * 60_000;
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes < 0) {
    if (warnedIdle !== raw) {
      warnedIdle = raw;
      log(`[guidepost] GUIDEPOST_SESSION_IDLE_MINUTES must be a number of minutes ≥ 0 (0 = no idle timeout), not '${raw}'; using ${DEFAULT_IDLE_MINUTES}`);
    }
    return DEFAULT_IDLE_MINUTES * 60_000;
  }
  return Math.round(minutes * 60_000);
}

export function createSession(db: AppDb, userId: number, now = Date.now()): { token: string; expiresAt: string } {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
  const at = new Date(now).toISOString();
  db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(at);
  db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)').run(
    digest(token),
    userId,
    at,
    expiresAt,
    at,
  );
  return { token, expiresAt };
}

export function sessionUser(db: AppDb, token: string, now = Date.now()): User | null {
  const hash = digest(token);
  const row = prepared<| { user_id: number; created_at: string; expires_at: string; last_seen_at: string | null }>(db, 'SELECT user_id, created_at, expires_at, last_seen_at FROM sessions WHERE token_hash = ?').get(hash);
  if (!row || row.expires_at < new Date(now).toISOString()) return null;
  const idle = sessionIdleMs();
  const seen = Date.parse(row.last_seen_at ?? row.created_at);
  // the idle session's removal and the last-seen time are bookkeeping on every request's path:
  // skipped when another connection holds app.db's write lock (tryWrite: a 50 ms wait, not the
  // 5 s that would stall the server), done again by the session's next request
  if (idle > 0 && now - seen > idle) {
    tryWrite(db, () => prepared(db, 'DELETE FROM sessions WHERE token_hash = ?').run(hash));
    return null;
  }
  if (now - seen >= SEEN_GRANULARITY_MS) {
    tryWrite(db, () => prepared(db, 'UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(new Date(now).toISOString(), hash));
  }
  const user = getUserById(db, row.user_id);
  return user && !user.disabled ? user : null;
}

export function deleteSession(db: AppDb, token: string): void {
  db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(digest(token));
}

// ---- API tokens ----

export const tokenScopes = ['full', 'read'] as const;
export type TokenScope = (typeof tokenScopes)[number];
/** the longest a token may live, and what it gets when no expiry is given */
export const MAX_TOKEN_DAYS = 366;
export const DEFAULT_TOKEN_DAYS = 90;

export interface ApiTokenInfo {
  id: number;
  user: string;
  label: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** active = not revoked and not expired */
  active: boolean;
}

export interface NewApiToken {
  /** days until it expires (1 … 366); default 90 */
  expiresInDays?: number;
  scope?: TokenScope;
}

const tokenOptionsSchema = z
  .object({
    expiresInDays: z.number().int().min(1, 'a token lives at least 1 day').max(MAX_TOKEN_DAYS, `a token lives at most ${MAX_TOKEN_DAYS} days`).optional(),
    scope: z.enum(tokenScopes).optional(),
  })
  .strict();

/**
 * A new API token for `userId`, shown once. `actor` set: the creation is audited here
 * (callers that audit themselves leave it out).
 */
export function createApiToken(db: AppDb, userId: number, label: string, options: NewApiToken = {}, actor?: string, now = Date.now()): string {
  const opts = tokenOptionsSchema.safeParse(options);
  if (!opts.success) throw new AuthError('invalid_request', opts.error.issues.map((i) => i.message).join('; '));
  const cleanLabel = label.trim();
  if (!cleanLabel || cleanLabel.length > 100) throw new AuthError('invalid_request', 'a token name has 1 to 100 characters');
  const user = getUserById(db, userId);
  if (!user) throw new AuthError('not_found', `no user with id ${userId}`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const days = opts.data.expiresInDays ?? DEFAULT_TOKEN_DAYS;
  const scope = opts.data.scope ?? 'full';
  const expiresAt = new Date(now + days * 86_400_000).toISOString();
  db.transaction(() => {
    db.prepare('INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at, scope) VALUES (?, ?, ?, ?, ?, ?)').run(
      digest(token),
      userId,
      cleanLabel,
      new Date(now).toISOString(),
      expiresAt,
      scope,
    );
    if (actor) appendAudit(db, { actor, entity: 'user', entityId: user.name, action: 'token', before: null, after: { label: cleanLabel, scope, expiresAt } });
  }).immediate();
  return token;
}

interface TokenRow {
  id: number;
  user_id: number;
  user_name: string;
  label: string;
  scope: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

function toTokenInfo(r: TokenRow, now: number): ApiTokenInfo {
  const expired = r.expires_at !== null && r.expires_at <= new Date(now).toISOString();
  return {
    id: r.id,
    user: r.user_name,
    label: r.label,
    scope: r.scope === 'read' ? 'read' : 'full',
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    active: r.revoked_at === null && !expired,
  };
}

/** The tokens of one user (by id), or of everyone; newest first. Never the token itself. */
export function listApiTokens(db: AppDb, userId?: number, now = Date.now()): ApiTokenInfo[] {
  const sql =
    'SELECT t.id, t.user_id, u.name AS user_name, t.label, t.scope, t.created_at, t.expires_at, t.last_used_at, t.revoked_at ' +
    'FROM api_tokens t JOIN users u ON u.id = t.user_id' +
    (userId === undefined ? '' : ' WHERE t.user_id = ?') +
    ' ORDER BY t.id DESC';
  const stmt = db.prepare<unknown[], TokenRow>(sql);
  const rows = userId === undefined ? stmt.all() : stmt.all(userId);
  return rows.map((r) => toTokenInfo(r, now));
}

export function getApiToken(db: AppDb, id: number, now = Date.now()): ApiTokenInfo | null {
  const row = db
    .prepare<unknown[], TokenRow>(
      'SELECT t.id, t.user_id, u.name AS user_name, t.label, t.scope, t.created_at, t.expires_at, t.last_used_at, t.revoked_at ' +
        'FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?',
    )
    .get(id);
  return row ? toTokenInfo(row, now) : null;
}

/** Revoke one token (audited). Revoking a revoked one changes nothing and says so. */
export function revokeApiToken(db: AppDb, id: number, actor: string, now = Date.now()): ApiTokenInfo {
  return db.transaction(() => {
    const before = getApiToken(db, id, now);
    if (!before) throw new AuthError('not_found', `no API token with id ${id}`);
    if (before.revokedAt !== null) return before;
    db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(new Date(now).toISOString(), id);
    const after = getApiToken(db, id, now)!;
    appendAudit(db, { actor, entity: 'user', entityId: before.user, action: 'token-revoke', before: { id, label: before.label }, after: { revokedAt: after.revokedAt } });
    return after;
  }).immediate();
}

/** Revoke every active token of a user, inside the caller's transaction; returns how many. */
export function revokeUserTokens(db: AppDb, userId: number, now = Date.now()): number {
  return db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(new Date(now).toISOString(), userId).changes;
}

export interface TokenPrincipal {
  user: User;
  scope: TokenScope;
}

/** Who a bearer token belongs to, and its scope; null when unknown, revoked, expired or the user is disabled. */
export function apiTokenPrincipal(db: AppDb, token: string, now = Date.now()): TokenPrincipal | null {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = prepared<| { id: number; user_id: number; scope: string; expires_at: string | null; revoked_at: string | null; last_used_at: string | null }>(db, 'SELECT id, user_id, scope, expires_at, revoked_at, last_used_at FROM api_tokens WHERE token_hash = ?').get(digest(token));
  const at = new Date(now).toISOString();
  if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= at)) return null;
  if (!row.last_used_at || now - Date.parse(row.last_used_at) >= SEEN_GRANULARITY_MS) {
    // bookkeeping, as a session's last-seen time: skipped while another connection writes
    tryWrite(db, () => prepared(db, 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, row.id));
  }
  const user = getUserById(db, row.user_id);
  return user && !user.disabled ? { user, scope: row.scope === 'read' ? 'read' : 'full' } : null;
}

export function apiTokenUser(db: AppDb, token: string): User | null {
  return apiTokenPrincipal(db, token)?.user ?? null;
}

// ---- sign-in devices ----

export const DEVICE_COOKIE = 'gp_device';
export const DEVICE_TTL_MS = 180 * 86_400_000;

/** A browser that signed in as `userId` gets a device token (kept 180 days). */
export function createSignInDevice(db: AppDb, userId: number, now = Date.now()): string {
  const token = randomBytes(32).toString('base64url');
  const at = new Date(now).toISOString();
  db.prepare('DELETE FROM signin_devices WHERE last_used_at < ?').run(new Date(now - DEVICE_TTL_MS).toISOString());
  db.prepare('INSERT INTO signin_devices (token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)').run(digest(token), userId, at, at);
  return token;
}

/** The device's id (its digest) when `token` is a live device token of the user named `name`. */
export function signInDeviceFor(db: AppDb, token: string | null, name: string, now = Date.now()): string | null {
  if (!token || token.length > 100) return null;
  const hash = digest(token);
  const row = db
    .prepare<unknown[], { last_used_at: string }>('SELECT d.last_used_at FROM signin_devices d JOIN users u ON u.id = d.user_id WHERE d.token_hash = ? AND u.name = ?')
    .get(hash, name);
  if (!row || now - Date.parse(row.last_used_at) > DEVICE_TTL_MS) return null;
  return hash;
}

export function touchSignInDevice(db: AppDb, hash: string, now = Date.now()): void {
  db.prepare('UPDATE signin_devices SET last_used_at = ? WHERE token_hash = ?').run(new Date(now).toISOString(), hash);
}
