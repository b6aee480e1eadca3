/**
 * Date comparisons with incomplete date strings (lib/eql/SEMANTICS.md §9).
 * Source: elastic/elasticsearch server/src/main/java/org/elasticsearch/index/mapper/
 * DateFieldMapper.java, DateFieldType.termQuery → rangeQuery(value, value, true, true) and
 * dateRangeQuery (lower bound parsed rounding down unless exclusive, upper bound rounding
 * up unless exclusive; JavaDateMathParser fills missing fields with their maximum when
 * rounding up); ql ExpressionTranslators.BinaryComparisons turns ==, <, <=, >, >= with a
 * string constant into a term or range query.
 */
import { describe, expect, it } from 'vitest';
import { schemaFromMappings } from './schema';
import { expectCondition, type ConditionCases } from './testing/expect-condition';
import { dateBounds } from './values';

const schema = schemaFromMappings({ properties: { '@timestamp': { type: 'date' } } });
const ts = (iso: string) => ({ '@timestamp': iso });

const check = (query: string, cases: ConditionCases): void => expectCondition(schema, query, cases);

describe('incomplete date strings are rounded like Elasticsearch range/term queries', () => {
  it('bounds of a date string at its precision', () => {
    expect(dateBounds('2024-01-01')).toEqual({ lo: Date.UTC(2024, 0, 1), hi: Date.UTC(2024, 0, 2) - 1e-3 });
    expect(dateBounds('2024-02')).toEqual({ lo: Date.UTC(2024, 1, 1), hi: Date.UTC(2024, 2, 1) - 1e-3 });
    expect(dateBounds('2024-01-01T12:00:00Z')!.hi).toBeCloseTo(Date.UTC(2024, 0, 1, 12) + 999.999, 3);
    expect(dateBounds('2024-01-01T12:00:00.5Z')!.hi).toBeCloseTo(Date.UTC(2024, 0, 1, 12) + 599.999, 3);
    expect(dateBounds('1704067200000')).toBeNull();
  });
  it('== a day matches any instant of that day', () => {
    check('@timestamp == "2024-01-01"', [
      [ts('2024-01-01T00:00:00.000Z'), true],
      [ts('2024-01-01T23:59:59.999Z'), true],
      [ts('2024-01-02T00:00:00.000Z'), false],
    ]);
  });
  it('== a second matches its sub-second values; > excludes them', () => {
    check('@timestamp == "2024-01-01T12:00:00Z"', [[ts('2024-01-01T12:00:00.500Z'), true], [ts('2024-01-01T12:00:01.000Z'), false]]);
    check('@timestamp > "2024-01-01T12:00:00Z"', [[ts('2024-01-01T12:00:00.500Z'), false], [ts('2024-01-01T12:00:01.000Z'), true]]);
    check('@timestamp >= "2024-01-01T12:00:00Z"', [[ts('2024-01-01T12:00:00.000Z'), true], [ts('2024-01-01T11:59:59.999Z'), false]]);
    check('@timestamp < "2024-01-01"', [[ts('2023-12-31T23:59:59.999Z'), true], [ts('2024-01-01T00:00:00.000Z'), false]]);
    check('@timestamp <= "2024-01-01"', [[ts('2024-01-01T23:59:59.999Z'), true], [ts('2024-01-02T00:00:00.000Z'), false]]);
    check('"2024-01-01" < @timestamp', [[ts('2024-01-01T23:00:00Z'), false], [ts('2024-01-02T00:00:00Z'), true]]);
  });
  it('in with date strings rounds each term; epoch numbers are exact', () => {
    check('@timestamp in ("2024-01-01", "2024-03-05")', [[ts('2024-03-05T08:00:00Z'), true], [ts('2024-03-06T08:00:00Z'), false]]);
    check(`@timestamp == ${Date.UTC(2024, 0, 1)}`, [[ts('2024-01-01T00:00:00.000Z'), true], [ts('2024-01-01T00:00:00.001Z'), false]]);
  });
  it('!= a day is must_not of the day', () => {
    check('@timestamp != "2024-01-01"', [[ts('2024-01-01T10:00:00Z'), false], [ts('2024-01-02T10:00:00Z'), true], [{}, true]]);
  });
});
