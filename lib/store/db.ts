/**
 * The app-state database (`<GUIDEPOST_DATA_DIR>/app.db`): alerts, rule runs, rule state,
 * checklist state, notes, exceptions, audit. Opened lazily (never at import time, so that
 * `next build` can import route modules), WAL journal, numbered migrations.
 *
 * Every read and write goes through the repository modules next to this file; each takes the
 * handle first (`getDb()`, a snapshot or a transaction's) and types its rows with
 * `db.prepare<Params, Row>()`. Tests swap in an in-memory database with `useMemoryDb()`.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations';

export type AppDb = Database.Database;

let current: AppDb | undefined;

/** the data directory (`GUIDEPOST_DATA_DIR`, default `./data`) */
export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.GUIDEPOST_DATA_DIR ?? './data');
}

/** Open (creating and migrating when needed) an app database at `file`, or `:memory:`. */
export function openAppDb(file: string): AppDb {
  // the data directory is the owner's alone (0700), the database files too (0600): they hold
  // password hashes, token digests and the alerts
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ file)), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  if (file !== ':memory:') restrictDbFiles(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // a 32 MiB page cache (default 2 MiB) keeps the queue's and the dashboard's index pages.
  // No mmap: with another connection writing (the scheduler, the CLI), every read after a
  // change cost ~15 ms more with mmap_size set (measured on the API bench's database).
  db.pragma('cache_size = -32000');
  migrate(db);
  return db;
}

/** chmod 0600 the database file and its WAL/SHM companions (those that exist). */
function restrictDbFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch {
      // not there (yet): SQLite creates the companions with the main file's mode
    }
  }
}

/** The process-wide app database, opened on first use. */
export function getDb(): AppDb {
  if (!current || !current.open) current = openAppDb(path.join(dataDir(), 'app.db'));
  return current;
}

/** Replace the process-wide database (tests; a restart simulation). Returns it. */
export function setDb(db: AppDb): AppDb {
  current = db;
  return db;
}

/** Tests: a fresh, migrated in-memory database becomes the process-wide one. */
export function useMemoryDb(): AppDb {
  return setDb(openAppDb(':memory:'));
}

/**
 * A read-only view of `db` that stays as it is while it is open (its own connection and read
 * transaction: WAL keeps that snapshot however others write meanwhile), for reads spread over
 * many event-loop turns, such as a streamed export. `close()` ends it. An in-memory database
 * cannot be opened twice, so there it is `db` itself, unfrozen (tests only).
 */
export function openSnapshot(db: AppDb): { db: AppDb; close(): void } {
  if (db.memory) return { db, close: () => undefined };
  const view = new Database(db.name, { readonly: true, fileMustExist: true });
  view.pragma('busy_timeout = 5000');
  view.exec('BEGIN');
  // the snapshot is taken at a transaction's first read
  view.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  return {
    db: view,
    close: () => {
      if (view.open) view.close();
    },
  };
}

/** Close the process-wide database (SIGTERM cleanup). */
export function closeDb(): void {
  if (current?.open) current.close();
  current = undefined;
}

/**
 * `db.prepare(sql)`, kept per connection and SQL text, for the statements that run on every
 * request (session lookups, queue pages, cache versions): compiling them each time cost more
 * than running them. A connection keeps at most 200; past that its set starts afresh.
 */
export function prepared<Row = unknown>(db: AppDb, sql: string): Database.Statement<unknown[], Row> {
  let byText = statementCache.get(db);
  if (!byText) statementCache.set(db, (byText = new Map()));
  let stmt = byText.get(sql);
  if (!stmt) {
    if (byText.size >= MAX_PREPARED) byText.clear();
    byText.set(sql, (stmt = db.prepare(sql)));
  }
  // one cache holds statements of every row type: the SQL text decides the row, as in `prepare<[], Row>`
  return stmt as Database.Statement<unknown[], Row>;
}
const statementCache = new WeakMap<AppDb, Map<string, Database.Statement>>();
const MAX_PREPARED = 200;

/** how long a bookkeeping write waits for another connection's write lock (`tryWrite`) */
export const TRY_WRITE_BUSY_MS = 50;

/**
 * Run `write` (statements or an IMMEDIATE transaction on `db`) waiting at most
 * TRY_WRITE_BUSY_MS for the write lock instead of the connection's 5 s; false when another
 * connection (the detection worker's grouping, a CLI) held it that long: nothing was written.
 * For the web thread's bookkeeping (a session's last-seen time, an ingest job's progress),
 * which better-sqlite3 runs synchronously: a 5 s wait there stalls every request.
 *
 * The connection's busy timeout is lowered around the call and put back afterwards. That is
 * exact with better-sqlite3: the handle is used by this thread only and the call is synchronous,
 * so no other statement runs on it meanwhile. Under WAL only another writer makes a write
 * busy (readers never do), and an autocommit statement or a BEGIN IMMEDIATE asks for the lock
 * before it changes anything, so a busy write left nothing behind. Inside a transaction
 * already open on `db` (its caller chose how to wait), `write` runs as it is.
 */
export function tryWrite(db: AppDb, write: () => void): boolean {
  if (db.inTransaction) {
    write();
    return true;
  }
  const before = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma(`busy_timeout = ${TRY_WRITE_BUSY_MS}`);
  try {
    write();
    return true;
  } catch (err) {
    if (err instanceof Database.SqliteError && err.code.startsWith('SQLITE_BUSY')) return false;
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${before}`);
  }
}

/** Run `fn` in one IMMEDIATE transaction on the current database. */
export function inTransaction<T>(fn: (db: AppDb) => T): T {
  const db = getDb();
  return db.transaction(() => fn(db)).immediate();
}
