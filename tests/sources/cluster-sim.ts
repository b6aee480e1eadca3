/**
 * A small simulated cluster behind @elastic/elasticsearch-mock, for the shared suite:
 * it answers `_eql/search`, `_search`, `_mget` and `GET /` from an in-memory list of
 * events, reading the request bodies the source actually sends. Query DSL is evaluated
 * for the clauses the source uses (bool, term, terms, match_phrase, wildcard, prefix,
 * range, exists, constant_score) with keyword semantics; EQL runs through lib/eql.
 * Anything else throws, so a request shape this simulator does not understand fails the
 * test instead of matching silently.
 */
import { search } from '@/lib/eql';
import type { EqlEvent } from '@/lib/eql/types';
import type { MockedCluster, SentRequest } from '@/lib/events/elasticsearch/testing';

type Doc = Record<string, unknown>;
type Scalar = string | number | boolean;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every value of a field: nested objects and dotted keys, arrays flattened. */
export function valuesOf(doc: unknown, field: string): Scalar[] {
  const out: Scalar[] = [];
  const visit = (node: unknown, rest: string): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, rest);
      return;
    }
    if (rest === '') {
      if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') out.push(node);
      return;
    }
    if (!isRecord(node)) return;
    const parts = rest.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const key = parts.slice(0, i).join('.');
      if (key in node) visit(node[key], parts.slice(i).join('.'));
    }
  };
  visit(doc, field);
  return out;
}

function onlyKey(o: Record<string, unknown>, what: string): [string, unknown] {
  const keys = Object.keys(o);
  if (keys.length !== 1) throw new Error(`simulator: ${what} expects one field, got ${keys.join(',')}`);
  return [keys[0], o[keys[0]]];
}

function termSpec(v: unknown): { value: string; ci: boolean } {
  if (isRecord(v)) return { value: String(v.value), ci: v.case_insensitive === true };
  return { value: String(v), ci: false };
}

function eq(a: Scalar, b: string, ci: boolean): boolean {
  return ci ? String(a).toLowerCase() === b.toLowerCase() : String(a) === b;
}

/** Lucene wildcard: `*`, `?`, `\` escapes the next character. */
function wildcardRegex(pattern: string, ci: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, ci ? 'i' : '');
}

function asList(v: unknown): unknown[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function matches(q: unknown, doc: Doc): boolean {
  if (!isRecord(q)) throw new Error('simulator: query is not an object');
  const [kind, spec] = onlyKey(q, 'query');
  if (!isRecord(spec)) throw new Error(`simulator: ${kind} body is not an object`);
  switch (kind) {
    case 'bool': {
      const must = [...asList(spec.filter), ...asList(spec.must)];
      if (!must.every((c) => matches(c, doc))) return false;
      if (asList(spec.must_not).some((c) => matches(c, doc))) return false;
      const should = asList(spec.should);
      const min = typeof spec.minimum_should_match === 'number' ? spec.minimum_should_match : must.length === 0 && should.length > 0 ? 1 : 0;
      return should.filter((c) => matches(c, doc)).length >= min;
    }
    case 'constant_score':
      return matches(spec.filter, doc);
    case 'term':
    case 'match_phrase': {
      const [field, v] = onlyKey(spec, kind);
      const t = termSpec(v);
      return valuesOf(doc, field).some((x) => eq(x, t.value, t.ci));
    }
    case 'terms': {
      const [field, list] = onlyKey(spec, kind);
      if (!Array.isArray(list)) throw new Error('simulator: terms expects a list');
      return valuesOf(doc, field).some((x) => list.some((l) => eq(x, String(l), false)));
    }
    case 'wildcard': {
      const [field, v] = onlyKey(spec, kind);
      const t = termSpec(v);
      const re = wildcardRegex(t.value, t.ci);
      return valuesOf(doc, field).some((x) => re.test(String(x)));
    }
    case 'prefix': {
      const [field, v] = onlyKey(spec, kind);
      const t = termSpec(v);
      return valuesOf(doc, field).some((x) => (t.ci ? String(x).toLowerCase().startsWith(t.value.toLowerCase()) : String(x).startsWith(t.value)));
    }
    case 'exists':
      return valuesOf(doc, String(spec.field)).length > 0;
    case 'range': {
      const [field, r] = onlyKey(spec, kind);
      if (!isRecord(r)) throw new Error('simulator: range body');
      const gte = r.gte === undefined ? -Infinity : Date.parse(String(r.gte));
      const lte = r.lte === undefined ? Infinity : Date.parse(String(r.lte));
      return valuesOf(doc, field).some((x) => {
        const t = Date.parse(String(x));
        return !Number.isNaN(t) && t >= gte && t <= lte;
      });
    }
    default:
      throw new Error(`simulator: unsupported query ${kind}`);
  }
}

function score(q: unknown, doc: Doc): number {
  if (!isRecord(q)) return 0;
  if (isRecord(q.constant_score)) return typeof q.constant_score.boost === 'number' ? q.constant_score.boost : 1;
  if (isRecord(q.bool)) return asList(q.bool.should).reduce<number>((s, c) => s + (matches(c, doc) ? score(c, doc) : 0), 0);
  return 0;
}

function indexMatcher(path: string): (index: string) => boolean {
  const list = decodeURIComponent(path).split('/')[1] ?? '';
  const res = list.split(',').map((p) => wildcardRegex(p.replace(/\\/g, '\\\\'), false));
  return (index) => res.some((r) => r.test(index));
}

function body(req: SentRequest): Record<string, unknown> {
  if (!isRecord(req.body)) throw new Error(`simulator: ${req.path} without a JSON body`);
  return req.body;
}

function sortHits(events: EqlEvent[], sort: unknown, q: unknown): EqlEvent[] {
  const keys = asList(sort).map((s) => {
    if (!isRecord(s)) throw new Error('simulator: sort entry');
    const [field, spec] = onlyKey(s, 'sort');
    return { field, desc: isRecord(spec) && spec.order === 'desc' };
  });
  const order = events.map((e, i) => ({ e, i }));
  order.sort((a, b) => {
    for (const k of keys) {
      let va: number;
      let vb: number;
      if (k.field === '_score') {
        va = score(q, a.e._source);
        vb = score(q, b.e._source);
      } else {
        va = Date.parse(String(valuesOf(a.e._source, k.field)[0] ?? ''));
        vb = Date.parse(String(valuesOf(b.e._source, k.field)[0] ?? ''));
        // missing values sort last whatever the order
        if (Number.isNaN(va) || Number.isNaN(vb)) {
          if (Number.isNaN(va) && Number.isNaN(vb)) continue;
          return Number.isNaN(va) ? 1 : -1;
        }
      }
      if (va !== vb) return (va < vb ? -1 : 1) * (k.desc ? -1 : 1);
    }
    return a.i - b.i;
  });
  return order.map((o) => o.e);
}

/** Installs the simulator's routes on a mocked cluster; `events` may be changed later. */
export function simulateCluster(c: MockedCluster, events: EqlEvent[]): void {
  c.route('POST', '/:index/_eql/search', (req) => {
    const b = body(req);
    const inIndex = indexMatcher(req.path);
    const docs = events.filter((e) => inIndex(e._index) && (b.filter === undefined || matches(b.filter, e._source)));
    const hits = search(docs, String(b.query), {
      size: typeof b.size === 'number' ? b.size : 10,
      resultPosition: b.result_position === 'tail' ? 'tail' : 'head',
      timestampField: typeof b.timestamp_field === 'string' ? b.timestamp_field : '@timestamp',
      ...(typeof b.tiebreaker_field === 'string' ? { tiebreakerField: b.tiebreaker_field } : {}),
    });
    return { is_partial: false, is_running: false, took: 1, timed_out: false, hits };
  });

  c.route('POST', '/:index/_search', (req) => {
    const b = body(req);
    const inIndex = indexMatcher(req.path);
    const matched = events.filter((e) => inIndex(e._index) && matches(b.query, e._source));
    const size = typeof b.size === 'number' ? b.size : 10;
    const aggregations: Record<string, unknown> = {};
    if (isRecord(b.aggs)) {
      for (const [name, agg] of Object.entries(b.aggs)) {
        if (!isRecord(agg) || !isRecord(agg.filters) || !isRecord(agg.filters.filters)) throw new Error('simulator: only filters aggs');
        const sub = isRecord(agg.aggs) ? agg.aggs : {};
        const buckets: Record<string, unknown> = {};
        for (const [key, fq] of Object.entries(agg.filters.filters)) {
          const inBucket = matched.filter((e) => matches(fq, e._source));
          const bucket: Record<string, unknown> = { doc_count: inBucket.length };
          for (const [subName, subAgg] of Object.entries(sub)) {
            if (!isRecord(subAgg) || !isRecord(subAgg.cardinality)) throw new Error('simulator: only cardinality sub-aggs');
            const field = String(subAgg.cardinality.field);
            bucket[subName] = { value: new Set(inBucket.flatMap((e) => valuesOf(e._source, field).map(String))).size };
          }
          buckets[key] = bucket;
        }
        aggregations[name] = { buckets };
      }
    }
    const sorted = sortHits(matched, b.sort, b.query);
    return {
      took: 1,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: {
        total: { value: matched.length, relation: 'eq' },
        max_score: null,
        hits: sorted.slice(0, size).map((e) => ({ _index: e._index, _id: e._id, _score: null, _source: e._source })),
      },
      ...(Object.keys(aggregations).length > 0 ? { aggregations } : {}),
    };
  });

  c.route('POST', '/_mget', (req) => {
    const b = body(req);
    const docs = asList(b.docs).map((d) => {
      if (!isRecord(d)) throw new Error('simulator: mget doc');
      const e = events.find((x) => x._index === d._index && x._id === d._id);
      return e ? { _index: e._index, _id: e._id, found: true, _source: e._source } : { _index: d._index, _id: d._id, found: false };
    });
    return { docs };
  });

  c.route('GET', '/', () => ({
    name: 'sim',
    cluster_name: 'simulated',
    cluster_uuid: 'x',
    version: { number: '8.19.0', build_flavor: 'default' },
    tagline: 'You Know, for Search',
  }));
}
