/**
 * Functions Elasticsearch turns into Lucene queries (lib/eql/SEMANTICS.md §2, §4).
 * Source: elastic/elasticsearch x-pack/plugin/eql/src/main/java/org/elasticsearch/xpack/eql/
 * planner/QueryTranslator.java, CaseInsensitiveScalarFunctions.doTranslate (wildcard text =
 * "*" + string + "*" for StringContains, "*" + string for EndsWith, with the function's
 * case-insensitivity) and ql ExpressionTranslators.Scalars.doKnownTranslate (StartsWith →
 * PrefixQuery); Lucene WildcardQuery.toAutomaton (`*`, `?` = one code point, `\` escapes);
 * Elasticsearch AutomatonQueries.toCaseInsensitiveChar (ASCII only).
 */
import { describe, it } from 'vitest';
import { schemaFromMappings } from './schema';
import { expectCondition, type ConditionCases } from './testing/expect-condition';

const schema = schemaFromMappings({ properties: { x: { type: 'keyword' }, y: { type: 'keyword' } } });

const check = (query: string, cases: ConditionCases): void => expectCondition(schema, query, cases);

describe('stringContains / endsWith / startsWith on a field', () => {
  it('* and ? in the text are wildcards; \\ escapes (AWS S3 "Principal=\\\\*" rule)', () => {
    check('stringContains(x, "a*c")', [[{ x: 'xxabbbcxx' }, true], [{ x: 'a*c' }, true], [{ x: 'ab' }, false]]);
    check('stringContains(x, "a?c")', [[{ x: 'abc' }, true], [{ x: 'a😀c' }, true], [{ x: 'ac' }, false]]);
    check('stringContains(x, "Principal=\\\\*")', [
      [{ x: '{"Principal=*"}' }, true],
      [{ x: 'Principal=arn:aws' }, false],
    ]);
    check('endsWith(x, "?.exe")', [[{ x: 'a.exe' }, true], [{ x: '.exe' }, false]]);
  });
  it('an empty text matches every value of the field, but not a missing field', () => {
    check('stringContains(x, "")', [[{ x: 'abc' }, true], [{ x: '' }, true], [{}, false]]);
    check('endsWith(x, "")', [[{ x: 'abc' }, true], [{}, false]]);
  });
  it('startsWith is a prefix query: * is literal', () => {
    check('startsWith(x, "a*")', [[{ x: 'a*b' }, true], [{ x: 'abc' }, false]]);
  });
  it('~ folds ASCII only on the query path', () => {
    check('stringContains~(x, "CMD")', [[{ x: 'a cmd b' }, true]]);
    check('stringContains~(x, "ä")', [[{ x: 'Ä' }, false]]);
    check('startsWith~(x, "CMD")', [[{ x: 'cmd.exe' }, true]]);
  });
  it('any value of a multi-valued field may match', () => {
    check('endsWith(x, ".exe")', [[{ x: ['a.dll', 'b.exe'] }, true], [{ x: ['a.dll'] }, false]]);
  });
  it('not that form keeps documents without the field (must_not)', () => {
    check('not stringContains(x, "a")', [[{}, true], [{ x: 'ba' }, false]]);
  });
  it('inside other expressions the function is a script: literal text, empty text false', () => {
    check('stringContains(x, "a*c") == true and y == "k"', [[{ x: 'abc', y: 'k' }, true]]);
    check('concat(stringContains(x, "a*c"), "") == "false"', [[{ x: 'abc' }, true], [{ x: 'a*c' }, false]]);
    check('concat(stringContains(x, ""), "") == "false"', [[{ x: 'abc' }, true]]);
  });
});
