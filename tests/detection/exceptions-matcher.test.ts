/**
 * One exception matcher (issue 13 High 2, issue 14): the embedded store's search, the
 * detection run's fake sources and "close matching alerts" all evaluate exceptions with
 * lib/events/exception-match, with Elasticsearch's rules (expected values written from
 * them, see the module comment), in time bounded by value × pattern length.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExceptionEntry, ExceptionItem } from '@/lib/events/types';
import { exceptionFilter } from '@/lib/events/embedded/source';
import { entryMatches, foldCase, isExcepted, MAX_KEYWORD_LENGTH } from '@/lib/events/exception-match';
import { exceptionMatchesAlert } from '@/lib/detection/exceptions';

const item = (...entries: ExceptionEntry[]): ExceptionItem[] => [{ id: 'x', entries }];
const store = (doc: Record<string, unknown>, items: ExceptionItem[]) => exceptionFilter(items)?.(doc) ?? false;
const close = (doc: Record<string, unknown>, items: ExceptionItem[]) =>
  exceptionMatchesAlert(items[0]!.entries, { event: { _index: 'i', _id: '1', _source: doc }, sequenceEvents: null });

describe('the store and close-matching give the same answers, Elasticsearch\'s', () => {
  const cases: [string, Record<string, unknown>, ExceptionItem[], boolean][] = [
    // wildcard with case_insensitive: per code point, Unicode (not ASCII only)
    ['unicode case', { process: { name: 'ÄBC.EXE' } }, item({ field: 'process.name', operator: 'matches', values: ['äbc*'] }), true],
    ['greek case', { user: { name: 'ΣΩΚΡΑΤΗΣ' } }, item({ field: 'user.name', operator: 'matches', values: ['σωκρατ?σ'] }), true],
    // the same path written nested and dotted: both values are the field's
    ['dotted + nested', { process: { name: 'a.exe' }, 'process.name': 'b.exe' }, item({ field: 'process.name', operator: 'is', values: ['b.exe'] }), true],
    ['arrays of objects', { process: [{ name: 'a.exe' }, { name: 'b.exe' }] }, item({ field: 'process.name', operator: 'is', values: ['b.exe'] }), true],
    // is / is_one_of are exact (keyword term)
    ['is is case-sensitive', { process: { name: 'LSASS.exe' } }, item({ field: 'process.name', operator: 'is', values: ['lsass.exe'] }), false],
    ['numbers as keywords', { process: { pid: 4 } }, item({ field: 'process.pid', operator: 'is_one_of', values: ['3', '4'] }), true],
    // backslashes are literal
    ['windows path', { file: { path: 'C:\\Temp\\a.dll' } }, item({ field: 'file.path', operator: 'matches', values: ['c:\\temp\\*.DLL'] }), true],
    // null and [] are missing: exists false, negated exists true
    ['null is missing', { file: { hash: null } }, item({ field: 'file.hash', operator: 'exists', values: [] }), false],
    ['negated on missing', { host: { name: 'h' } }, item({ field: 'user.name', operator: 'is', values: ['x'], negate: true }), true],
    ['exists on an object with a value below', { process: { parent: { name: 'p' } } }, item({ field: 'process.parent', operator: 'exists', values: [] }), true],
    // beyond ECS keyword ignore_above (1024) a value is not indexed: no wildcard matches it
    ['over-long value', { process: { command_line: 'x'.repeat(MAX_KEYWORD_LENGTH + 1) } }, item({ field: 'process.command_line', operator: 'matches', values: ['*'] }), false],
  ];
  for (const [name, doc, items, expected] of cases) {
    it(name, () => {
      expect(store(doc, items)).toBe(expected);
      expect(close(doc, items)).toBe(expected);
      expect(isExcepted(doc, items)).toBe(expected);
    });
  }

  it('agree on random documents and entries', () => {
    const word = fc.constantFrom('a.exe', 'A.EXE', 'Ä.exe', 'ä.EXE', '', 'x', 'σ', 'Σ', '😀');
    const value = fc.oneof(word, fc.constant(null), fc.array(word, { maxLength: 2 }), fc.integer({ min: 0, max: 3 }));
    const doc = fc.record({ nested: value, dotted: value, shape: fc.constantFrom('nested', 'dotted', 'both', 'array') }).map(({ nested, dotted, shape }) => {
      const d: Record<string, unknown> = {};
      if (shape === 'nested' || shape === 'both') d.process = { name: nested };
      if (shape === 'dotted' || shape === 'both') d['process.name'] = dotted;
      if (shape === 'array') d.process = [{ name: nested }, { name: dotted }];
      return d;
    });
    const entry = fc.record({
      field: fc.constant('process.name'),
      operator: fc.constantFrom('is', 'is_one_of', 'matches', 'exists') as fc.Arbitrary<ExceptionEntry['operator']>,
      values: fc.array(fc.oneof(word, fc.constantFrom('*', '?.exe', '*.EXE', 'ä*', '1')), { minLength: 1, maxLength: 2 }),
      negate: fc.boolean(),
    });
    fc.assert(
      fc.property(doc, fc.array(entry, { minLength: 1, maxLength: 2 }), (d, entries) => {
        const items = [{ id: 'i', entries }];
        const a = store(d, items);
        expect(close(d, items)).toBe(a);
        expect(isExcepted(d, items)).toBe(a);
      }),
      { numRuns: 2000, seed: 1204 },
    );
  });
});

describe('cost', () => {
  it('`************!` over a 28-character value, and 1024-character adversarial patterns, in linear-ish time', () => {
    const t0 = performance.now();
    expect(entryMatches({ h: 'a'.repeat(28) }, { field: 'h', operator: 'matches', values: ['************!'] })).toBe(false);
    const pattern = '*a'.repeat(511) + '!';
    for (let i = 0; i < 20; i++) entryMatches({ h: 'a'.repeat(MAX_KEYWORD_LENGTH) }, { field: 'h', operator: 'matches', values: [pattern] });
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('foldCase', () => {
  it('folds one code point to one, as Java Character.toLowerCase', () => {
    expect(foldCase('ÄBC İ ΣΩ 😀')).toBe('äbc i σω 😀');
  });
});
