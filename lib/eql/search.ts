/**
 * Compiles a parsed statement once and runs it over in-memory events: event queries,
 * sequences and samples, then `size`, `result_position` and the head/tail pipes.
 */
import type { EventFilter, Expr, SequenceTerm, Statement } from './ast';
import { compileCondition, compileExpr, compileFieldAccess, makeRawAccessor, type CompileContext, type Source } from './compile';
import { check } from './check';
import { EqlError, EqlRuntimeError, EqlSyntaxError } from './errors';
import { parse } from './parser';
import { applyPipes, headLimit } from './pipes';
import { runSample, type SampleSpec } from './sample';
import { resolveAlias } from './schema';
import { indexFilters, matchMask, runSequence, type KeySpec, type Ordered, type SequenceSpec, type StageSpec } from './sequence';
import type { EqlEvent, EqlHits, SearchOptions } from './types';
import { isNumeric, toEpochMillis, type Scalar, type ValueType } from './values';

export interface CompiledQuery {
  kind: 'event' | 'sequence' | 'sample';
  /** the categories the query can use (null: any category) */
  categories: string[] | null;
  /** whether an event's source passes the query's filter (any stage of a sequence or sample) */
  filter(source: Record<string, unknown>): boolean;
  /** runs the query over the events (in any order unless `presorted`) */
  run(events: Iterable<EqlEvent>): EqlHits;
}

interface Resolved {
  size: number;
  resultPosition: 'head' | 'tail';
  timestampField: string;
  tiebreakerField: string | undefined;
  eventCategoryField: string;
  maxSamplesPerKey: number;
  presorted: boolean;
}

function resolveOptions(o: SearchOptions): Resolved {
  return {
    size: o.size ?? 10,
    resultPosition: o.resultPosition ?? 'tail',
    timestampField: o.timestampField ?? '@timestamp',
    tiebreakerField: o.tiebreakerField,
    eventCategoryField: o.eventCategoryField ?? 'event.category',
    maxSamplesPerKey: o.maxSamplesPerKey ?? 1,
    presorted: o.presorted ?? false,
  };
}

/** Category test: exact, case-sensitive; multi-valued categories match any value. */
function compileCategory(category: string | null, ctx: CompileContext, field: string): (src: Source) => boolean {
  if (category === null) return () => true;
  const access = compileFieldAccess(field, ctx);
  const get = access.fn;
  const slow = (src: Source): boolean => {
    const v = get(src);
    if (v === category) return true;
    return Array.isArray(v) && v.includes(category);
  };
  const parts = field.split('.');
  if (access.type === 'string' || access.type === 'unknown') {
    if (parts.length === 2 && access.field?.schema?.nullValue === undefined) {
      const [a, b] = parts as [string, string];
      return (src) => {
        const o = src[a];
        if (typeof o === 'object' && o !== null) {
          const v = (o as Record<string, unknown>)[b];
          if (v === category) return true;
          if (typeof v === 'string') return false;
        }
        return slow(src);
      };
    }
    if (parts.length === 1 && access.field?.schema?.nullValue === undefined) {
      const a = parts[0]!;
      return (src) => {
        const v = src[a];
        if (v === category) return true;
        if (typeof v === 'string') return false;
        return slow(src);
      };
    }
  }
  return slow;
}

/** The raw category value when it needs no conversion (keyword or unmapped), else undefined. */
function compileRawCategory(field: string, ctx: CompileContext): ((src: Source) => unknown) | undefined {
  const access = compileFieldAccess(field, ctx);
  if (access.type !== 'string' && access.type !== 'unknown') return undefined;
  if (access.field?.schema?.nullValue !== undefined) return undefined;
  return makeRawAccessor(access.field?.path ?? field);
}

function compileFilter(f: EventFilter, ctx: CompileContext, categoryField: string): (src: Source) => boolean {
  if (f.category === null) return compileCondition(f.condition, ctx);
  const slow = compileCategory(f.category, ctx, categoryField);
  const access = compileFieldAccess(categoryField, ctx);
  const plain = (access.type === 'string' || access.type === 'unknown') && access.field?.schema?.nullValue === undefined;
  if (!plain) {
    const cond = compileCondition(f.condition, ctx);
    return (src) => slow(src) && cond(src);
  }
  return compileCondition(f.condition, ctx, { value: f.category, path: access.field?.path ?? categoryField, slow });
}

function isOptionalKey(e: Expr): boolean {
  let x = e;
  while (x.kind === 'paren') x = x.expr;
  return x.kind === 'field' && x.optional;
}

function compileKeys(exprs: readonly Expr[], ctx: CompileContext): KeySpec[] {
  return exprs.map((e) => ({ expr: compileExpr(e, ctx), optional: isOptionalKey(e) }));
}

interface Ordering {
  ts: (src: Source) => number | null;
  tb: ((src: Source) => Scalar) | null;
}

function compileOrdering(r: Resolved, ctx: CompileContext): Ordering {
  // timestamps read raw: numbers, numeric strings and ISO strings all become epoch millis
  const raw = makeRawAccessor(resolveAlias(ctx.schema, r.timestampField));
  const ts = (src: Source): number | null => {
    const v = raw(src);
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    return toEpochMillis(v);
  };
  let tb: ((src: Source) => Scalar) | null = null;
  if (r.tiebreakerField) {
    const g = compileFieldAccess(r.tiebreakerField, ctx).fn;
    tb = (src) => {
      const v = g(src);
      return Array.isArray(v) ? (v[0] ?? null) : v;
    };
  }
  return { ts, tb };
}

interface Sortable {
  event: EqlEvent;
  ts: number;
  tb: Scalar;
  idx: number;
}

function compareSortable(a: Sortable, b: Sortable): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  if (a.tb !== b.tb) {
    if (a.tb === null) return 1;
    if (b.tb === null) return -1;
    // numbers and longs beyond 2^53 (bigint) compare exactly with each other
    if (typeof a.tb === typeof b.tb || (isNumeric(a.tb) && isNumeric(b.tb))) return a.tb < b.tb ? -1 : a.tb > b.tb ? 1 : a.idx - b.idx;
  }
  return a.idx - b.idx;
}

/** Orders collected items by (timestamp, tiebreaker, insertion); skips the sort when already ordered. */
function order(items: Sortable[], presorted: boolean): void {
  if (presorted) return;
  for (let i = 1; i < items.length; i++) {
    if (compareSortable(items[i - 1]!, items[i]!) > 0) {
      items.sort(compareSortable);
      return;
    }
  }
}

/**
 * The events that match some filter of the sequence, with timestamp and filter mask, in
 * (timestamp, tiebreaker, insertion) order. Parallel arrays; sorts only when out of order.
 */
function collectOrdered(
  list: EqlEvent[],
  spec: SequenceSpec,
  filter: (src: Source) => boolean,
  ordering: Ordering,
  presorted: boolean,
): Ordered {
  const evs: EqlEvent[] = [];
  const ts: number[] = [];
  const masks: number[] = [];
  const tbs: Scalar[] = [];
  const tbGet = ordering.tb;
  let sorted = true;
  let lastTs = -Infinity;
  let lastTb: Scalar = null;
  for (let idx = 0; idx < list.length; idx++) {
    const ev = list[idx]!;
    const src = ev._source;
    const mask = matchMask(spec, src);
    if (mask === 0 || (mask === -1 && !filter(src))) continue;
    const t = ordering.ts(src);
    if (t === null) continue;
    const tb = tbGet ? tbGet(src) : null;
    if (sorted && !presorted && evs.length > 0) {
      if (t < lastTs) sorted = false;
      else if (t === lastTs && tbGet) {
        if (lastTb === null ? tb !== null : tb !== null && typeof tb === typeof lastTb && tb < lastTb) sorted = false;
      }
    }
    lastTs = t;
    lastTb = tb;
    evs.push(ev);
    ts.push(t);
    masks.push(mask);
    if (tbGet) tbs.push(tb);
  }
  if (sorted || presorted) return { events: evs, ts, masks };
  const perm: number[] = evs.map((_, i) => i);
  const items: Sortable[] = perm.map((i) => ({ event: evs[i]!, ts: ts[i]!, tb: tbGet ? tbs[i]! : null, idx: i }));
  items.sort(compareSortable);
  return { events: items.map((x) => x.event), ts: items.map((x) => x.ts), masks: items.map((x) => masks[x.idx]!) };
}

/** A filter for callers: any failure surfaces as EqlError (code 'runtime'). */
function guarded(f: (src: Source) => boolean, source: string | undefined): (src: Record<string, unknown>) => boolean {
  return (src) => {
    try {
      return f(src);
    } catch (e) {
      return wrapRuntime(source, () => {
        throw e;
      });
    }
  };
}

function wrapRuntime<T>(source: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof EqlError) throw e;
    const detail = e instanceof RangeError ? 'query evaluation ran out of resources' : e instanceof Error ? e.message : String(e);
    throw new EqlRuntimeError(detail, { start: 0, end: Math.max(1, source?.length ?? 1) }, source);
  }
}

function keyTypes(keys: KeySpec[]): ValueType[] {
  return keys.map((k) => k.expr.type);
}

/**
 * Compiles a statement once. Throws EqlError (code 'invalid_value' for bad literals such as
 * an unreadable date or regex).
 */
export function compileQuery(stmt: Statement, options: SearchOptions = {}, source?: string): CompiledQuery {
  requireStatement(stmt);
  return wrapRuntime(source, () => compileQueryInner(stmt, options, source));
}

function compileQueryInner(stmt: Statement, options: SearchOptions, source: string | undefined): CompiledQuery {
  const r = resolveOptions(options);
  const ctx: CompileContext = { timestampField: r.timestampField, ...(options.schema ? { schema: options.schema } : {}), ...(source !== undefined ? { source } : {}) };
  const catField = resolveAlias(options.schema, r.eventCategoryField);
  const ordering = compileOrdering(r, ctx);
  const q = stmt.query;
  const pipes = stmt.pipes;

  if (q.kind === 'event') {
    const filter = compileFilter(q.filter, ctx, catField);
    const limit = headLimit(pipes, r.size, r.resultPosition);
    return {
      kind: 'event',
      categories: q.filter.category === null ? null : [q.filter.category],
      filter: guarded(filter, source),
      run(events) {
        return wrapRuntime(source, () => {
          const hits: Sortable[] = [];
          const early = r.presorted && limit !== null;
          const list = Array.isArray(events) ? (events as EqlEvent[]) : [...events];
          for (let idx = 0; idx < list.length; idx++) {
            const ev = list[idx]!;
            const src = ev._source;
            if (filter(src)) {
              hits.push({ event: ev, ts: ordering.ts(src) ?? Infinity, tb: ordering.tb ? ordering.tb(src) : null, idx });
              if (early && hits.length >= limit) break;
            }
          }
          order(hits, r.presorted);
          const picked = applyPipes(hits, pipes, r.size, r.resultPosition);
          return { total: { value: picked.length, relation: 'eq' }, events: picked.map((h) => h.event) };
        });
      },
    };
  }

  if (q.kind === 'sequence') {
    const seqKeys = q.by;
    const stageOf = (t: SequenceTerm): StageSpec => ({
      match: compileFilter(t.filter, ctx, catField),
      keys: compileKeys([...seqKeys, ...t.by], ctx),
      category: t.filter.category,
      condition: compileCondition(t.filter.condition, ctx),
    });
    const stages: StageSpec[] = [];
    const missing: { stage: StageSpec; after: number }[] = [];
    const layout: number[] = [];
    for (const t of q.terms) {
      const st = stageOf(t);
      const runs = Math.max(1, t.runs);
      if (t.missing) {
        for (let i = 0; i < runs; i++) {
          missing.push({ stage: st, after: stages.length });
          layout.push(-1);
        }
      } else {
        for (let i = 0; i < runs; i++) {
          layout.push(stages.length);
          stages.push(st);
        }
      }
    }
    const until = q.until ? stageOf(q.until) : null;
    const spec: SequenceSpec = indexFilters({
      stages,
      missing,
      until,
      maxspan: q.maxspan ? q.maxspan.millis : null,
      keyTypes: keyTypes(stages[0]?.keys ?? []),
      layout,
      categoryOf: compileRawCategory(catField, ctx),
    });
    const all: StageSpec[] = spec.unique;
    const cats = [...q.terms, ...(q.until ? [q.until] : [])].map((t) => t.filter.category);
    const categories = cats.includes(null) ? null : [...new Set(cats as string[])];
    const filter = (src: Source): boolean => {
      for (const s of all) if (s.match(src)) return true;
      return false;
    };
    const limit = headLimit(pipes, r.size, r.resultPosition);
    return {
      kind: 'sequence',
      categories,
      filter: guarded(filter, source),
      run(events) {
        return wrapRuntime(source, () => {
          const list = Array.isArray(events) ? (events as EqlEvent[]) : [...events];
          const ordered = collectOrdered(list, spec, filter, ordering, r.presorted);
          const seqs = runSequence(spec, ordered, limit);
          const picked = applyPipes(seqs, pipes, r.size, r.resultPosition);
          return { total: { value: picked.length, relation: 'eq' }, sequences: picked };
        });
      },
    };
  }

  // sample
  const terms: StageSpec[] = q.terms.map((t) => ({
    match: compileFilter(t.filter, ctx, catField),
    keys: compileKeys([...q.by, ...t.by], ctx),
  }));
  const spec: SampleSpec = { terms, keyTypes: keyTypes(terms[0]?.keys ?? []) };
  const cats = q.terms.map((t) => t.filter.category);
  return {
    kind: 'sample',
    categories: cats.includes(null) ? null : [...new Set(cats as string[])],
    filter: guarded((src) => terms.some((t) => t.match(src)), source),
    run(events) {
      return wrapRuntime(source, () => {
        const samples = runSample(spec, events, Math.max(1, r.maxSamplesPerKey), r.size);
        const picked = applyPipes(samples, pipes, r.size, 'head');
        return { total: { value: picked.length, relation: 'eq' }, sequences: picked };
      });
    },
  };
}


/** Untyped callers can pass anything: only a parsed statement (kind "statement") is accepted. */
export function requireStatement(value: unknown): Statement {
  if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'statement') return value as Statement;
  throw new EqlSyntaxError('syntax', `expected an EQL query string or a parsed statement, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, { start: 0, end: 0 });
}

/**
 * Parses (throws EqlError), checks (throws the first diagnostic as EqlError), compiles and
 * runs `query` over `events`. Runtime errors are EqlError with code 'runtime'.
 */
export function search(events: Iterable<EqlEvent> | EqlEvent[], query: string | Statement, options: SearchOptions = {}): EqlHits {
  const source = typeof query === 'string' ? query : undefined;
  const stmt = typeof query === 'string' ? parse(query) : requireStatement(query);
  const diagnostics = check(stmt, { ...(options.schema ? { schema: options.schema } : {}), ...(source !== undefined ? { source } : {}) });
  const first = diagnostics[0];
  if (first) throw new EqlError(first.code, first.message, first.span, source);
  return compileQuery(stmt, options, source).run(events);
}
