/**
 * The engine reads fields through lib/eql/document.ts (the one reader of ECS documents):
 * a path held both by nested objects and by dotted keys has the values of every split, as
 * Elasticsearch indexes both (DotExpandingXContentParser; see document.ts).
 */
import { describe, expect, it } from 'vitest';
import { makeRawAccessor } from './compile';
import { schemaFromMappings } from './schema';
import { expectCondition, type ConditionCases } from './testing/expect-condition';

const schema = schemaFromMappings({ properties: { a: { properties: { b: { properties: { c: { type: 'keyword' } } } } } } });

/** with the mapping and without one */
function check(query: string, cases: ConditionCases): void {
  expectCondition(schema, query, cases);
  expectCondition(undefined, query, cases);
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
