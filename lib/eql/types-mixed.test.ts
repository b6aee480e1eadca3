/**
 * A constant of another type than the field (lib/eql/SEMANTICS.md §8): the translator emits
 * the term/range query with the literal as is (ql ExpressionTranslators.BinaryComparisons,
 * InComparisons), and the field's own query converts it — a keyword field searches the
 * number's text (KeywordFieldMapper.KeywordFieldType.indexedValueForSearch), a numeric field
 * parses the string (NumberFieldMapper.NumberType.parse; not a number → the query fails).
 */
import { describe, expect, it } from 'vitest';
import { EqlError } from './errors';
import { search } from './search';
import { schemaFromMappings } from './schema';

const schema = schemaFromMappings({ properties: { k: { type: 'keyword' }, n: { type: 'long' }, '@timestamp': { type: 'date' } } });
const events = [{ _index: 'i', _id: '1', _source: { '@timestamp': 1, k: '123', n: 7 } }];
const count = (q: string) => search(events, q, { schema }).events?.length;

describe('keyword == 123 and long == "7"', () => {
  it('are converted by the field, not refused and not false', () => {
    expect(count('any where k == 123')).toBe(1);
    expect(count('any where k != 123')).toBe(0);
    expect(count('any where k in (5, 123)')).toBe(1);
    expect(count('any where n == "7"')).toBe(1);
    expect(count('any where n in ("7", "8")')).toBe(1);
    expect(count('any where n > "6"')).toBe(1);
    expect(count('any where k > 100')).toBe(1); // keyword order: "123" > "100"
    expect(count('any where k > 2')).toBe(0); // keyword order: "123" < "2"
  });
  it('a decimal string against a long field: == matches nothing, a range rounds (LONG.termQuery hasDecimalPart, longRangeQuery)', () => {
    expect(count('any where n == "7.5"')).toBe(0);
    expect(count('any where n != "7.5"')).toBe(1);
    expect(count('any where n < "7.5"')).toBe(1);
    expect(count('any where n > "6.5"')).toBe(1);
    expect(count('any where n > "7.5"')).toBe(0);
  });
  it('a string that is not a number against a long field fails the query', () => {
    expect(() => count('any where n == "seven"')).toThrow(EqlError);
  });
});
