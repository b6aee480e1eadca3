/**
 * Local accounts: argon2id password hashes, roles, the first start's admin.
 */
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError, type AppErrorOptions } from '../errors';
import { getDb, dataDir, prepared, type AppDb } from '../store/db';
import { appendAudit } from '../store/audit';
import { roleSchema, type Role } from './roles';
import { revokeUserTokens } from './sessions';

export interface User {
  id: number;
  name: string;
  role: Role;
  language: 'en' | 'zh';
  disabled: boolean;
  createdAt: string;
}

interface UserRow {
  id: number;
  name: string;
  role: string;
  password_hash: string;
  language: string;
  disabled: number;
  created_at: string;
}

export const userNameSchema = z
  .string()
  .min(2, 'a user name has at least 2 characters')
  .max(64, 'a user name has at most 64 characters')
  .regex(/^[A-Za-z0-9._@-]+$/, 'a user name uses letters, digits and . _ @ - only');
export const passwordSchema = z.string().min(12, 'a password has at least 12 characters').max(256);

export class AuthError extends AppError {
  declare readonly code: 'invalid_request' | 'conflict' | 'not_found' | 'unauthorized' | 'rate_limited' | 'forbidden';
  constructor(code: AuthError['code'], message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'AuthError';
  }
}


function toUser(r: UserRow): User {
  return {
    id: r.id,
    name: r.name,
    role: roleSchema.parse(r.role),
    language: r.language === 'zh' ? 'zh' : 'en',
    disabled: r.disabled === 1,
    createdAt: r.created_at,
  };
}

// OWASP's argon2id floor (19 MiB, 2 passes); tests may lower it through the env.
const argonOptions = () =>
  process.env.GUIDEPOST_ARGON2_FAST === '1'
    ? { memoryCost: 1024, timeCost: 1 }
    : { memoryCost: 19456, timeCost: 2 };

export async function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions());
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function countUsers(db: AppDb): number {
  return db.prepare<unknown[], { n: number }>('SELECT COUNT(*) AS n FROM users').get()?.n ?? 0;
}

export function listUsers(db: AppDb): User[] {
  return (db.prepare<unknown[], UserRow>('SELECT * FROM users ORDER BY name').all()).map(toUser);
}

/** The names of the people who work alerts: active analysts and leads (the dashboard lists each, busy or not). */
export function alertWorkers(db: AppDb): string[] {
  return db.prepare<unknown[], string>("SELECT name FROM users WHERE disabled = 0 AND role IN ('analyst', 'lead') ORDER BY name").pluck().all();
}

export function getUserByName(db: AppDb, name: string): User | null {
  const r = db.prepare<unknown[], UserRow>('SELECT * FROM users WHERE name = ?').get(name);
  return r ? toUser(r) : null;
}

export function getUserById(db: AppDb, id: number): User | null {
  const r = prepared<UserRow>(db, 'SELECT * FROM users WHERE id = ?').get(id);
  return r ? toUser(r) : null;
}

export async function createUser(db: AppDb, 
  input: { name: string; role: Role; password: string },
  actor: string,
): Promise<User> {
  const name = userNameSchema.parse(input.name);
  const role = roleSchema.parse(input.role);
  const password = passwordSchema.parse(input.password);
  if (getUserByName(db, name)) throw new AuthError('conflict', `user '${name}' already exists`);
  const passwordHash = await hashPassword(password);
  const now = new Date().toISOString();
  const id = db.transaction(() => {
    const res = db
      .prepare('INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(name, role, passwordHash, now, now);
    appendAudit(db, { actor, entity: 'user', entityId: name, action: 'create', before: null, after: { name, role } });
    return Number(res.lastInsertRowid);
  }).immediate();
  const user = getUserById(db, id);
  if (!user) throw new AuthError('not_found', `user '${name}' vanished after creation`);
  return user;
}

export async function setPassword(db: AppDb, name: string, password: string, actor: string): Promise<void> {
  const valid = passwordSchema.parse(password);
  const user = getUserByName(db, name);
  if (!user) throw new AuthError('not_found', `no user '${name}'`);
  const passwordHash = await hashPassword(valid);
  db.transaction(() => {
    db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, new Date().toISOString(), user.id);
    db.prepare('DELETE FROM sessions WHERE user_id = ?').run(user.id);
    const revoked = revokeUserTokens(db, user.id);
    appendAudit(db, { actor, entity: 'user', entityId: name, action: 'password', before: null, after: revoked ? { tokensRevoked: revoked } : null });
  }).immediate();
  forgetInitialAdminPassword(user.name);
}

export const INITIAL_ADMIN_PASSWORD_FILE = 'initial-admin-password.txt';

/**
 * The first admin's password file is removed once it has served: after that account's first
 * successful sign-in or password change.
 */
export function forgetInitialAdminPassword(userName: string): void {
  if (userName.toLowerCase() !== 'admin') return;
  try {
    fs.unlinkSync(path.join(dataDir(), INITIAL_ADMIN_PASSWORD_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') console.error('[auth] could not remove the initial admin password file', err);
  }
}

export function updateUser(db: AppDb, 
  name: string,
  patch: { role?: Role; disabled?: boolean; language?: 'en' | 'zh' },
  actor: string,
): User {
  const before = getUserByName(db, name);
  if (!before) throw new AuthError('not_found', `no user '${name}'`);
  db.transaction(() => {
    db.prepare(
      'UPDATE users SET role = COALESCE(?, role), disabled = COALESCE(?, disabled), language = COALESCE(?, language), updated_at = ? WHERE id = ?',
    ).run(patch.role ?? null, patch.disabled === undefined ? null : patch.disabled ? 1 : 0, patch.language ?? null, new Date().toISOString(), before.id);
    let tokensRevoked = 0;
    if (patch.disabled) {
      db.prepare('DELETE FROM sessions WHERE user_id = ?').run(before.id);
      tokensRevoked = revokeUserTokens(db, before.id);
    }
    const after = getUserById(db, before.id);
    appendAudit(db, { actor, entity: 'user', entityId: name, action: 'update', before, after: tokensRevoked ? { ...after, tokensRevoked } : after });
  }).immediate();
  const user = getUserById(db, before.id);
  if (!user) throw new AuthError('not_found', `no user '${name}'`);
  return user;
}

/** Checks a name and password; returns the user or null (disabled users never sign in). */
export async function checkCredentials(db: AppDb, name: string, password: string): Promise<User | null> {
  const r = db.prepare<unknown[], UserRow>('SELECT * FROM users WHERE name = ?').get(name);
  if (!r) {
    // spend comparable time so that unknown names are not told apart by timing
    await hashPassword(password);
    return null;
  }
  const ok = await verifyPassword(r.password_hash, password);
  if (!ok || r.disabled === 1) return null;
  return toUser(r);
}

/** First start: create `admin` with a random password, printed once and written to the data dir. */
export async function ensureInitialAdmin(log: (line: string) => void = console.log): Promise<string | null> {
  if (countUsers(getDb()) > 0) return null;
  const password = process.env.GUIDEPOST_ADMIN_PASSWORD ?? generatePassword();
  await createUser(getDb(), { name: 'admin', role: 'admin', password }, 'system');
  const file = path.join(dataDir(), INITIAL_ADMIN_PASSWORD_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  log(`guidepost: created user 'admin' with password ${password} (also in ${file}, removed after its first sign-in; change it after signing in)`);
  return password;
}
