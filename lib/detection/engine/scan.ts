/**
 * The scan-once engine for the embedded store. A `ScanCycle` is an EventSource for one
 * detection cycle: `prepare()` reads the cycle's time range from the store ONCE (one SQL
 * pass in (@timestamp, rowid) order), decodes each event once, and hands it only to the
 * rules that can match it — the rule's index patterns, the event category and the literal
 * conditions its query requires (./requirements.ts) — and each search keeps only the events
 * its query's own filter passes (so a 2-hour window holds its matches, not every event it
 * saw; a filter that throws sends the search to the store). A rule's run then asks `eqlSearch` as
 * it asks the store's own source, and is answered from its candidate events: window on the
 * rule's timestamp field (event.ingested, else @timestamp), exceptions, then the compiled
 * query — the same query, over the same events in the same order minus events no filter
 * of the query can pass, so the answer is the per-rule answer (tests/detection/
 * engine-differential.test.ts proves it for the whole rule set).
 *
 * Sequences: as in Elastic's detection engine, where a rule execution is one EQL search
 * filtered to its window (elastic/kibana@0f79a0f2, x-pack/solutions/security/plugins/
 * security_solution/server/lib/detection_engine/rule_types/eql/build_eql_search_request.ts
 * lines 65-71: the range filter on from..to is the search's filter), a sequence is found
 * when all its events lie in one window; no state is carried from one window to the next.
 * The 9-minute look-back over a 5-minute interval lets a sequence that straddles two
 * cycles be found whole in the later one.
 *
 * A search whose index patterns match no stored index is answered with no events (as the
 * store answers it) and does not widen the range read.
 *
 * Anything the cycle cannot answer exactly (a window outside the scanned range, a
 * timestamp field other than @timestamp/event.ingested, no @timestamp fallback, a query that
 * fails to compile) goes to the store's own per-rule search.
 */
import type { Statement } from '../../eql/ast';
import type { CompiledQuery } from '../../eql/search';
import type { EqlEvent } from '../../eql/types';
import { parseDocumentJson } from '../../eql/document';
import { foldAscii } from '../../eql/values';
import { compileSearch, exceptionFilter } from '../../events/embedded/source';
import type { EventStore } from '../../events/embedded/store';
import { indexMatcher, toEpochMs } from '../../events/embedded/fields';
import type { EqlSearchRequest, EqlSearchResult, EventSource, TimeWindow } from '../../events/types';
import { compileCondition, mayHold, routesOf, type ConditionTest } from './requirements';

/** fields common to most events of a category: a poor key for the dispatch table */
const BROAD_FIELDS = new Set(['host.os.type', 'event.type', 'event.outcome', 'event.kind', 'agent.type', 'host.os.family', 'host.os.name', 'host.os.platform', 'event.dataset', 'event.module', 'data_stream.dataset']);

interface Candidate {
  event: EqlEvent;
  ts: number | null;
  eff: number | null;
}

/** One distinct search (query, index patterns, timestamp field): the rules that share it share its candidates. */
interface Plan {
  key: string;
  req: EqlSearchRequest;
  stmt: Statement;
  compiled: CompiledQuery;
  /** 'ts' or 'eff_ts': the column the window applies to */
  column: 'ts' | 'eff_ts';
  indices: Set<string>;
  /** the union of the windows registered for it, on `column` */
  from: number;
  to: number;
  candidates: Candidate[];
  /** its routes, ready for the dispatch tables */
  routes: PreparedRoute[];
  /** scan sequence number of the last event handed to this plan (one push per event) */
  last: number;
  /** the query's filter threw on an event: the search goes to the store (which reports the error) */
  failed: boolean;
}

interface PreparedRoute {
  category: string | null;
  /** the condition the dispatch table is keyed on (null: none) */
  key: { field: string; values: Set<string> } | null;
  rest: ConditionTest[];
}

/** A route with its key (the narrowest value condition, broad fields last) and the other tests. */
function prepareRoutes(stmt: Statement): PreparedRoute[] {
  return routesOf(stmt).map((route) => {
    const valued = route.conditions.filter((c) => c.values !== null);
    valued.sort((a, b) => Number(BROAD_FIELDS.has(a.field)) - Number(BROAD_FIELDS.has(b.field)) || a.values!.size - b.values!.size);
    const key = valued[0];
    return {
      category: route.category,
      key: key ? { field: key.field, values: key.values! } : null,
      rest: route.conditions.filter((c) => c !== key).map(compileCondition),
    };
  });
}

interface Alt {
  plan: Plan;
  rest: ConditionTest[];
}

interface KeyGroup {
  field: string;
  get: ConditionTest['get'];
  byValue: Map<string, Alt[]>;
  all: Alt[];
}

interface Group {
  keyed: KeyGroup[];
  unkeyed: Alt[];
}

interface Dispatch {
  byCategory: Map<string, Group>;
  any: Group;
  /** the distinct windows of its searches: a row in none of them is not decoded */
  spans: { column: 'ts' | 'eff_ts'; from: number; to: number }[];
}

export interface ScanStats {
  /** rows read and decoded */
  events: number;
  /** events handed to at least one rule */
  dispatched: number;
  /** (event, search) pairs handed over */
  handed: number;
  /** searches served from the scan / sent on to the store */
  served: number;
  delegated: number;
  /** milliseconds spent in the scan */
  scanMs: number;
}

/** Compiled searches by key, kept across cycles (queries do not change between cycles). */
const compiledCache = new Map<string, { stmt: Statement; compiled: CompiledQuery; routes: PreparedRoute[] } | Error>();
const COMPILED_CACHE_MAX = 8192;

export function searchKey(req: EqlSearchRequest): string {
  return JSON.stringify([req.query, req.index, req.timestampField ?? '@timestamp', req.fallbackToTimestamp ?? true, req.tiebreakerField ?? null, req.size, req.resultPosition ?? 'head']);
}

function compiledFor(key: string, req: EqlSearchRequest): { stmt: Statement; compiled: CompiledQuery; routes: PreparedRoute[] } | null {
  let c = compiledCache.get(key);
  if (!c) {
    try {
      const { stmt, compiled } = compileSearch(req);
      c = { stmt, compiled, routes: prepareRoutes(stmt) };
    } catch (e) {
      c = e instanceof Error ? e : new Error(String(e));
    }
    if (compiledCache.size >= COMPILED_CACHE_MAX) compiledCache.clear();
    compiledCache.set(key, c);
  }
  return c instanceof Error ? null : c;
}

let scanSeq = 0;

/** Whether a row's time lies in a window of one of the dispatch's searches. */
function wanted(d: Dispatch, ts: number | null, eff: number | null): boolean {
  for (const s of d.spans) {
    const t = s.column === 'ts' ? ts : eff;
    if (t !== null && t >= s.from && t <= s.to) return true;
  }
  return false;
}

function emptyGroup(): Group {
  return { keyed: [], unkeyed: [] };
}

export class ScanCycle implements EventSource {
  readonly kind = 'embedded' as const;
  private readonly plans = new Map<string, Plan>();
  private range: { from: number; to: number } | null = null;
  private prepared = false;
  private scanned = false;
  readonly stats: ScanStats = { events: 0, dispatched: 0, handed: 0, served: 0, delegated: 0, scanMs: 0 };

  constructor(
    private readonly base: EventSource,
    private readonly store: EventStore,
  ) {}

  /**
   * Register a search the cycle will answer (call before `prepare`). False when it cannot be
   * served from a scan (it then goes to the store's own search).
   */
  add(req: EqlSearchRequest): boolean {
    if (this.prepared) throw new Error('ScanCycle: add() after prepare()');
    const tsField = req.timestampField ?? '@timestamp';
    const fallback = req.fallbackToTimestamp ?? true;
    const column = tsField === '@timestamp' ? 'ts' : tsField === 'event.ingested' && fallback ? 'eff_ts' : null;
    if (!column || !req.window) return false;
    const from = toEpochMs(req.window.from);
    const to = toEpochMs(req.window.to);
    if (from === null || to === null) return false;
    const key = searchKey(req);
    const known = this.plans.get(key);
    if (known) {
      known.from = Math.min(known.from, from);
      known.to = Math.max(known.to, to);
    } else {
      const c = compiledFor(key, req);
      if (!c) return false;
      this.plans.set(key, { key, req, stmt: c.stmt, compiled: c.compiled, column, indices: new Set(this.resolve(req.index)), from, to, candidates: [], routes: c.routes, last: -1, failed: false });
    }
    // no stored index matches its patterns: answered with no events (as the store's own
    // search answers it), without widening the range read
    if (this.plans.get(key)!.indices.size === 0) return true;
    this.range = this.range ? { from: Math.min(this.range.from, from), to: Math.max(this.range.to, to) } : { from, to };
    return true;
  }

  private readonly resolved = new Map<string, string[]>();
  private allIndices: string[] | null = null;
  /** index patterns to concrete indices (the store's list read once per cycle) */
  private resolve(patterns: string[]): string[] {
    const k = patterns.join('\u0000');
    let r = this.resolved.get(k);
    if (!r) {
      this.allIndices ??= this.store.resolveIndices(['*']);
      r = this.allIndices.filter(indexMatcher(patterns));
      this.resolved.set(k, r);
    }
    return r;
  }

  /** the time range the scan covers (null before any add) */
  get scanRange(): { from: number; to: number } | null {
    return this.range;
  }

  /**
   * Read the range once and hand every event to the searches that can match it. With more
   * than `maxEvents` rows in the range nothing is read (false): every search then goes to
   * the store's own per-rule search.
   */
  prepare(opts: { signal?: AbortSignal; maxEvents?: number } = {}): boolean {
    if (this.prepared) return this.scanned;
    this.prepared = true;
    const range = this.range;
    if (!range || this.plans.size === 0) return false;
    if (opts.maxEvents !== undefined && this.store.countWindow(range.from, range.to) > opts.maxEvents) return false;
    const signal = opts.signal;
    const started = Date.now();
    const dispatchByIndex = new Map<string, Dispatch>();
    const categoriesOf = new Map<string | null, string[]>();
    let rows = 0;
    for (const row of this.store.scanWindow(range.from, range.to)) {
      if (signal && (rows & 4095) === 0 && signal.aborted) throw new Error('detection cycle aborted');
      rows++;
      // unique across scans: condition tests shared by every cycle remember answers by it
      const seq = ++scanSeq;
      let d = dispatchByIndex.get(row.idx);
      if (!d) {
        d = this.buildDispatch(row.idx);
        dispatchByIndex.set(row.idx, d);
      }
      if (!wanted(d, row.ts, row.eff_ts)) continue;
      let cats = categoriesOf.get(row.category);
      if (!cats) {
        cats = row.category ? row.category.split(',').filter((c) => c !== '') : [];
        categoriesOf.set(row.category, cats);
      }
      const event: EqlEvent = { _index: row.idx, _id: row.doc_id, _source: parseDocumentJson(row.doc) as Record<string, unknown> };
      const cand: Candidate = { event, ts: row.ts, eff: row.eff_ts };
      const before = this.stats.handed;
      this.offer(d.any, cand, seq);
      for (const c of cats) {
        const g = d.byCategory.get(c);
        if (g) this.offer(g, cand, seq);
      }
      if (this.stats.handed > before) this.stats.dispatched++;
    }
    this.stats.events = rows;
    this.stats.scanMs = Date.now() - started;
    this.scanned = true;
    return true;
  }

  private offer(g: Group, cand: Candidate, seq: number): void {
    const src = cand.event._source;
    for (const k of g.keyed) {
      const v = k.get(src);
      if (v === undefined) continue;
      const alts = typeof v === 'string' ? k.byValue.get(foldAscii(v)) : k.all;
      if (alts) for (const a of alts) this.give(a, cand, seq);
    }
    for (const a of g.unkeyed) this.give(a, cand, seq);
  }

  private give(a: Alt, cand: Candidate, seq: number): void {
    const p = a.plan;
    if (p.last === seq || p.failed) return;
    const t = p.column === 'eff_ts' ? cand.eff : cand.ts;
    if (t === null || t < p.from || t > p.to) return;
    const src = cand.event._source;
    for (const t of a.rest) if (!mayHold(t, src, seq)) return;
    // the query's own filter (any stage), once per event and search: only events it passes
    // are kept, so a long window holds its matches, not every event it saw
    p.last = seq;
    this.stats.handed++;
    let pass: boolean;
    try {
      pass = p.compiled.filter(src);
    } catch {
      // the store's own search meets the same event and reports the error as it would
      p.failed = true;
      p.candidates = [];
      return;
    }
    if (pass) p.candidates.push(cand);
  }

  /** The dispatch table of the searches whose index patterns cover `idx`. */
  private buildDispatch(idx: string): Dispatch {
    const d: Dispatch = { byCategory: new Map(), any: emptyGroup(), spans: [] };
    const keyed = new Map<Group, Map<string, KeyGroup>>();
    const spans = new Set<string>();
    for (const plan of this.plans.values()) {
      if (!plan.indices.has(idx)) continue;
      const span = `${plan.column} ${plan.from} ${plan.to}`;
      if (!spans.has(span)) {
        spans.add(span);
        d.spans.push({ column: plan.column, from: plan.from, to: plan.to });
      }
      for (const route of plan.routes) {
        let g: Group;
        if (route.category === null) g = d.any;
        else {
          g = d.byCategory.get(route.category) ?? emptyGroup();
          d.byCategory.set(route.category, g);
        }
        const alt: Alt = { plan, rest: route.rest };
        const key = route.key;
        if (!key) {
          g.unkeyed.push(alt);
          continue;
        }
        let fields = keyed.get(g);
        if (!fields) keyed.set(g, (fields = new Map()));
        let kg = fields.get(key.field);
        if (!kg) {
          kg = { field: key.field, get: compileCondition({ field: key.field, values: null }).get, byValue: new Map(), all: [] };
          fields.set(key.field, kg);
          g.keyed.push(kg);
        }
        kg.all.push(alt);
        for (const v of key.values) {
          const list = kg.byValue.get(v);
          if (list) list.push(alt);
          else kg.byValue.set(v, [alt]);
        }
      }
    }
    return d;
  }

  /** Whether this request is answered from the scan. */
  serves(req: EqlSearchRequest): boolean {
    const plan = this.plans.get(searchKey(req));
    if (!plan || plan.failed || !req.window) return false;
    if (!this.scanned && (!this.prepared || plan.indices.size > 0)) return false;
    const from = toEpochMs(req.window.from);
    const to = toEpochMs(req.window.to);
    return from !== null && to !== null && from >= plan.from && to <= plan.to;
  }

  async eqlSearch(req: EqlSearchRequest): Promise<EqlSearchResult> {
    if (!this.serves(req)) {
      this.stats.delegated++;
      return this.base.eqlSearch(req);
    }
    const started = Date.now();
    const plan = this.plans.get(searchKey(req))!;
    const from = toEpochMs(req.window!.from)!;
    const to = toEpochMs(req.window!.to)!;
    const excluded = exceptionFilter(req.exceptions);
    const events: EqlEvent[] = [];
    const eff = plan.column === 'eff_ts';
    for (const c of plan.candidates) {
      const t = eff ? c.eff : c.ts;
      if (t === null || t < from || t > to) continue;
      if (excluded && excluded(c.event._source)) continue;
      events.push(c.event);
    }
    this.stats.served++;
    const hits = plan.compiled.run(events);
    return { hits, took: Date.now() - started, isPartial: false, shardFailures: [] };
  }

  getEvents(refs: { _index: string; _id: string }[]) {
    return this.base.getEvents(refs);
  }
  findProcessesByEntityIds(req: Parameters<EventSource['findProcessesByEntityIds']>[0]) {
    return this.base.findProcessesByEntityIds(req);
  }
  childProcesses(req: Parameters<EventSource['childProcesses']>[0]) {
    return this.base.childProcesses(req);
  }
  entityEvents(req: Parameters<EventSource['entityEvents']>[0]) {
    return this.base.entityEvents(req);
  }
  authenticationEvents(req: Parameters<EventSource['authenticationEvents']>[0]) {
    return this.base.authenticationEvents(req);
  }
  executablePrevalence(req: Parameters<EventSource['executablePrevalence']>[0]) {
    return this.base.executablePrevalence(req);
  }
  health() {
    return this.base.health();
  }
}

/** A window's span in ms. */
export function spanMs(w: TimeWindow): number {
  return Date.parse(w.to) - Date.parse(w.from);
}
