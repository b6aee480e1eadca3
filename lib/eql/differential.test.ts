/**
 * Differential property test: the engine's two back ends (the closure tree and the generated
 * code) agree on random filters over random documents -- missing fields, explicit nulls,
 * arrays, dotted and nested keys, non-ASCII and non-BMP text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, type CompileContext } from './compile';
import { ExactLong } from './document';
import { parseExpression } from './parser';
import { schemaFromMappings } from './schema';

const texts = ['x', 'X', 'xy', 'p', 'a*c', 'abc', 'é', 'É', '😀', 'a😀c', '', 'Principal=*'];
const text = fc.constantFrom(...texts);
const quoted = text.map((t) => JSON.stringify(t));
const field = fc.constantFrom('a', 'b', 'a.b', 'c', 'n');

const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(field, fc.constantFrom('==', '!='), quoted).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.tuple(field, fc.constantFrom('>', '<=', '=='), fc.integer({ min: -1, max: 3 })).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.tuple(field, fc.constantFrom(':', 'like', 'like~'), fc.array(text, { minLength: 1, maxLength: 3 })).map(
    ([f, op, vs]) => `${f} ${op} (${vs.map((v) => JSON.stringify(v.replace(/x/g, '*'))).join(', ')})`,
  ),
  fc.tuple(field, fc.constantFrom('in', 'not in', 'in~', 'not in~'), fc.array(text, { minLength: 1, maxLength: 3 })).map(
    ([f, op, vs]) => `${f} ${op} (${vs.map((v) => JSON.stringify(v)).join(', ')})`,
  ),
  fc.tuple(fc.constantFrom('stringContains', 'endsWith', 'startsWith', 'stringContains~', 'startsWith~'), field, quoted).map(
    ([fn, f, v]) => `${fn}(${f}, ${v})`,
  ),
  fc.tuple(field, fc.constantFrom('regex', 'regex~'), fc.constantFrom('x.*', '.', 'a.c', '[a-z]+', '~(x)', '.*&~(.*y.*)')).map(
    ([f, op, v]) => `${f} ${op} ${JSON.stringify(v)}`,
  ),
  fc.tuple(field, fc.constantFrom('== null', '!= null')).map(([f, t]) => `${f} ${t}`),
  fc.tuple(field).map(([f]) => `length(${f}) > 1`),
  fc.tuple(field, fc.constantFrom('==', '!=', '>', '<='), fc.constantFrom('9007199254740992', '9007199254740993')).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.constantFrom('?missing == "x"', '?missing != "x"', 'not (?missing > 1)', 'true', 'false', 'stringContains(a, "x") == false'),
);

const condition: fc.Arbitrary<string> = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('expr').map((e) => `not (${e as string})`),
    fc.tuple(tie('expr'), fc.constantFrom('and', 'or'), tie('expr')).map(([l, op, r]) => `(${l as string}) ${op} (${r as string})`),
  ),
})).expr as fc.Arbitrary<string>;

const value = fc.oneof(
  text,
  fc.integer({ min: -1, max: 3 }),
  fc.constant(null),
  // longs beyond 2^53 as a stored document holds them (parseDocumentJson)
  fc.constantFrom(9007199254740992, new ExactLong(9007199254740993n)),
  fc.array(fc.oneof(text, fc.integer({ min: 0, max: 2 }), fc.constant(null)), { maxLength: 3 }),
);
const doc = fc.record(
  {
    a: fc.oneof(value, fc.record({ b: value }, { requiredKeys: [] }), fc.array(fc.record({ b: value }), { maxLength: 2 })),
    'a.b': value,
    b: value,
    c: value,
    n: value,
  },
  { requiredKeys: [] },
);

const schemas = [
  undefined,
  schemaFromMappings({
    properties: { a: { properties: { b: { type: 'keyword' } } }, b: { type: 'keyword' }, c: { type: 'keyword' }, n: { type: 'long' } },
  }),
];

function outcome(f: () => boolean): unknown {
  try {
    return f();
  } catch (e) {
    return `error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

describe('closure and generated back ends agree', () => {
  for (const schema of schemas) {
    it(`on random filters and documents (${schema ? 'with' : 'without'} a mapping)`, () => {
      fc.assert(
        fc.property(condition, fc.array(doc, { minLength: 1, maxLength: 6 }), (q, docs) => {
          let expr;
          try {
            expr = parseExpression(q);
          } catch {
            return; // a generated text the grammar refuses: nothing to compare
          }
          const base: CompileContext = { timestampField: '@timestamp', ...(schema ? { schema } : {}) };
          let gen: (s: Record<string, unknown>) => boolean;
          let ref: (s: Record<string, unknown>) => boolean;
          try {
            gen = compileCondition(expr, base);
            ref = compileCondition(expr, { ...base, codegen: false });
          } catch {
            return;
          }
          expect(gen.name).toBe('condition');
          for (const d of docs) expect([q, d, outcome(() => gen(d))]).toEqual([q, d, outcome(() => ref(d))]);
        }),
        { numRuns: 400, seed: 20261204 },
      );
    });
  }
});
