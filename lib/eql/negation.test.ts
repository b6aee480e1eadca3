/**
 * Negation and missing fields, as Elasticsearch evaluates a filter (lib/eql/SEMANTICS.md §1).
 * Sources (elastic/elasticsearch, x-pack/plugin):
 *  - ql/.../planner/ExpressionTranslators.java, Nots.doTranslate: NotQuery (bool must_not)
 *    around the operand's query; BinaryComparisons.translate: NotEquals → NotQuery(TermQuery).
 *  - ql/.../optimizer/OptimizerRules.java, BooleanSimplification.simplifyNot: a Negatable
 *    comparison is replaced by its negation (`not (x > 5)` → `x <= 5`).
 *  - ql/.../expression/gen/script/Scripts.java, docValuesRewrite: a script's leading `not`
 *    is moved outside the null-safe multi-value loop.
 *  - eql/.../optimizer/Optimizer.java, ReplaceNullChecks: `x == null` → IsNull, `x != null` → IsNotNull.
 *  - ES QA suite test_queries.toml `notExitCodeGtWithHead1`: `not (exit_code > -1)` skips
 *    events without exit_code.
 */
import { describe, it } from 'vitest';
import { schemaFromMappings } from './schema';
import { expectCondition, type ConditionCases } from './testing/expect-condition';

const schema = schemaFromMappings({
  properties: {
    x: { type: 'keyword' },
    n: { type: 'long' },
    ip: { type: 'ip' },
    user: { properties: { id: { type: 'keyword' } } },
    data_stream: { properties: { dataset: { type: 'keyword' } } },
  },
});

function check(query: string, cases: ConditionCases, withSchema = true): void {
  expectCondition(withSchema ? schema : undefined, query, cases);
}

describe('negation over missing fields (must_not semantics)', () => {
  it('field != constant is must_not(term): missing fields match, any equal value excludes', () => {
    check('x != "a"', [
      [{}, true],
      [{ x: null }, true],
      [{ x: 'a' }, false],
      [{ x: 'b' }, true],
      [{ x: ['a', 'b'] }, false],
      [{ x: ['b', 'c'] }, true],
    ]);
    check('"a" != x', [[{}, true], [{ x: 'a' }, false]]);
  });
  it('not (field == constant) is the same must_not', () => {
    check('not x == "a"', [[{}, true], [{ x: 'a' }, false], [{ x: ['a', 'b'] }, false], [{ x: 'b' }, true]]);
    check('not (x == "a")', [[{}, true]]);
  });
  it('not in is Not(In): must_not(terms)', () => {
    check('x not in ("a", "b")', [[{}, true], [{ x: 'a' }, false], [{ x: 'c' }, true], [{ x: ['c', 'b'] }, false]]);
    check('not x in ("a", "b")', [[{}, true], [{ x: 'a' }, false]]);
    check('x not in~ ("A")', [[{}, true], [{ x: 'a' }, false]]);
  });
  it('not over a range comparison is the opposite range: missing fields do not match', () => {
    check('not (n > 5)', [[{}, false], [{ n: 7 }, false], [{ n: 5 }, true], [{ n: [3, 7] }, true]]);
    check('not n >= 5', [[{}, false], [{ n: 4 }, true]]);
    check('not n < 5', [[{}, false], [{ n: 5 }, true]]);
    check('not not n > 5', [[{}, false], [{ n: 6 }, true]]);
  });
  it('not over wildcard, regex, function and cidr queries is must_not', () => {
    check('not x : "a*"', [[{}, true], [{ x: 'Abc' }, false], [{ x: 'b' }, true]]);
    check('not x like "a*"', [[{}, true], [{ x: 'Abc' }, true]]);
    check('not x regex "a.*"', [[{}, true], [{ x: 'abc' }, false]]);
    check('not stringContains(x, "b")', [[{}, true], [{ x: 'abc' }, false]]);
    check('not startsWith(x, "a")', [[{}, true], [{ x: 'abc' }, false]]);
    check('not cidrMatch(ip, "10.0.0.0/8")', [[{}, true], [{ ip: '10.1.2.3' }, false], [{ ip: '192.168.0.1' }, true]]);
  });
  it('a script comparison negated stays a script: null does not match', () => {
    // Not(GreaterThan(length(x), 3)) → LessThanOrEqual(length(x), 3) → script, null → no match
    check('not length(x) > 3', [[{}, false], [{ x: 'ab' }, true], [{ x: 'abcd' }, false]]);
    // NotEquals with a function on the left is a script (no field on the left): null → no match
    check('length(x) != 3', [[{}, false], [{ x: 'ab' }, true]]);
  });
  it('not over a conjunction is must_not(bool)', () => {
    check('not (x == "a" and n > 1)', [[{}, true], [{ x: 'a', n: 2 }, false], [{ x: 'a' }, true]]);
  });
  it("Elastic's PowerShell carve-out keeps events without user.id", () => {
    const q = 'x == "p" and not (?user.id == "S-1-5-18" and not data_stream.dataset : "windows.sysmon")';
    check(q, [
      [{ x: 'p' }, true],
      [{ x: 'p', user: { id: 'S-1-5-18' } }, false],
      [{ x: 'p', user: { id: 'S-1-5-18' }, data_stream: { dataset: 'windows.sysmon' } }, true],
      [{ x: 'p', user: { id: 'S-1-5-21' } }, true],
    ]);
  });
  it('constant expressions fold three-valued; comparisons with a null literal are presence tests', () => {
    // ?missing is the null literal; ReplaceNullChecks: null == "a" → IsNull("a") → false
    check('?missing == "a"', [[{}, false]]);
    check('?missing != "a"', [[{}, true]]);
    check('not ?missing == "a"', [[{}, true]]);
    // GreaterThan(null, 5) folds to null: the filter is pruned, negated or not
    check('not (?missing > 5)', [[{}, false], [{ n: 1 }, false]]);
    check('x != null', [[{}, false], [{ x: 'a' }, true]]);
    check('not x == null', [[{}, false], [{ x: 'a' }, true]]);
  });
  it('without a schema the same rules hold', () => {
    check('x != "a"', [[{}, true], [{ x: 'a' }, false]], false);
    check('not (n > 5)', [[{}, false], [{ n: 2 }, true]], false);
  });
});
