/**
 * The engine reads fields through lib/eql/document.ts (the one reader of ECS documents):
 * a path held both by nested objects and by dotted keys has the values of every split, as
 * Elasticsearch indexes both (DotExpandingXContentParser; see document.ts).
 */
import { describe, expect, it } from 'vitest';
import { compileCondition, makeRawAccessor, type CompileContext } from './compile';
import { parseExpression } from './parser';
import { schemaFromMappings } from './schema';

const schema = schemaFromMappings({ properties: { a: { properties: { b: { properties: { c: { type: 'keyword' } } } } } } });

function check(query: string, cases: Array<[Record<string, unknown>, boolean]>): void {
  for (const base of [{ timestampField: '@timestamp', schema }, { timestampField: '@timestamp' }] as CompileContext[]) {
    const expr = parseExpression(query);
    for (const f of [compileCondition(expr, base), compileCondition(expr, { ...base, codegen: false })]) {
      for (const [doc, want] of cases) expect({ query, doc, got: f(doc) }).toEqual({ query, doc, got: want });
    }
  }
}

describe('field reads go through document.ts', () => {
  it('a path held nested and dotted has both values', () => {
    const doc = { a: { b: 'x' }, 'a.b': 'y' };
    expect(makeRawAccessor('a.b')(doc)).toEqual(['x', 'y']);
    check('a.b == "y"', [[doc, true]]);
    check('a.b == "x"', [[doc, true]]);
    check('a.b != "x"', [[doc, false]]);
    check('a.b : "Y"', [[doc, true]]);
    check('a.b in ("y")', [[doc, true]]);
  });
  it('three-part paths: every split', () => {
    const doc = { a: { b: { c: 'x' }, 'b.c': 'y' }, 'a.b.c': 'z' };
    expect(makeRawAccessor('a.b.c')(doc)).toEqual(['x', 'y', 'z']);
    check('a.b.c == "z"', [[doc, true], [{ a: { b: { c: 'z' } } }, true], [{ 'a.b': { c: 'z' } }, true]]);
    check('a.b.c == "q"', [[doc, false]]);
  });
  it('an explicit null is still null (for null_value), a missing path undefined', () => {
    expect(makeRawAccessor('a.b')({ a: { b: null } })).toBeNull();
    expect(makeRawAccessor('a.b')({ a: {} })).toBeUndefined();
  });
});
