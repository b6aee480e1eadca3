import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { migrate, migrations } from '@/lib/store/migrations';

/**
 * The auth tables as builds before issue 16 made them: lib/auth applied these steps lazily,
 * with a version table of its own (written out here as they shipped, not taken from the code).
 */
const OLD_AUTH_STEPS = [
  `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
     role TEXT NOT NULL CHECK (role IN ('viewer','analyst','lead','admin')), password_hash TEXT NOT NULL,
     language TEXT NOT NULL DEFAULT 'en', disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
   CREATE INDEX sessions_user ON sessions(user_id);
   CREATE TABLE api_tokens (id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     label TEXT NOT NULL, created_at TEXT NOT NULL, last_used_at TEXT);
   CREATE TABLE signin_attempts (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_at INTEGER NOT NULL, locked_until INTEGER NOT NULL DEFAULT 0);`,
  `ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
   ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('full','read'));
   ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
   CREATE INDEX api_tokens_user ON api_tokens(user_id);
   UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days');`,
  `ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
   CREATE TABLE signin_devices (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     created_at TEXT NOT NULL, last_used_at TEXT NOT NULL);
   CREATE INDEX signin_devices_user ON signin_devices(user_id);`,
];
const AUTH_VERSIONS = [39, 40, 41];
/** the migrations after the auth ones (other areas' later work): an old database gets them too */
const LATER = migrations.filter((m) => m.version > 41).length;

/** An app.db as an old build left it: the store's migrations below 39, then `authSteps` of the old auth path. */
function oldDatabase(authSteps: number): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const m of migrations.filter((x) => x.version < 39)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00Z');
    db.pragma(`user_version = ${m.version}`);
  }
  db.exec('CREATE TABLE auth_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (let i = 0; i < authSteps; i++) {
    db.exec(OLD_AUTH_STEPS[i]!);
    db.prepare('INSERT INTO auth_migrations VALUES (?, ?)').run(i + 1, '2026-01-01T00:00:00Z');
  }
  const at = '2026-02-01T00:00:00.000Z';
  db.prepare("INSERT INTO users (id, name, role, password_hash, created_at, updated_at) VALUES (7, 'ana', 'lead', '$argon2id$x', ?, ?)").run(at, at);
  db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, 7, ?, ?)').run('s-hash', at, '2026-03-01T00:00:00.000Z');
  db.prepare("INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ('t-hash', 7, 'ci', ?)").run(at);
  return db;
}

const columns = (db: Database.Database, table: string) => (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).sort();
const tableExists = (db: Database.Database, name: string) => db.prepare('SELECT count(*) FROM sqlite_master WHERE name = ?').pluck().get(name) === 1;

test('a fresh database gets the auth tables from the one migration sequence (39–41), with no version table of their own', () => {
  const db = new Database(':memory:');
  migrate(db);
  expect(tableExists(db, 'auth_migrations')).toBe(false);
  expect(columns(db, 'sessions')).toEqual(['created_at', 'expires_at', 'last_seen_at', 'token_hash', 'user_id']);
  expect(columns(db, 'api_tokens')).toContain('scope');
  expect(tableExists(db, 'signin_devices')).toBe(true);
  expect(db.prepare('SELECT version FROM schema_migrations WHERE version BETWEEN 39 AND 41 ORDER BY version').pluck().all()).toEqual(AUTH_VERSIONS);
});

test('a database with every old auth step upgrades without loss: its steps are recorded as 39–41, its users, sessions and tokens kept', () => {
  const db = oldDatabase(3);
  const before = columns(db, 'api_tokens');
  expect(migrate(db)).toBe(LATER);
  expect(tableExists(db, 'auth_migrations')).toBe(false);
  expect(db.prepare('SELECT version FROM schema_migrations WHERE version BETWEEN 39 AND 41 ORDER BY version').pluck().all()).toEqual(AUTH_VERSIONS);
  expect(db.prepare('SELECT id, name, role, password_hash FROM users').all()).toEqual([{ id: 7, name: 'ana', role: 'lead', password_hash: '$argon2id$x' }]);
  expect(db.prepare('SELECT token_hash, user_id FROM sessions').all()).toEqual([{ token_hash: 's-hash', user_id: 7 }]);
  expect(db.prepare('SELECT token_hash, label FROM api_tokens').all()).toEqual([{ token_hash: 't-hash', label: 'ci' }]);
  expect(columns(db, 'api_tokens')).toEqual(before);
  expect(migrate(db)).toBe(0);
});

test('a database with only the first two old auth steps gets the third as migration 41, keeping its rows', () => {
  const db = oldDatabase(2);
  expect(columns(db, 'sessions')).not.toContain('last_seen_at');
  expect(migrate(db)).toBe(1 + LATER);
  expect(columns(db, 'sessions')).toContain('last_seen_at');
  expect(tableExists(db, 'signin_devices')).toBe(true);
  expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
  expect(db.prepare("SELECT name FROM schema_migrations WHERE version = 41").pluck().get()).toBe('session idle time and sign-in devices');
});

test('an auth version this build does not know is refused, not guessed', () => {
  const db = oldDatabase(3);
  db.prepare('INSERT INTO auth_migrations VALUES (4, ?)').run('2026-01-01T00:00:00Z');
  expect(() => migrate(db)).toThrow(/auth_migrations has version 4/);
  expect(tableExists(db, 'auth_migrations')).toBe(true);
});
