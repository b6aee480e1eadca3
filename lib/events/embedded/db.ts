/**
 * The embedded event store's SQLite file: `<GUIDEPOST_DATA_DIR ?? ./data>/events.db`.
 * Opened lazily (never at module load: Next imports route modules at build time),
 * WAL mode, numbered migrations recorded in `schema_migrations`.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;

export function defaultDataDir(): string {
  return process.env.GUIDEPOST_DATA_DIR ?? path.resolve(process.cwd(), 'data');
}

export function eventsDbPath(dataDir?: string): string {
  return path.join(dataDir ?? defaultDataDir(), 'events.db');
}

interface Migration {
  id: number;
  name: string;
  sql: string;
}

/**
 * events: one row per stored document, unique by (idx, doc_id).
 *  - ts: `@timestamp` in epoch ms (nullable); ingested: `event.ingested` in epoch ms (nullable)
 *  - eff_ts: COALESCE(ingested, ts) — the window of rules whose timestamp_override is
 *    event.ingested, with the fallback to @timestamp
 *  - stored_at: this store's own ingest time (never written into the document)
 *  - category: event.category values as ",a,b," (multi-valued) for prefiltering
 */
const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'events',
    sql: `
CREATE TABLE events (
  rowid INTEGER PRIMARY KEY,
  idx TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  ts INTEGER,
  ingested INTEGER,
  eff_ts INTEGER,
  stored_at INTEGER NOT NULL,
  category TEXT,
  host_name TEXT,
  entity_id TEXT,
  parent_entity_id TEXT,
  executable TEXT,
  user_name TEXT,
  doc TEXT NOT NULL
);
CREATE UNIQUE INDEX events_idx_id ON events(idx, doc_id);
CREATE INDEX events_ts ON events(ts);
CREATE INDEX events_eff_ts ON events(eff_ts);
CREATE INDEX events_entity ON events(entity_id) WHERE entity_id IS NOT NULL;
CREATE INDEX events_parent ON events(parent_entity_id) WHERE parent_entity_id IS NOT NULL;
CREATE INDEX events_host_ts ON events(host_name, ts) WHERE host_name IS NOT NULL;
CREATE INDEX events_exe ON events(executable COLLATE NOCASE) WHERE executable IS NOT NULL;
`,
  },
  {
    id: 2,
    name: 'events.pname',
    // process.name folded to ASCII lower case (as EQL's `:` folds), for SQL pre-filters of
    // queries that test it; MULTI_MARKER ('*', which no file name holds) when the field is there but not one string.
    sql: `
ALTER TABLE events ADD COLUMN pname TEXT;
UPDATE events SET pname = CASE json_type(doc, '$.process.name')
  WHEN 'text' THEN lower(json_extract(doc, '$.process.name'))
  WHEN 'null' THEN NULL
  WHEN NULL THEN NULL
  ELSE '*' END;
CREATE INDEX events_pname ON events(pname, eff_ts) WHERE pname IS NOT NULL;
`,
  },
  {
    id: 3,
    name: 'drop events_host_ts',
    // host look-ups fold case and FQDNs, which this index never served; one index less to write
    sql: `DROP INDEX IF EXISTS events_host_ts;`,
  },
];

/** The condition of the partial index of authentication events; a query must state it word for word to use it. */
export const AUTH_CATEGORY_SQL = "instr(category, ',authentication,') > 0";

/**
 * The secondary indexes the migrations leave (all but the unique (idx, doc_id) one, which
 * idempotent inserts need). A bulk load into an empty store drops those marked `deferred`
 * and builds them at the end — one sort each instead of a random B-tree insert per row;
 * `ensureIndexes` at every open repairs a load that was interrupted in between. The others
 * stay during the load: their keys (times, a few process names and executables) mostly
 * arrive in order or at a few hot spots, so keeping them costs the writer little, while
 * building them afterwards would add a full table scan and sort each to the load's end.
 */
export const SECONDARY_INDEXES: readonly { name: string; sql: string; deferred: boolean }[] = [
  { name: 'events_ts', sql: 'CREATE INDEX IF NOT EXISTS events_ts ON events(ts)', deferred: false },
  { name: 'events_eff_ts', sql: 'CREATE INDEX IF NOT EXISTS events_eff_ts ON events(eff_ts)', deferred: false },
  // entity ids are random strings: one sort at the end beats a random insert per row
  { name: 'events_entity', sql: 'CREATE INDEX IF NOT EXISTS events_entity ON events(entity_id) WHERE entity_id IS NOT NULL', deferred: true },
  { name: 'events_parent', sql: 'CREATE INDEX IF NOT EXISTS events_parent ON events(parent_entity_id) WHERE parent_entity_id IS NOT NULL', deferred: true },
  { name: 'events_exe', sql: 'CREATE INDEX IF NOT EXISTS events_exe ON events(executable COLLATE NOCASE) WHERE executable IS NOT NULL', deferred: false },
  { name: 'events_pname', sql: 'CREATE INDEX IF NOT EXISTS events_pname ON events(pname, eff_ts) WHERE pname IS NOT NULL', deferred: false },
  // authentication events only (a small share of all events): logons on a host after a time
  { name: 'events_auth_ts', sql: `CREATE INDEX IF NOT EXISTS events_auth_ts ON events(ts) WHERE ${AUTH_CATEGORY_SQL}`, deferred: false },
];

/** Creates any missing secondary index (a no-op when all exist). */
export function ensureIndexes(db: Db): void {
  const have = new Set(
    (db.prepare<unknown[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").all()).map((r) => r.name),
  );
  const missing = SECONDARY_INDEXES.filter((i) => !have.has(i.name));
  if (missing.length === 0) return;
  db.transaction(() => {
    for (const i of missing) db.exec(i.sql);
  })();
}

/** Drops the deferred secondary indexes (bulk load into an empty store; `ensureIndexes` brings them back). */
export function dropDeferredIndexes(db: Db): void {
  db.transaction(() => {
    for (const i of SECONDARY_INDEXES) if (i.deferred) db.exec(`DROP INDEX IF EXISTS ${i.name}`);
  })();
}

/** Column value for a field that is present but not a single string. */
export const MULTI_MARKER = '*';

export function migrate(db: Db): void {
  // reads first: opening a store that is up to date writes nothing, so it never waits for a
  // write lock another process holds (a CLI ingest's transaction)
  const known = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  if (!known) {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  }
  const applied = new Set(
    (db.prepare<unknown[], { id: number }>('SELECT id FROM schema_migrations').all()).map((r) => r.id),
  );
  for (const m of MIGRATIONS) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        m.id,
        m.name,
        new Date().toISOString(),
      );
    })();
  }
}

/** Page size of a store created from now on (SQLite fixes it when the file is created). */
export const NEW_STORE_PAGE_SIZE = 16384;

/** Settings of every connection to an events database (the ingest worker's too). */
export const CONNECTION_PRAGMAS: readonly string[] = [
  'synchronous = NORMAL',
  'temp_store = MEMORY',
  'cache_size = -262144', // up to 256 MiB of pages: the id and entity indexes take random writes
  'busy_timeout = 5000',
];

/**
 * Opens an existing events database for reading only (the evidence workers): no migration,
 * no index repair, nothing written, so opening never waits for a lock. A read finding the
 * file locked by another process waits at most `busyTimeoutMs`, then fails with SQLITE_BUSY.
 */
export function openReadOnlyDb(file: string, busyTimeoutMs: number): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 2147483648');
  return db;
}

/** Opens (creating if needed) and migrates an events database file. ':memory:' works too. */
export function openDb(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const fresh = file === ':memory:' || !fs.existsSync(file) || fs.statSync(file).size === 0;
  const db = new Database(file);
  // a new store gets 16 KiB pages (a store created earlier keeps its 4 KiB ones): a bulk
  // load writes about a quarter less, and the 7 index builds run faster
  if (fresh) db.pragma(`page_size = ${NEW_STORE_PAGE_SIZE}`);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  for (const p of CONNECTION_PRAGMAS) db.pragma(p);
  if (file !== ':memory:') db.pragma('mmap_size = 2147483648');
  migrate(db);
  ensureIndexes(db);
  return db;
}
