/**
 * The embedded EventSource: EQL over the SQLite store through lib/eql, plus the bounded
 * evidence queries (lineage, children, entity events, logons, prevalence).
 *
 * eqlSearch pre-filters in SQL (concrete indices of the patterns, the time window on the
 * timestamp field with its fallback to @timestamp, the query's event categories), streams
 * rows in (@timestamp, rowid) order, drops exception matches, and runs the compiled query
 * over that stream (presorted, so a head-limited event query stops early). As in
 * Elasticsearch, EQL orders by @timestamp; the timestamp override only places the window.
 */
import type { Statement as SqlStatement } from 'better-sqlite3';
import { parse } from '../../eql/parser';
import { parseDocumentJson } from '../../eql/document';
import { compileQuery, type CompiledQuery } from '../../eql/search';
import type { Statement } from '../../eql/ast';
import { check } from '../../eql/check';
import { EqlError } from '../../eql/errors';
import { compileExceptionItems } from '../exception-match';
import type {
  AuthRequest,
  Bounded,
  EntityEventsRequest,
  EqlSearchRequest,
  EqlSearchResult,
  EventSource,
  ExceptionItem,
  ProcessLookupRequest,
  PrevalenceRequest,
  SourceHealth,
  StoredEvent,
  TimeWindow,
} from '../types';
import { AUTH_CATEGORY_SQL } from './db';
import { fieldValues, getField, toEpochMs, type Doc } from './fields';
import { statementPrefilter } from './prefilter';
import type { EventStore } from './store';

interface DocRow {
  idx: string;
  doc_id: string;
  doc: string;
}

type Param = string | number | null;

function toEvent(r: DocRow): StoredEvent {
  return { _index: r.idx, _id: r.doc_id, _source: JSON.parse(r.doc) as Doc };
}

/** A stored row as the EQL engine reads it: integers beyond 2^53 stay exact (parseDocumentJson). */
function toEngineEvent(r: DocRow): StoredEvent {
  return { _index: r.idx, _id: r.doc_id, _source: parseDocumentJson(r.doc) as Doc };
}

function placeholders(n: number): string {
  return new Array(n).fill('?').join(',');
}

function windowMs(w: TimeWindow | undefined): { from: number; to: number } | null {
  if (!w) return null;
  const from = toEpochMs(w.from);
  const to = toEpochMs(w.to);
  if (from === null || to === null) throw new Error(`invalid time window ${w.from} – ${w.to}`);
  return { from, to };
}

function categorySql(categories: string[] | null | undefined, where: string[], params: Param[]): void {
  if (!categories || categories.length === 0) return;
  where.push(`(${categories.map(() => 'instr(category, ?) > 0').join(' OR ')})`);
  for (const c of categories) params.push(`,${c},`);
}

/**
 * Events matching any item (all entries of the item) are suppressed — by THE exception
 * matcher (lib/events/exception-match), the one the detection run and "close matching
 * alerts" use too.
 */
export function exceptionFilter(items: ExceptionItem[] | undefined): ((doc: Doc) => boolean) | null {
  return compileExceptionItems(items);
}

function isStart(doc: Doc): boolean {
  return fieldValues(doc, 'event.type').includes('start');
}

/**
 * Parse, check and compile the query of a search as eqlSearch runs it (shared with the
 * scan-once detection engine, so both judge events with the same compiled query).
 * Throws EqlError for a query that does not parse or check.
 */
export function compileSearch(req: EqlSearchRequest): { stmt: Statement; compiled: CompiledQuery } {
  const stmt = parse(req.query);
  // as search() in lib/eql: the checker's first diagnostic (no schema: type and
  // field-vs-field errors, bad functions) is an EqlError, before anything runs
  const diagnostic = check(stmt, { source: req.query })[0];
  if (diagnostic) throw new EqlError(diagnostic.code, diagnostic.message, diagnostic.span, req.query);
  // As Elasticsearch (timestamp_field stays @timestamp): the rule's timestamp override only
  // places the window; EQL orders and spans by @timestamp. Rows come in (ts, rowid) order,
  // so the engine need not sort unless a tiebreaker asks it to.
  const compiled = compileQuery(
    stmt,
    {
      size: req.size,
      resultPosition: req.resultPosition ?? 'head',
      timestampField: '@timestamp',
      tiebreakerField: req.tiebreakerField,
      presorted: !req.tiebreakerField,
    },
    req.query,
  );
  return { stmt, compiled };
}

/** The store column that holds a window's time for this timestamp field, or null (judged in JS). */
export function windowColumn(tsField: string, fallback: boolean): 'ts' | 'eff_ts' | 'ingested' | null {
  return tsField === '@timestamp' ? 'ts' : tsField === 'event.ingested' ? (fallback ? 'eff_ts' : 'ingested') : null;
}

class EmbeddedSource implements EventSource {
  readonly kind = 'embedded' as const;
  constructor(private readonly store: EventStore) {}

  get eventStore(): EventStore {
    return this.store;
  }

  private stmt(sql: string): SqlStatement<Param[], DocRow> {
    return this.store.db.prepare<Param[], DocRow>(sql);
  }

  async eqlSearch(req: EqlSearchRequest): Promise<EqlSearchResult> {
    const started = Date.now();
    const { stmt: stmtAst, compiled } = compileSearch(req);
    const tsField = req.timestampField ?? '@timestamp';
    const fallback = req.fallbackToTimestamp ?? true;
    const indices = this.store.resolveIndices(req.index);
    // the column that holds the window's time, when there is one
    const column = windowColumn(tsField, fallback);
    if (indices.length === 0) {
      const empty = compiled.run([]);
      return { hits: empty, took: Date.now() - started, isPartial: false, shardFailures: [] };
    }
    // `+idx`: keep SQLite on the time index, which also gives the (time, rowid) order
    const where: string[] = [`+idx IN (${placeholders(indices.length)})`];
    const params: Param[] = [...indices];
    const win = windowMs(req.window);
    if (win && column) {
      where.push(`${column} BETWEEN ? AND ?`);
      params.push(win.from, win.to);
    }
    categorySql(compiled.categories, where, params);
    const pre = statementPrefilter(stmtAst);
    if (pre) {
      where.push(`(${pre.sql})`);
      params.push(...pre.params);
    }
    const sql = `SELECT idx, doc_id, doc FROM events WHERE ${where.join(' AND ')} ORDER BY ts, rowid`;
    const rows = this.stmt(sql).iterate(...params);
    const excluded = exceptionFilter(req.exceptions);
    const inWindow =
      win && !column
        ? (doc: Doc) => {
            const t = toEpochMs(getField(doc, tsField)) ?? (fallback ? toEpochMs(doc['@timestamp']) : null);
            return t !== null && t >= win.from && t <= win.to;
          }
        : null;
    const signal = req.signal;
    function* events(): Generator<StoredEvent> {
      let n = 0;
      try {
        for (const r of rows) {
          if (signal && (++n & 4095) === 0 && signal.aborted) throw new Error('search aborted');
          const ev = toEngineEvent(r);
          if (inWindow && !inWindow(ev._source)) continue;
          if (excluded && excluded(ev._source)) continue;
          yield ev;
        }
      } finally {
        rows.return?.();
      }
    }
    const hits = compiled.run(events());
    return { hits, took: Date.now() - started, isPartial: false, shardFailures: [] };
  }

  async getEvents(refs: { _index: string; _id: string }[]): Promise<StoredEvent[]> {
    const get = this.stmt('SELECT idx, doc_id, doc FROM events WHERE idx = ? AND doc_id = ?');
    const out: StoredEvent[] = [];
    for (const r of refs) {
      const row = get.get(r._index, r._id);
      if (row) out.push(toEvent(row));
    }
    return out;
  }

  /** The start event of an entity (or any event describing it when no start exists). */
  private describe(entityId: string, host: string | undefined, win: { from: number; to: number } | null): StoredEvent | null {
    const where = ['entity_id = ?'];
    const params: Param[] = [entityId];
    if (host) {
      where.push('host_name = ? COLLATE NOCASE');
      params.push(host);
    }
    if (win) {
      where.push('(ts IS NULL OR ts <= ?)');
      params.push(win.to);
    }
    const rows = this.stmt(
      `SELECT idx, doc_id, doc FROM events WHERE ${where.join(' AND ')} ORDER BY ts, rowid LIMIT 500`,
    ).all(...params);
    let fallback: StoredEvent | null = null;
    for (const r of rows) {
      const ev = toEvent(r);
      const cats = fieldValues(ev._source, 'event.category');
      if (cats.includes('process') && isStart(ev._source)) return ev;
      if (!fallback || (cats.includes('process') && !fieldValues(fallback._source, 'event.category').includes('process'))) {
        fallback = ev;
      }
    }
    return fallback;
  }

  async findProcessesByEntityIds(req: ProcessLookupRequest): Promise<Map<string, StoredEvent>> {
    const win = windowMs(req.window);
    const out = new Map<string, StoredEvent>();
    for (const id of new Set(req.entityIds)) {
      const ev = this.describe(id, req.host, win);
      if (ev) out.set(id, ev);
    }
    return out;
  }

  async childProcesses(req: { parentEntityIds: string[]; window?: TimeWindow; size: number }): Promise<Bounded<StoredEvent>> {
    if (req.parentEntityIds.length === 0) return { items: [], truncated: false };
    const where = [`parent_entity_id IN (${placeholders(req.parentEntityIds.length)})`];
    const params: Param[] = [...req.parentEntityIds];
    categorySql(['process'], where, params);
    this.windowSql(req.window, where, params);
    const items: StoredEvent[] = [];
    let truncated = false;
    for (const r of this.stmt(`SELECT idx, doc_id, doc FROM events WHERE ${where.join(' AND ')} ORDER BY ts, rowid`).iterate(...params)) {
      const ev = toEvent(r);
      if (!isStart(ev._source)) continue;
      if (items.length >= req.size) {
        truncated = true;
        break;
      }
      items.push(ev);
    }
    return { items, truncated };
  }

  private windowSql(w: TimeWindow | undefined, where: string[], params: Param[], column = 'ts'): void {
    const win = windowMs(w);
    if (!win) return;
    where.push(`${column} BETWEEN ? AND ?`);
    params.push(win.from, win.to);
  }

  private bounded(sql: string, params: Param[], size: number): Bounded<StoredEvent> {
    const rows = this.stmt(`${sql} LIMIT ?`).all(...params, size + 1);
    const truncated = rows.length > size;
    return { items: rows.slice(0, size).map(toEvent), truncated };
  }

  async entityEvents(req: EntityEventsRequest): Promise<Bounded<StoredEvent>> {
    if (req.entityIds.length === 0) return { items: [], truncated: false };
    const where = [`entity_id IN (${placeholders(req.entityIds.length)})`];
    const params: Param[] = [...req.entityIds];
    categorySql(req.categories, where, params);
    this.windowSql(req.window, where, params);
    return this.bounded(`SELECT idx, doc_id, doc FROM events WHERE ${where.join(' AND ')} ORDER BY ts, rowid`, params, req.size);
  }

  async authenticationEvents(req: AuthRequest): Promise<Bounded<StoredEvent>> {
    const after = toEpochMs(req.after);
    if (after === null) throw new Error(`invalid time ${req.after}`);
    // "same host": FQDN and short name are the same machine (case-insensitive)
    const short = req.host.split('.')[0];
    const where = [
      'ts >= ?',
      "(lower(host_name) = lower(?) OR lower(host_name) = lower(?) OR lower(host_name) LIKE lower(?) || '.%')",
    ];
    const params: Param[] = [after, req.host, short, short];
    if (req.before) {
      const before = toEpochMs(req.before);
      if (before === null) throw new Error(`invalid time ${req.before}`);
      where.push('ts <= ?');
      params.push(before);
    }
    where.push(AUTH_CATEGORY_SQL); // served by the partial index events_auth_ts
    return this.bounded(`SELECT idx, doc_id, doc FROM events WHERE ${where.join(' AND ')} ORDER BY ts, rowid`, params, req.size);
  }

  async executablePrevalence(req: PrevalenceRequest): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const win = windowMs(req.window);
    const q = this.store.db
      .prepare<Param[], number>(
        `SELECT count(DISTINCT lower(host_name)) FROM events
       WHERE executable = ? COLLATE NOCASE AND host_name IS NOT NULL${win ? ' AND ts BETWEEN ? AND ?' : ''}`,
      )
      .pluck();
    for (const exe of req.executables) out[exe] = (win ? q.get(exe, win.from, win.to) : q.get(exe))!;
    return out;
  }

  async health(): Promise<SourceHealth> {
    try {
      const n = this.store.count();
      const indices = this.store.resolveIndices(['*']).length;
      return { kind: 'embedded', ok: true, detail: `${this.store.file}: ${n} events in ${indices} indices` };
    } catch (e) {
      return { kind: 'embedded', ok: false, detail: `${this.store.file}: ${(e as Error).message}` };
    }
  }
}

export function createEmbeddedSource(store: EventStore): EventSource {
  return new EmbeddedSource(store);
}

/** The store behind an embedded source (null for any other source). */
export function embeddedStoreOf(source: EventSource): EventStore | null {
  return source instanceof EmbeddedSource ? source.eventStore : null;
}
