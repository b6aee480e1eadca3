import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, javaDouble, type CompileContext } from './compile';
import { parseExpression } from './parser';
import { schemaFromMappings } from './schema';

const conditions = [
  'a == "x"',
  'a != "x"',
  'not a == "x"',
  'a : ("x*", "Y") and not b in ("p", "q")',
  'a == "x" or b : "p?" or c > 2',
  'not (a like~ "X" or b not in ("p"))',
  'a == null or not b == "q"',
  'a.b == "x" and not a.c : "*y"',
  'a in ("x", "y") and (b == "p" or not c == 1)',
  'a regex "x.*" or b == "p"',
];

const value = fc.oneof(
  fc.constantFrom('x', 'X', 'y', 'p', 'q', 'pq', 'xy'),
  fc.integer({ min: 0, max: 3 }),
  fc.constant(null),
  fc.array(fc.constantFrom('x', 'p', 'Y'), { maxLength: 2 }),
);
const source = fc.record(
  {
    a: fc.oneof(value, fc.record({ b: value, c: value }, { requiredKeys: [] })),
    b: value,
    c: value,
    'a.b': value,
  },
  { requiredKeys: [] },
);

describe('generated conditions', () => {
  it('agree with the closure tree on random events (with and without a schema)', () => {
    const schemas = [undefined, schemaFromMappings({ properties: { a: { type: 'keyword' }, b: { type: 'keyword' }, c: { type: 'long' } } })];
    const compiled = schemas.flatMap((schema) =>
      conditions.map((c) => {
        const expr = parseExpression(c);
        const base: CompileContext = { timestampField: '@timestamp', ...(schema ? { schema } : {}) };
        return { c, gen: compileCondition(expr, base), ref: compileCondition(expr, { ...base, codegen: false }) };
      }),
    );
    fc.assert(
      fc.property(source, (src) => {
        for (const { gen, ref } of compiled) {
          let r: unknown;
          let gr: unknown;
          try {
            r = ref(src as Record<string, unknown>);
          } catch (e) {
            r = e instanceof Error ? e.message : e;
          }
          try {
            gr = gen(src as Record<string, unknown>);
          } catch (e) {
            gr = e instanceof Error ? e.message : e;
          }
          expect(gr).toBe(r);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('is really generated (and not with codegen: false)', () => {
    const expr = parseExpression('a == "x" and b : "y*"');
    expect(compileCondition(expr, { timestampField: '@timestamp' }).name).toBe('condition');
    expect(compileCondition(expr, { timestampField: '@timestamp', codegen: false }).name).not.toBe('condition');
  });
  it('not a == "x" is must_not(term): a missing field matches (ql ExpressionTranslators.Nots / NotEquals)', () => {
    const f = compileCondition(parseExpression('not a == "x"'), { timestampField: '@timestamp' });
    expect(f({})).toBe(true);
    expect(f({ a: 'y' })).toBe(true);
    expect(f({ a: 'x' })).toBe(false);
    expect(f({ 'a': ['x', 'y'] })).toBe(false);
  });
});

describe('double text', () => {
  it('follows Java Double.toString', () => {
    expect(javaDouble(1)).toBe('1.0');
    expect(javaDouble(2.5)).toBe('2.5');
    expect(javaDouble(1e7)).toBe('1.0E7');
    expect(javaDouble(1.5e-4)).toBe('1.5E-4');
    expect(javaDouble(-0.001)).toBe('-0.001');
  });
  it('string() and concat() of a double field print like ES', () => {
    const schema = schemaFromMappings({ properties: { d: { type: 'double' }, n: { type: 'long' } } });
    const f = compileCondition(parseExpression('string(d) == "2.0" and concat(n, "/", d) == "2/2.0"'), { timestampField: '@timestamp', schema });
    expect(f({ d: 2, n: 2 })).toBe(true);
  });
});
