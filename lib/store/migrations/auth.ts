/**
 * app.db migrations of the auth tables (users, sessions, API tokens, sign-in attempts and
 * devices), versions 39–42. They were applied lazily by lib/auth with a version table of their
 * own (`auth_migrations`, versions 1–3); a database that has that table is taken over by
 * `adoptAuthMigrations` (its versions recorded as 39–41, its table dropped), so its users,
 * sessions and tokens are kept as they are. Never edit one that has shipped: add the next one.
 */
import type Database from 'better-sqlite3';
import type { Migration } from '../migrations';

export const authMigrations: Migration[] = [
  {
    version: 39,
    name: 'auth tables',
    sql: `
CREATE TABLE users (
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
);
`,
  },
  {
    version: 40,
    name: 'api token expiry, scope and revocation',
    // tokens made before expiries existed get 90 days from the upgrade (issue 13)
    sql: `
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('full','read'));
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days');
`,
  },
  {
    version: 41,
    name: 'session idle time and sign-in devices',
    // sessions remember when they were last used (idle timeout); browsers that signed in
    // before carry a device token, so that a stranger's failures do not lock them out
    sql: `
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
CREATE TABLE signin_devices (
  token_hash   TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   TEXT NOT NULL,
  last_used_at TEXT NOT NULL
);
CREATE INDEX signin_devices_user ON signin_devices(user_id);
`,
  },
];

/** `auth_migrations` version → the app.db migration that is the same step. */
const LEGACY_AUTH_VERSIONS: ReadonlyMap<number, number> = new Map([
  [1, 39],
  [2, 40],
  [3, 41],
]);

/**
 * A database whose auth tables were made by lib/auth's own migrations: record those steps as
 * the app.db migrations they became and drop the old version table, in one transaction. The
 * tables and their rows are not touched. Returns how many steps were taken over.
 */
export function adoptAuthMigrations(db: Database.Database): number {
  const legacy = db.prepare<unknown[], number>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'auth_migrations'").pluck().get();
  if (legacy === 0) return 0;
  return db
    .transaction(() => {
      const versions = db.prepare<unknown[], number>('SELECT version FROM auth_migrations ORDER BY version').pluck().all();
      const record = db.prepare('INSERT OR IGNORE INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
      const now = new Date().toISOString();
      let adopted = 0;
      for (const v of versions) {
        const version = LEGACY_AUTH_VERSIONS.get(v);
        const m = authMigrations.find((a) => a.version === version);
        if (!m) throw new Error(`app.db: auth_migrations has version ${v}, which this build does not know; refusing to guess its schema`);
        adopted += record.run(m.version, m.name, now).changes;
      }
      db.exec('DROP TABLE auth_migrations');
      return adopted;
    })
    .immediate();
}
