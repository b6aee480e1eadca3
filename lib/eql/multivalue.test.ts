/**
 * Multi-valued fields (lib/eql/SEMANTICS.md §3).
 * Sources: elastic/elasticsearch x-pack/plugin/ql/src/main/java/org/elasticsearch/xpack/ql/
 * optimizer/OptimizerRules.java, PropagateEquals.propagate(And) (different equalities of
 * one field → FALSE; a comparison the equality contradicts → FALSE, one it satisfies is
 * removed) and propagate(Or) (`a = 2 OR a != 5` → `a != 5`; `a = 2 OR a != 2` → TRUE), CombineBinaryComparisons (a lower and an upper bound of one field become one
 * Range); ql/expression/gen/script/Scripts.java docValuesRewrite and eql
 * InternalEqlScriptUtils.multiValueDocValues (a script runs for every combination of values).
 */
import { describe, it } from 'vitest';
import { schemaFromMappings } from './schema';
import { expectCondition, type ConditionCases } from './testing/expect-condition';

const schema = schemaFromMappings({ properties: { x: { type: 'keyword' }, y: { type: 'keyword' }, n: { type: 'long' } } });

const check = (query: string, cases: ConditionCases): void => expectCondition(schema, query, cases);

describe('multi-valued fields', () => {
  it('contradictory equalities of one field in a conjunction never match (PropagateEquals)', () => {
    check('x == "a" and x == "b"', [[{ x: ['a', 'b'] }, false]]);
    check('x == "a" and y == "k" and x == "b"', [[{ x: ['a', 'b'], y: 'k' }, false]]);
    check('n == 5 and n > 10', [[{ n: [5, 20] }, false]]);
    check('x == "a" and not x == "a"', [[{ x: ['a', 'b'] }, false]]);
    check('(x == "a" and y == "k") and x == "b"', [[{ x: ['a', 'b'], y: 'k' }, false]]); // Predicates.splitAnd
  });
  it('a comparison the equality satisfies is dropped', () => {
    check('x == "a" and x != "b"', [[{ x: ['a', 'b'] }, true]]);
    check('n == 5 and n < 10', [[{ n: [5, 20] }, true]]);
  });
  it('the same equalities apart, in a disjunction, still see any value', () => {
    check('x == "a" or x == "b"', [[{ x: ['a', 'b'] }, true]]);
    check('x == "a" and (y == "k")', [[{ x: ['a', 'b'], y: 'k' }, true]]);
  });
  it('in a disjunction an equality beside a != of another value of the field is dropped (PropagateEquals.propagate(Or))', () => {
    // `x == "a" or x != "b"` is `x != "b"`: must_not(term b), so ["a", "b"] does not match
    check('x == "a" or x != "b"', [[{ x: ['a', 'b'] }, false], [{ x: 'a' }, true], [{ x: 'b' }, false], [{}, true]]);
    check('y == "k" or x == "a" or not x == "b"', [[{ x: ['a', 'b'] }, false], [{ x: ['a', 'b'], y: 'k' }, true]]);
    check('n == 5 or n != 7', [[{ n: [5, 7] }, false], [{ n: 5 }, true]]);
    // `x == "a" or x != "a"` is TRUE
    check('x == "a" or x != "a"', [[{ x: ['a', 'b'] }, true], [{}, true], [{ x: 'b' }, true]]);
    // an equality with another field, or of another type, stays
    check('x == "a" or y != "b"', [[{ x: ['a'], y: 'b' }, true]]);
    check('n == 5 or n != "7"', [[{ n: [5, 7] }, true]]);
  });
  it('a lower and an upper bound of one field are one range (CombineBinaryComparisons)', () => {
    check('n > 1 and n < 5', [[{ n: [0, 9] }, false], [{ n: [0, 3] }, true], [{ n: 3 }, true], [{}, false]]);
    check('n >= 2 and n > 1 and n <= 4 and x == "k"', [[{ n: [1, 5], x: 'k' }, false], [{ n: [2, 9], x: 'k' }, true]]);
    check('n > 1 and not n >= 5', [[{ n: [0, 9] }, false], [{ n: 4 }, true]]);
    check('n > 1 and y == "k"', [[{ n: [0, 9], y: 'k' }, true]]);
    check('not (n > 1 and n < 5)', [[{ n: [0, 9] }, true], [{ n: 3 }, false]]);
  });
  it('a function sees every combination of the values of its later arguments', () => {
    check('concat(x, y) == "ad"', [
      [{ x: ['a', 'b'], y: ['c', 'd'] }, true],
      [{ x: 'b', y: ['c', 'd'] }, false],
    ]);
    check('indexOf(x, y) == 1', [[{ x: 'abc', y: ['c', 'b'] }, true]]);
  });
});
