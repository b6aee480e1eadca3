/**
 * lib/eql/document: the one reader of an ECS document. Expected values are written out from
 * Elasticsearch's rules (see the module comment for the sources), not computed by the reader.
 */
import { describe, expect, it } from 'vitest';
import { fieldExists, fieldValues, firstString, getField, parseTimestamp, rawFieldValues, timestampIso } from '@/lib/eql';

describe('document reader: fields', () => {
  it('reads nested objects and dotted keys alike, and every way a path is split', () => {
    expect(fieldValues({ process: { name: 'a' } }, 'process.name')).toEqual(['a']);
    expect(fieldValues({ 'process.name': 'a' }, 'process.name')).toEqual(['a']);
    expect(fieldValues({ process: { 'parent.name': 'p' } }, 'process.parent.name')).toEqual(['p']);
    expect(fieldValues({ 'process.parent': { name: 'p' } }, 'process.parent.name')).toEqual(['p']);
    // the same path written twice: ES indexes both values under the one field
    expect(fieldValues({ process: { name: 'a' }, 'process.name': 'b' }, 'process.name')).toEqual(['a', 'b']);
    expect(fieldValues({ 'process.name': 'b', process: { name: 'a' } }, 'process.name')).toEqual(['a', 'b']); // shortest key first
  });

  it('flattens arrays at any depth, arrays of objects too', () => {
    expect(fieldValues({ a: [{ b: 1 }, { b: [2, [3]] }] }, 'a.b')).toEqual([1, 2, 3]);
    expect(fieldValues({ tags: ['x', ['y', null]] }, 'tags')).toEqual(['x', 'y']);
  });

  it('null, [] and [null] are missing; the empty string and false are values', () => {
    for (const v of [null, [], [null], undefined]) {
      expect(fieldValues({ a: v }, 'a')).toEqual([]);
      expect(fieldExists({ a: v }, 'a')).toBe(false);
      expect(getField({ a: v }, 'a')).toBeUndefined();
      expect(firstString({ a: v }, 'a')).toBeNull();
    }
    expect(fieldValues({ a: '' }, 'a')).toEqual(['']);
    expect(fieldExists({ a: false }, 'a')).toBe(true);
    expect(firstString({ a: 0 }, 'a')).toBe('0');
  });

  it('an object is not a value, but exists on it is true when a field below has one', () => {
    expect(fieldValues({ process: { name: 'a' } }, 'process')).toEqual([]);
    expect(fieldExists({ process: { name: 'a' } }, 'process')).toBe(true);
    expect(fieldExists({ process: { name: null } }, 'process')).toBe(false);
    expect(fieldExists({ process: {} }, 'process')).toBe(false);
  });

  it('does not read inherited properties or walk into strings', () => {
    expect(fieldValues({}, 'constructor')).toEqual([]);
    expect(fieldValues({ a: 'xyz' }, 'a.length')).toEqual([]);
    expect(rawFieldValues({ a: { b: 1 } }, '')).toEqual([]);
  });

  it('stays polynomial on a document built to multiply the ways a path splits', () => {
    // every prefix of a.a.a… exists as a key at every level: the naive all-splits walk is exponential
    const depth = 24;
    const path = Array(depth).fill('a').join('.');
    let doc: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < depth; level++) {
      const node: Record<string, unknown> = {};
      for (let k = 1; k <= 3; k++) node[Array(k).fill('a').join('.')] = doc;
      doc = node;
    }
    const t0 = performance.now();
    rawFieldValues(doc, path);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('document reader: timestamps (strict_date_optional_time||epoch_millis, UTC when zone-less)', () => {
  it.each([
    ['2024-05-21T10:00:00Z', '2024-05-21T10:00:00.000Z'],
    ['2024-05-21T10:00:00', '2024-05-21T10:00:00.000Z'],
    ['2024-05-21 10:00:00', '2024-05-21T10:00:00.000Z'],
    ['2024-05-21T10:00', '2024-05-21T10:00:00.000Z'],
    ['2024-05-21T10', '2024-05-21T10:00:00.000Z'],
    ['2024-05-21', '2024-05-21T00:00:00.000Z'],
    ['2024-05', '2024-05-01T00:00:00.000Z'],
    ['2024', '2024-01-01T00:00:00.000Z'],
    ['2024-05-21T10:00:00.123456789Z', '2024-05-21T10:00:00.123Z'],
    ['2024-05-21T10:00:00,5', '2024-05-21T10:00:00.500Z'],
    ['2024-05-21T10:00:00+08:00', '2024-05-21T02:00:00.000Z'],
    ['2024-05-21T10:00:00+0800', '2024-05-21T02:00:00.000Z'],
    ['2024-05-21T10:00:00-05', '2024-05-21T15:00:00.000Z'],
    ['1716285600000', '2024-05-21T10:00:00.000Z'],
    [1716285600000, '2024-05-21T10:00:00.000Z'],
    [1716285600000.9, '2024-05-21T10:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(timestampIso(input)).toBe(expected);
  });

  it.each(['2024-02-30T00:00:00Z', '2024-02-30T00:00:00.000Z', '2023-02-29T00:00:00.000Z', '2024-05-21T24:00:00.000Z', '2024-05-21T24:00:00Z', '2024-13-01', 'May 21 2024', '2024-05-21T10:00:00 GMT+0800', '', 'now', '2024-05-21T10:00:00+19:00'])(
    'refuses %j',
    (input) => {
      expect(parseTimestamp(input)).toBeNull();
    },
  );

  it('reads the first readable value of an array', () => {
    expect(timestampIso([null, 'x', '2024-05-21T10:00:00'])).toBe('2024-05-21T10:00:00.000Z');
  });
});
