/**
 * The embedded event store: SQLite (better-sqlite3), idempotent by (_index, _id).
 * `openEventStore()` opens `<GUIDEPOST_DATA_DIR ?? ./data>/events.db`;
 * `createEmbeddedSource(store)` gives the EventSource over it.
 */
import type { Statement } from 'better-sqlite3';
import type { EventStoreWriter, InsertResult, StoredEvent } from '../types';
import { dropDeferredIndexes, ensureIndexes, eventsDbPath, openDb, openReadOnlyDb, type Db } from './db';
import { fieldValues, firstString, getField, indexMatcher, isRecord, toEpochMs } from './fields';
import { pnameColumn } from './prefilter';
import { startWorkerWriter, type BatchWriter } from './writer';

export { createEmbeddedSource } from './source';
export type { BatchWriter } from './writer';

/** A StoredEvent, optionally with its `_source` already serialised (saves a stringify). */
export interface PreparedEvent extends StoredEvent {
  json?: string;
  /** `@timestamp` in epoch ms when the caller already parsed it (saves a parse) */
  tsMs?: number | null;
}

export interface IndexInfo {
  name: string;
  count: number;
}

export interface EventStore extends EventStoreWriter {
  readonly file: string;
  readonly db: Db;
  /** insert many events in one transaction (idempotent by (_index, _id)) */
  insert(events: PreparedEvent[]): InsertResult;
  /** as `insert`, for rows already built with `toRowValues` */
  insertRows(rows: RowValues[]): InsertResult;
  /**
   * A writer on its own connection in a worker thread (bulk ingest: the caller parses the
   * next batch while the worker writes this one); null for an in-memory store or when the
   * worker cannot start (the caller then writes in its own thread).
   */
  openWorkerWriter(): Promise<BatchWriter | null>;
  /**
   * Starts a bulk load: when the store is empty, its deferred secondary indexes are dropped (true);
   * otherwise nothing happens (false). Always pair with `endBulkLoad()` (in a finally).
   */
  beginBulkLoad(): boolean;
  /** Builds any secondary index a bulk load dropped. */
  endBulkLoad(): void;
  /** every index with its event count */
  listIndices(): IndexInfo[];
  /**
   * One pass over a time range for many rules at once (lib/detection/engine): every row whose
   * @timestamp (`ts`) or effective time (`eff_ts`: event.ingested, else @timestamp) lies in
   * [fromMs, toMs], in (ts, rowid) order — the order eqlSearch feeds the engine — with the
   * columns a rule's window and category tests need. The document is left as JSON text.
   */
  scanWindow(fromMs: number, toMs: number): IterableIterator<ScanRow>;
  /** how many rows `scanWindow` would return (index-only count) */
  countWindow(fromMs: number, toMs: number): number;
  /** concrete index names matching ES-style patterns (missing ones ignored) */
  resolveIndices(patterns: string[]): string[];
  close(): void;
}

export interface OpenEventStoreOptions {
  /** data directory (default GUIDEPOST_DATA_DIR or ./data); the file is <dir>/events.db */
  dataDir?: string;
  /** explicit database file (':memory:' for tests); wins over dataDir */
  file?: string;
  /**
   * Read only (an existing file; nothing migrated or written): a read meeting a lock held by
   * another process fails with SQLITE_BUSY after `busyTimeoutMs` (default 1000) instead of
   * waiting the writers' 5 s.
   */
  readOnly?: boolean;
  busyTimeoutMs?: number;
}

/** A row of `scanWindow`. */
export interface ScanRow {
  idx: string;
  doc_id: string;
  ts: number | null;
  ingested: number | null;
  eff_ts: number | null;
  category: string | null;
  doc: string;
}

const SCAN_WHERE = '(ts BETWEEN ? AND ?) OR (eff_ts BETWEEN ? AND ?)';

export interface EventRow {
  idx: string;
  doc_id: string;
  ts: number | null;
  ingested: number | null;
  eff_ts: number | null;
  stored_at: number;
  category: string | null;
  host_name: string | null;
  entity_id: string | null;
  parent_entity_id: string | null;
  executable: string | null;
  user_name: string | null;
  pname: string | null;
  doc: string;
}

/** A row's column values in the order of INSERT_EVENT_SQL (the key first, the document last). */
export type RowValues = [
  string, string, number | null, number | null, number | null, number, string | null, string | null,
  string | null, string | null, string | null, string | null, string | null, string,
];

/**
 * The two statements of an idempotent write, shared by the in-thread path and the worker:
 * insert the row (all RowValues); when (idx, doc_id) exists, replace its columns
 * (RowValues[2..] then the key, RowValues[0..1]).
 */
export const INSERT_EVENT_SQL = `
  INSERT INTO events (idx, doc_id, ts, ingested, eff_ts, stored_at, category, host_name,
                      entity_id, parent_entity_id, executable, user_name, pname, doc)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (idx, doc_id) DO NOTHING`;
export const REPLACE_EVENT_SQL = `
  UPDATE events SET ts = ?, ingested = ?, eff_ts = ?, stored_at = ?, category = ?,
    host_name = ?, entity_id = ?, parent_entity_id = ?, executable = ?,
    user_name = ?, pname = ?, doc = ?
  WHERE idx = ? AND doc_id = ?`;

/** The columns the store keeps beside the document, by name (for tests). */
export function toRow(e: PreparedEvent, storedAt: number): EventRow {
  const [idx, doc_id, ts, ingested, eff_ts, stored_at, category, host_name, entity_id, parent_entity_id, executable, user_name, pname, doc] =
    toRowValues(e, storedAt);
  return { idx, doc_id, ts, ingested, eff_ts, stored_at, category, host_name, entity_id, parent_entity_id, executable, user_name, pname, doc };
}

/** The columns the store keeps beside the document, in INSERT_EVENT_SQL's order. */
export function toRowValues(e: PreparedEvent, storedAt: number): RowValues {
  const src = e._source;
  const ts = e.tsMs !== undefined ? e.tsMs : toEpochMs(src['@timestamp']);
  const event = isRecord(src.event) ? src.event : null;
  const proc = src.process;
  // the common shape (nested objects) first; dotted keys through the generic lookup
  const p = isRecord(proc) ? proc : null;
  const parent = p && isRecord(p.parent) ? p.parent : null;
  const host = isRecord(src.host) ? src.host : null;
  const user = isRecord(src.user) ? src.user : null;
  // without a dotted key in the objects along these paths, a field missing from the nested
  // objects is missing: the generic lookup (most of this function's time) can be skipped
  // (an array where an object is expected — `process: [{name}, …]` — is read generically too)
  const dotted =
    hasDottedKey(src) || hasDottedKey(event) || hasDottedKey(p) || hasDottedKey(parent) || hasDottedKey(host) || hasDottedKey(user) ||
    Array.isArray(src.event) || Array.isArray(proc) || (p !== null && Array.isArray(p.parent)) || Array.isArray(src.host) || Array.isArray(src.user);
  const ingestedRaw = event && event.ingested !== undefined ? event.ingested : dotted ? fieldValues(src, 'event.ingested')[0] : undefined;
  const ingested = toEpochMs(ingestedRaw);
  const rawCats = nested(src, dotted, event ? event.category : undefined, 'event.category');
  const cats = typeof rawCats === 'string' ? [rawCats] : fieldValues({ c: rawCats }, 'c');
  return [
    e._index,
    e._id,
    ts,
    ingested,
    ingested ?? ts,
    storedAt,
    cats.length === 0 ? null : cats.length === 1 ? `,${cats[0]},` : `,${cats.join(',')},`,
    str(src, dotted, host?.name, 'host.name'),
    str(src, dotted, p?.entity_id, 'process.entity_id'),
    str(src, dotted, parent?.entity_id, 'process.parent.entity_id'),
    str(src, dotted, p?.executable, 'process.executable'),
    str(src, dotted, user?.name, 'user.name'),
    pnameColumn(nested(src, dotted, p ? p.name : undefined, 'process.name')),
    e.json ?? JSON.stringify(src),
  ];
}

/**
 * The nested value when no dotted key or array is on the way; otherwise the document reader's
 * (lib/eql/document: every split of the path, so `{process: {name}, "process.name"}` gives both).
 */
function nested(src: PreparedEvent['_source'], dotted: boolean, v: unknown, path: string): unknown {
  return dotted ? getField(src, path) : v;
}

/** As `nested`, as the column's string (first value of a list, numbers stringified). */
function str(src: PreparedEvent['_source'], dotted: boolean, v: unknown, path: string): string | null {
  if (dotted) return firstString(src, path);
  return scalar(v) ?? (v === undefined ? null : firstString(src, path));
}

function hasDottedKey(o: Record<string, unknown> | null): boolean {
  if (o === null) return false;
  for (const k in o) if (k.includes('.')) return true;
  return false;
}

function scalar(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

class SqliteEventStore implements EventStore {
  readonly file: string;
  readonly db: Db;
  private statements: { insertNew: Statement<[RowValues]>; replace: Statement<[(string | number | null)[], string, string]> } | null = null;

  constructor(file: string, readOnly?: { busyTimeoutMs: number }) {
    this.file = file;
    this.db = readOnly ? openReadOnlyDb(file, readOnly.busyTimeoutMs) : openDb(file);
  }

  /** prepared on first write (a read-only store never prepares them: preparing reads the schema) */
  private writeStatements() {
    this.statements ??= {
      insertNew: this.db.prepare<[RowValues]>(INSERT_EVENT_SQL),
      replace: this.db.prepare<[(string | number | null)[], string, string]>(REPLACE_EVENT_SQL),
    };
    return this.statements;
  }

  insert(events: PreparedEvent[]): InsertResult {
    const now = Date.now();
    return this.insertRows(events.map((e) => toRowValues(e, now)));
  }

  insertRows(rows: RowValues[]): InsertResult {
    if (rows.length === 0) return { stored: 0, replaced: 0 };
    const { insertNew, replace } = this.writeStatements();
    return this.db.transaction((): InsertResult => {
      let stored = 0;
      for (const v of rows) {
        if (insertNew.run(v).changes === 1) stored++;
        else replace.run(v.slice(2), v[0], v[1]); // SET columns…, then the key
      }
      return { stored, replaced: rows.length - stored };
    })();
  }

  openWorkerWriter(): Promise<BatchWriter | null> {
    if (this.file === ':memory:' || this.file === '') return Promise.resolve(null);
    return startWorkerWriter(this.file, { insert: INSERT_EVENT_SQL, replace: REPLACE_EVENT_SQL });
  }

  beginBulkLoad(): boolean {
    if (this.db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined) return false;
    dropDeferredIndexes(this.db);
    return true;
  }

  endBulkLoad(): void {
    ensureIndexes(this.db);
  }

  clear(indexPatterns?: string[]): number {
    if (!indexPatterns) return this.db.prepare('DELETE FROM events').run().changes;
    const names = this.resolveIndices(indexPatterns);
    if (names.length === 0) return 0;
    const del = this.db.prepare('DELETE FROM events WHERE idx = ?');
    return this.db.transaction(() => names.reduce((n, name) => n + del.run(name).changes, 0))();
  }

  count(): number {
    return this.db.prepare<[], number>('SELECT count(*) FROM events').pluck().get()!;
  }

  /** distinct index names by skip-scan over the (idx, doc_id) index */
  private indexNames(): string[] {
    const rows = this.db
      .prepare<unknown[], { i: string }>(
        `WITH RECURSIVE t(i) AS (
           SELECT min(idx) FROM events
           UNION ALL SELECT (SELECT min(idx) FROM events WHERE idx > t.i) FROM t WHERE t.i IS NOT NULL)
         SELECT i FROM t WHERE i IS NOT NULL`,
      )
      .all();
    return rows.map((r) => r.i);
  }

  listIndices(): IndexInfo[] {
    const count = this.db.prepare<[string], number>('SELECT count(*) FROM events WHERE idx = ?').pluck();
    return this.indexNames().map((name) => ({ name, count: count.get(name)! }));
  }

  resolveIndices(patterns: string[]): string[] {
    const match = indexMatcher(patterns);
    return this.indexNames().filter(match);
  }

  scanWindow(fromMs: number, toMs: number): IterableIterator<ScanRow> {
    // rows by @timestamp come in index order (no sort of the documents); the few whose
    // effective time alone is in range (late event.ingested, no @timestamp) are sorted apart
    // and merged in: they sort before the range (null or earlier ts) or after it
    const cols = 'idx, doc_id, ts, ingested, eff_ts, category, doc';
    const byTs = this.db.prepare<[number, number], ScanRow>(`SELECT ${cols} FROM events WHERE ts BETWEEN ? AND ? ORDER BY ts, rowid`);
    const byEff = this.db.prepare<[number, number, number, number], ScanRow>(
      `SELECT ${cols} FROM events WHERE eff_ts BETWEEN ? AND ? AND (ts IS NULL OR ts < ? OR ts > ?) ORDER BY ts, rowid`,
    );
    const extra = byEff.all(fromMs, toMs, fromMs, toMs);
    function* merged(): Generator<ScanRow> {
      let i = 0;
      while (i < extra.length && (extra[i]!.ts === null || extra[i]!.ts! < fromMs)) yield extra[i++]!;
      yield* byTs.iterate(fromMs, toMs);
      while (i < extra.length) yield extra[i++]!;
    }
    return merged();
  }

  countWindow(fromMs: number, toMs: number): number {
    return this.db.prepare<[number, number, number, number], number>(`SELECT count(*) FROM events WHERE ${SCAN_WHERE}`).pluck().get(fromMs, toMs, fromMs, toMs)!;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function openEventStore(opts: OpenEventStoreOptions = {}): EventStore {
  const file = opts.file ?? eventsDbPath(opts.dataDir);
  return opts.readOnly ? new SqliteEventStore(file, { busyTimeoutMs: opts.busyTimeoutMs ?? 1000 }) : new SqliteEventStore(file);
}

let shared: EventStore | undefined;
/** The process-wide store over the default data directory, opened on first use. */
export function getEventStore(): EventStore {
  if (!shared || !shared.db.open) shared = openEventStore();
  return shared;
}
