/**
 * Longs beyond 2^53 (lib/eql/SEMANTICS.md §8). A `long` field is a Java long: the document's
 * integer is parsed exactly (NumberFieldMapper.NumberType.LONG, `parser.longValue`), an integer
 * literal is a long when StringUtils.parseLong takes it and a double beyond the long range
 * (eql/parser/LiteralBuilder.visitIntegerLiteral), the term query of a long field matches nothing
 * for a value out of its range and the range query fails (NumberFieldMapper LONG.termQuery,
 * longRangeQuery → objectToLong), arithmetic is Math.*Exact (ql Arithmetics). Expected values
 * here are written out by hand, never computed by the engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactLong, fieldValues, getField, parseDocumentJson } from './document';
import { isEqlError } from './errors';
import { format } from './format';
import { parse } from './parser';
import { schemaFromMappings } from './schema';
import { search } from './search';

const ev = (id: string, json: string) => ({ _index: 'i', _id: id, _source: parseDocumentJson(json) as Record<string, unknown> });
const events = [
  ev('993', '{"@timestamp": 1, "n": 9007199254740993, "k": "9007199254740993", "e": "e1"}'),
  ev('992', '{"@timestamp": 2, "n": 9007199254740992, "k": "9007199254740992", "e": "e2"}'),
  ev('max', '{"@timestamp": 3, "n": 9223372036854775807, "e": "e3"}'),
  ev('arr', '{"@timestamp": 4, "n": [1, 12345678901234567], "e": "e4"}'),
];
const long = schemaFromMappings({ properties: { n: { type: 'long' }, k: { type: 'keyword' }, e: { type: 'keyword' }, '@timestamp': { type: 'date' } } });
const ids = (q: string, schema = true) => (search(events, q, schema ? { schema: long } : {}).events ?? []).map((e) => e._id);
const fails = (q: string, schema = true): boolean => {
  try {
    ids(q, schema);
    return false;
  } catch (e) {
    return isEqlError(e);
  }
};

describe('parseDocumentJson', () => {
  it('keeps an integer a double would round, exact, and leaves everything else to JSON.parse', () => {
    const d = parseDocumentJson(
      '{"a": 9007199254740993, "b": [1.12345678901234567890, -12345678901234567, 9007199254740992, 1e1234567890123456], "s": "9007199254740993"}',
    ) as Record<string, unknown>;
    expect(d.a).toBeInstanceOf(ExactLong);
    expect((d.a as ExactLong).exact).toBe(9007199254740993n);
    const b = d.b as unknown[];
    expect(b[0]).toBe(1.1234567890123457); // fraction digits are not an integer
    expect((b[1] as ExactLong).exact).toBe(-12345678901234567n);
    expect(b[2]).toBe(9007199254740992); // a double holds 2^53 exactly: a plain number
    expect(b[3]).toBe(Infinity);
    expect(d.s).toBe('9007199254740993');
  });

  it('writes back as a number and hands the app plain numbers', () => {
    const d = parseDocumentJson('{"a": {"b": 9007199254740993}}');
    expect(JSON.stringify(d)).toBe('{"a":{"b":9007199254740992}}');
    expect(fieldValues(d, 'a.b')).toEqual([9007199254740992]);
    expect(getField(d, 'a.b')).toBe(9007199254740992);
  });

  it('finds a 16-digit integer wherever it sits in the text', () => {
    for (let pad = 0; pad < 40; pad++) {
      const d = parseDocumentJson(`{"p":"${'x'.repeat(pad)}","n":[9007199254740993]}`) as { n: ExactLong[] };
      expect(d.n[0]).toBeInstanceOf(ExactLong);
      expect(d.n[0]!.exact).toBe(9007199254740993n);
    }
  });

  it('a string of the document cannot pose as an exact integer', () => {
    const d = parseDocumentJson('{"n": 12345678901234567, "s": "\\u0000exact0", "t": "0:"}') as Record<string, unknown>;
    expect(d.s).toBe('\u0000exact0');
    expect(d.t).toBe('0:');
    expect((d.n as ExactLong).exact).toBe(12345678901234567n);
  });
});

describe('comparisons of longs beyond 2^53 are exact', () => {
  it('== != in against a long field and without a mapping', () => {
    for (const schema of [true, false]) {
      expect(ids('any where n == 9007199254740993', schema)).toEqual(['993']);
      expect(ids('any where n == 9007199254740992', schema)).toEqual(['992']);
      expect(ids('any where n != 9007199254740993', schema)).toEqual(['992', 'max', 'arr']);
      expect(ids('any where n in (9007199254740993, 5)', schema)).toEqual(['993']);
      expect(ids('any where n == 12345678901234567', schema)).toEqual(['arr']);
    }
  });

  it('ranges', () => {
    expect(ids('any where n > 9007199254740992')).toEqual(['993', 'max', 'arr']);
    expect(ids('any where n >= 9007199254740993 and n < 9223372036854775807')).toEqual(['993', 'arr']);
    expect(ids('any where n <= 9007199254740992 and n > 9007199254740991')).toEqual(['992']);
  });

  it('a string against a long field is read exactly; a number against a keyword field is its exact text', () => {
    expect(ids('any where n == "9007199254740993"')).toEqual(['993']);
    expect(ids('any where k == 9007199254740993')).toEqual(['993']);
  });

  it('inside scripts (functions, arithmetic)', () => {
    // (the document holding 2^63 - 1 is kept out where the arithmetic would overflow on it)
    expect(ids('any where e != "e3" and n + 1 == 9007199254740994')).toEqual(['993']);
    expect(ids('any where n - 1 == 9223372036854775806')).toEqual(['max']);
    expect(ids('any where string(n) == "9007199254740993"')).toEqual(['993']);
    expect(ids('any where number(k) == 9007199254740993')).toEqual(['993']);
    expect(ids('any where e != "e3" and n * 2 == 18014398509481986')).toEqual(['993']);
    expect(ids('any where n / 3 == 3002399751580331')).toEqual(['993']);
    expect(ids('any where n % 10 == 3')).toEqual(['993']);
    expect(ids('any where e != "e3" and add(n, 1) == 9007199254740994')).toEqual(['993']);
    expect(ids('any where subtract(n, 9007199254740992) == 1')).toEqual(['993']);
    expect(fails('any where e == "e3" and multiply(n, 2) > 0')).toBe(true);
  });

  it('negating Long.MIN_VALUE is an error (Arithmetics.negate → Math.negateExact)', () => {
    const docs = [ev('min', '{"@timestamp": 1, "n": -9223372036854775808, "m": -9223372036854775807}')];
    expect(() => search(docs, 'any where -n > 0', { schema: long })).toThrow(/long overflow/);
    expect(() => search(docs, 'any where -n > 0')).toThrow(/long overflow/);
    const mapped = schemaFromMappings({ properties: { n: { type: 'long' }, m: { type: 'long' }, '@timestamp': { type: 'date' } } });
    expect((search(docs, 'any where -m == 9223372036854775807', { schema: mapped }).events ?? []).length).toBe(1);
  });

  it('long overflow is an error (Math.addExact), also just below 2^63 where doubles round', () => {
    expect(fails('any where n + 1 > 0')).toBe(true);
    expect(fails('any where e == "e3" and n + 1 > 0')).toBe(true);
  });

  it('sequences join on the exact value', () => {
    const r = search(events, 'sequence by n [any where e == "e1"] [any where e == "e2"]', { schema: long });
    expect(r.sequences ?? []).toEqual([]);
    const same = [
      ev('a', '{"@timestamp": 1, "n": 9007199254740993, "e": "e1"}'),
      ev('b', '{"@timestamp": 2, "n": 9007199254740993, "e": "e2"}'),
    ];
    const s = search(same, 'sequence by n [any where e == "e1"] [any where e == "e2"]', { schema: long }).sequences ?? [];
    expect(s.map((x) => x.events.map((e) => e._id))).toEqual([['a', 'b']]);
    expect(JSON.stringify(s[0]!.join_keys)).toBe('[9007199254740992]');
  });
});

describe('integer literals beyond the long range are doubles', () => {
  it('parse, format back as written', () => {
    const e = parse('any where n == 99999999999999999999');
    expect(format(e)).toBe('any where n == 99999999999999999999');
    expect(format(parse('any where n == 9007199254740993'))).toBe('any where n == 9007199254740993');
  });

  it('a long field: == matches nothing, != everything, a range fails the query', () => {
    expect(ids('any where n == 9223372036854775808')).toEqual([]);
    expect(ids('any where n != 99999999999999999999')).toEqual(['993', '992', 'max', 'arr']);
    expect(fails('any where n < 99999999999999999999')).toBe(true);
    expect(fails('any where n > -99999999999999999999')).toBe(true);
    // without a mapping the comparison is in doubles
    expect(ids('any where n < 99999999999999999999', false)).toEqual(['993', '992', 'max', 'arr']);
  });
});

describe('property: a long field against a long literal, exact for any pair', () => {
  it('agrees with bigint comparison (the oracle) on random longs near and beyond 2^53', () => {
    const big = fc.oneof(
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.bigInt({ min: 2n ** 53n - 4n, max: 2n ** 53n + 4n }),
      fc.bigInt({ min: -(2n ** 53n) - 4n, max: -(2n ** 53n) + 4n }),
    );
    const ops = { '==': (a: bigint, b: bigint) => a === b, '!=': (a: bigint, b: bigint) => a !== b, '<': (a: bigint, b: bigint) => a < b, '>=': (a: bigint, b: bigint) => a >= b } as const;
    fc.assert(
      fc.property(big, big, fc.constantFrom('==', '!=', '<', '>=') as fc.Arbitrary<keyof typeof ops>, fc.boolean(), (a, b, op, mapped) => {
        const docs = [ev('1', `{"@timestamp": 1, "n": ${a.toString()}}`)];
        const hit = (search(docs, `any where n ${op} ${b.toString()}`, mapped ? { schema: long } : {}).events ?? []).length === 1;
        expect([a, op, b, hit]).toEqual([a, op, b, ops[op](a, b)]);
      }),
      { numRuns: 500, seed: 20261205 },
    );
  });
});

describe('property: long arithmetic is exact and fails past the long range (Math.*Exact)', () => {
  it('agrees with bigint arithmetic (the oracle)', () => {
    const MIN = -(2n ** 63n);
    const MAX = 2n ** 63n - 1n;
    const big = fc.oneof(fc.bigInt({ min: MIN, max: MAX }), fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }), fc.bigInt({ min: -5n, max: 5n }));
    const ops = { '+': (a: bigint, b: bigint) => a + b, '-': (a: bigint, b: bigint) => a - b, '*': (a: bigint, b: bigint) => a * b } as const;
    fc.assert(
      fc.property(big, big, fc.constantFrom('+', '-', '*') as fc.Arbitrary<keyof typeof ops>, (a, b, op) => {
        const want = ops[op](a, b);
        const docs = [ev('1', `{"@timestamp": 1, "n": ${a.toString()}, "m": ${b.toString()}}`)];
        const schema = schemaFromMappings({ properties: { n: { type: 'long' }, m: { type: 'long' }, '@timestamp': { type: 'date' } } });
        let got: unknown;
        try {
          // the expected value as a string (keyword-free: string() of the long result)
          got = (search(docs, `any where string(n ${op} m) == "${want.toString()}"`, { schema }).events ?? []).length === 1;
        } catch (e) {
          got = isEqlError(e) ? 'error' : e;
        }
        expect([a, op, b, got]).toEqual([a, op, b, want > MAX || want < MIN ? 'error' : true]);
      }),
      { numRuns: 500, seed: 20261205 },
    );
  });
});

describe('the text of a long has all its digits (Long.toString), not the shortest round-trip of a double', () => {
  it('keyword fields holding longs, number literals against keywords, string()', () => {
    const docs = [ev('1', '{"@timestamp": 1, "k": 27021597764222952, "s": "27021597764222952"}')];
    const schema = schemaFromMappings({ properties: { k: { type: 'keyword' }, s: { type: 'keyword' }, '@timestamp': { type: 'date' } } });
    const n = (q: string) => (search(docs, q, { schema }).events ?? []).length;
    expect(n('any where k == "27021597764222952"')).toBe(1);
    expect(n('any where s == 27021597764222952')).toBe(1);
    expect(n('any where string(27021597764222952) == "27021597764222952"')).toBe(1);
  });
});

describe('the tiebreaker orders longs beyond 2^53 exactly', () => {
  it('events of one timestamp come in event.sequence order', () => {
    const docs = [
      ev('c', '{"@timestamp": 1, "event": {"sequence": 9007199254740995}}'),
      ev('a', '{"@timestamp": 1, "event": {"sequence": 9007199254740992}}'),
      ev('b', '{"@timestamp": 1, "event": {"sequence": 9007199254740993}}'),
    ];
    const r = search(docs, 'any where true', { tiebreakerField: 'event.sequence' });
    expect((r.events ?? []).map((e) => e._id)).toEqual(['a', 'b', 'c']);
  });
});
