import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EqlError } from './errors';
import { compileQuery, search } from './search';
import { parse } from './parser';
import { schemaFromMappings } from './schema';
import type { EqlEvent, EqlHits, SearchOptions } from './types';

function ev(id: number, source: Record<string, unknown>): EqlEvent {
  return { _index: 'test', _id: String(id), _source: { id, ...source } };
}
function ids(h: EqlHits): number[] {
  if (h.events) return h.events.map((e) => e._source.id as number);
  return (h.sequences ?? []).flatMap((s) => s.events.map((e) => ('missing' in e ? -1 : (e._source.id as number))));
}
const opts: SearchOptions = { size: 100 };

describe('event queries', () => {
  const events = [
    ev(1, { '@timestamp': 3, event: { category: 'process' }, process: { name: 'cmd.exe', pid: 4 } }),
    ev(2, { '@timestamp': 1, 'event.category': 'process', 'process.name': 'CMD.EXE', 'process.pid': 8 }),
    ev(3, { '@timestamp': 2, event: { category: ['process', 'file'] }, process: { name: 'x.exe' }, exit_code: 0 }),
    ev(4, { '@timestamp': 4, event: { category: 'file' }, file: { name: 'a.dll' }, tags: ['a', 'b'] }),
  ];
  it('resolves nested and dotted field names and multi-valued categories', () => {
    expect(ids(search(events, 'process where process.name : "cmd.exe"', opts))).toEqual([2, 1]);
    expect(ids(search(events, 'process where true', opts))).toEqual([2, 3, 1]);
    expect(ids(search(events, 'file where true', opts))).toEqual([3, 4]);
    expect(ids(search(events, 'any where true', opts))).toEqual([2, 3, 1, 4]);
  });
  it('== is case-sensitive, : is not', () => {
    expect(ids(search(events, 'process where process.name == "cmd.exe"', opts))).toEqual([1]);
    expect(ids(search(events, 'process where process.name in~ ("CMD.exe")', opts))).toEqual([2, 1]);
  });
  it('null rules: comparisons with null do not match; == null is a presence test; negation as Elasticsearch translates it', () => {
    expect(ids(search(events, 'any where exit_code >= 0', opts))).toEqual([3]);
    expect(ids(search(events, 'any where exit_code == null', opts))).toEqual([2, 1, 4]);
    expect(ids(search(events, 'any where not exit_code > 5', opts))).toEqual([3]);
    expect(ids(search(events, 'any where exit_code > 5 or true', opts))).toEqual([2, 3, 1, 4]);
    // `not (x > 5)` is rewritten to `x <= 5` (ql OptimizerRules.BooleanSimplification.simplifyNot):
    // a missing exit_code does not match, as ES's notExitCodeGtWithHead1 expects
    // `!=` / `not in` on a field are must_not(term/terms) (ql ExpressionTranslators
    // BinaryComparisons NotEquals; Nots): events without the field match
    expect(ids(search(events, 'any where process.pid != 4', opts))).toEqual([2, 3, 4]);
    expect(ids(search(events, 'any where process.pid not in (4)', opts))).toEqual([2, 3, 4]);
    expect(ids(search(events, 'any where not process.pid == 4', opts))).toEqual([2, 3, 4]);
  });
  it('multi-valued fields match when any value does', () => {
    expect(ids(search(events, 'any where tags == "b"', opts))).toEqual([4]);
    expect(ids(search(events, 'any where tags : "A"', opts))).toEqual([4]);
  });
  it('size, result position and pipes', () => {
    expect(ids(search(events, 'any where true', { size: 2 }))).toEqual([1, 4]);
    expect(ids(search(events, 'any where true', { size: 2, resultPosition: 'head' }))).toEqual([2, 3]);
    expect(ids(search(events, 'any where true | head 3 | tail 1', opts))).toEqual([1]);
  });
  it('sorts by tiebreaker with missing tiebreakers last, then insertion order', () => {
    const tied = [ev(1, { '@timestamp': 1, seq: 5 }), ev(2, { '@timestamp': 1 }), ev(3, { '@timestamp': 1, seq: 2 }), ev(4, { '@timestamp': 1 })];
    expect(ids(search(tied, 'any where true', { size: 10, tiebreakerField: 'seq' }))).toEqual([3, 1, 2, 4]);
  });
  it('arithmetic: integer division truncates for longs', () => {
    const xs = [ev(82, { '@timestamp': 1, n: 82 }), ev(83, { '@timestamp': 2, n: 83 }), ev(84, { '@timestamp': 3, n: 84 })];
    expect(ids(search(xs, 'any where n / 2 == 41', opts))).toEqual([82, 83]);
    expect(ids(search(xs, 'any where n % 2 == 1', opts))).toEqual([83]);
  });
  it('schema: dates compare with ISO strings, ips are normalised, versions ordered', () => {
    const schema = schemaFromMappings({
      properties: { d: { type: 'date' }, ip: { type: 'ip' }, v: { type: 'version' }, n: { type: 'keyword', null_value: 'NULL' } },
    });
    const xs = [
      ev(1, { '@timestamp': 1, d: '2020-01-01T00:00:00Z', ip: '::ffff:10.0.0.1', v: '1.11.3', n: null }),
      ev(2, { '@timestamp': 2, d: 1577836800001, ip: '10.0.0.2', v: '1.2.4-SNAPSHOT' }),
      ev(3, { '@timestamp': 3, v: 'bad' }),
    ];
    const o = { ...opts, schema };
    expect(ids(search(xs, 'any where d == "2020-01-01T00:00:00.000Z"', o))).toEqual([1]);
    expect(ids(search(xs, 'any where d > 1577836800000', o))).toEqual([2]);
    expect(ids(search(xs, 'any where ip == "10.0.0.1"', o))).toEqual([1]);
    expect(ids(search(xs, 'any where cidrMatch(ip, "10.0.0.0/30")', o))).toEqual([1, 2]);
    expect(ids(search(xs, 'any where v > "1.5.0"', o))).toEqual([1, 3]);
    expect(ids(search(xs, 'any where v < "1.5.0"', o))).toEqual([2]);
    expect(ids(search(xs, 'any where ?n == "NULL"', o))).toEqual([1]);
    expect(ids(search(xs, 'any where ?unmapped == null', o))).toEqual([1, 2, 3]);
    const kw = schemaFromMappings({ properties: { port: { type: 'keyword' } } });
    const ports = [ev(1, { '@timestamp': 1, port: 80 }), ev(2, { '@timestamp': 2, port: '443' })];
    expect(ids(search(ports, 'any where port == "80"', { ...opts, schema: kw }))).toEqual([1]);
  });
});

describe('compiled queries', () => {
  it('expose the categories they need and a source filter', () => {
    const q = compileQuery(parse('process where process.name : "cmd.exe"'), {});
    expect(q.categories).toEqual(['process']);
    expect(q.filter({ event: { category: 'process' }, process: { name: 'CMD.exe' } })).toBe(true);
    expect(q.filter({ event: { category: 'file' }, process: { name: 'cmd.exe' } })).toBe(false);
    expect(compileQuery(parse('sequence [process where true] [file where true]'), {}).categories).toEqual(['process', 'file']);
    expect(compileQuery(parse('sequence [process where true] [any where true]'), {}).categories).toBeNull();
  });
  it('filter failures are EqlError', () => {
    const q = compileQuery(parse('any where n / z == 1'), {});
    expect(() => q.filter({ n: 1, z: 0 })).toThrow(EqlError);
  });
});

describe('errors', () => {
  it('bad queries and runtime failures are EqlError', () => {
    const events = [ev(1, { '@timestamp': 1, n: 1, z: 0, s: 'x' })];
    expect(() => search(events, 'any where', opts)).toThrow(EqlError);
    expect(() => search(events, 'any where n / z == 1', opts)).toThrow(EqlError);
    expect(() => search(events, 'any where number(s) == 1', opts)).toThrow(EqlError);
    try {
      search(events, 'any where n / z == 1', opts);
    } catch (e) {
      expect(e).toBeInstanceOf(EqlError);
      expect((e as EqlError).code).toBe('runtime');
    }
  });
  it('never throws anything but EqlError over random JSON events', () => {
    const queries = [
      'any where a == "x" or b > 2 and not c : "y*"',
      'any where length(a) > 1 and startsWith~(b, "x")',
      'any where a + b * 2 >= 3',
      'sequence by a [any where b == 1] [any where true]',
      'sample by a [any where true] [any where b != null]',
      'any where concat(a, b) regex "x.*"',
    ].map((q) => parse(q));
    const value = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 }));
    const event = fc.record({ a: value, b: value, c: value, '@timestamp': fc.oneof(fc.integer(), fc.string({ maxLength: 5 })) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), (sources) => {
        const events = sources.map((s, i) => ({ _index: 'r', _id: String(i), _source: s as Record<string, unknown> }));
        for (const q of queries) {
          try {
            compileQuery(q, { size: 10 }).run(events);
          } catch (e) {
            expect(e).toBeInstanceOf(EqlError);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('negative literals', () => {
  it('compare and list like constants', () => {
    const xs = [ev(1, { '@timestamp': 1, n: -1 }), ev(2, { '@timestamp': 2, n: 0 }), ev(3, { '@timestamp': 3 })];
    expect(ids(search(xs, 'any where n > -1', { size: 10 }))).toEqual([2]);
    expect(ids(search(xs, 'any where n in (-1, 5)', { size: 10 }))).toEqual([1]);
    expect(ids(search(xs, 'any where n == -1', { size: 10 }))).toEqual([1]);
  });
});
