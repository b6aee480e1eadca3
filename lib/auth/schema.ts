/**
 * Auth tables in app.db (users, sessions, API tokens, sign-in attempts). Kept beside the
 * app's own migrations with a version table of their own, applied once per database.
 */
import type Database from 'better-sqlite3';

const steps: string[] = [
  `CREATE TABLE users (
     id            INTEGER PRIMARY KEY,
     name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
     role          TEXT NOT NULL CHECK (role IN ('viewer','analyst','lead','admin')),
     password_hash TEXT NOT NULL,
     language      TEXT NOT NULL DEFAULT 'en',
     disabled      INTEGER NOT NULL DEFAULT 0,
     created_at    TEXT NOT NULL,
     updated_at    TEXT NOT NULL
   );
   CREATE TABLE sessions (
     token_hash  TEXT PRIMARY KEY,
     user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     created_at  TEXT NOT NULL,
     expires_at  TEXT NOT NULL
   );
   CREATE INDEX sessions_user ON sessions(user_id);
   CREATE TABLE api_tokens (
     id          INTEGER PRIMARY KEY,
     token_hash  TEXT NOT NULL UNIQUE,
     user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     label       TEXT NOT NULL,
     created_at  TEXT NOT NULL,
     last_used_at TEXT
   );
   CREATE TABLE signin_attempts (
     key         TEXT PRIMARY KEY,
     failures    INTEGER NOT NULL,
     first_at    INTEGER NOT NULL,
     locked_until INTEGER NOT NULL DEFAULT 0
   );`,
  // API tokens get an expiry, a scope and a revocation time (issue 13)
  `ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
   ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('full','read'));
   ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
   CREATE INDEX api_tokens_user ON api_tokens(user_id);
   UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days');`,
  // sessions remember when they were last used (idle timeout); browsers that signed in
  // before carry a device token, so that a stranger's failures do not lock them out
  `ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
   CREATE TABLE signin_devices (
     token_hash   TEXT PRIMARY KEY,
     user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     created_at   TEXT NOT NULL,
     last_used_at TEXT NOT NULL
   );
   CREATE INDEX signin_devices_user ON signin_devices(user_id);`,
];

const applied = new WeakSet<Database.Database>();

export function ensureAuthSchema(db: Database.Database): void {
  if (applied.has(db)) return;
  db.exec('CREATE TABLE IF NOT EXISTS auth_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set(
    (db.prepare('SELECT version FROM auth_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  steps.forEach((sql, i) => {
    const version = i + 1;
    if (done.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO auth_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    }).immediate();
  });
  applied.add(db);
}
