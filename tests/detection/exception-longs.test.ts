/**
 * Issue 14 item 8: an exception on a long field compares the document's exact integer, not the
 * text of its double. 9007199254740993 is 2^53 + 1: a double holds 9007199254740992, so a
 * matcher reading the number as JS would exclude the …992 exception's documents and miss …993.
 * The document is read as the store and the scan engine read it (lib/eql/document parseDocumentJson).
 */
import { describe, expect, it } from 'vitest';
import type { ExceptionEntry, ExceptionItem } from '@/lib/events/types';
import { parseDocumentJson } from '@/lib/eql/document';
import { exceptionFilter } from '@/lib/events/embedded/source';
import { isExcepted } from '@/lib/events/exception-match';
import { exceptionMatchesAlert } from '@/lib/detection/exceptions';

const doc = parseDocumentJson('{"process":{"pid": 9007199254740993},"winlog":{"record_id":[1, 18446744073709551615]}}') as Record<string, unknown>;
const item = (...entries: ExceptionEntry[]): ExceptionItem[] => [{ id: 'x', entries }];
const pid = (operator: 'is' | 'is_one_of' | 'matches', ...values: string[]) => item({ field: 'process.pid', operator, values });

/** The three callers of the one matcher: the store's prefilter (the scan engine uses the same), isExcepted, close-matching. */
function excluded(items: ExceptionItem[]): boolean[] {
  return [
    exceptionFilter(items)?.(doc) ?? false,
    isExcepted(doc, items),
    exceptionMatchesAlert(items[0]!.entries, { event: { _index: 'i', _id: '1', _source: doc }, sequenceEvents: null }),
  ];
}

describe('exceptions on longs beyond 2^53', () => {
  it('is: the exact digits match, the double\'s do not', () => {
    expect(excluded(pid('is', '9007199254740993'))).toEqual([true, true, true]);
    expect(excluded(pid('is', '9007199254740992'))).toEqual([false, false, false]);
  });

  it('is_one_of and matches read the same exact text', () => {
    expect(excluded(pid('is_one_of', '1', '9007199254740993'))).toEqual([true, true, true]);
    expect(excluded(pid('is_one_of', '1', '9007199254740992'))).toEqual([false, false, false]);
    expect(excluded(pid('matches', '*993'))).toEqual([true, true, true]);
    expect(excluded(pid('matches', '*992'))).toEqual([false, false, false]);
  });

  it('negated: a document with the exact value is not excluded by "is not …993"', () => {
    expect(excluded(item({ field: 'process.pid', operator: 'is', values: ['9007199254740993'], negate: true }))).toEqual([false, false, false]);
  });

  it('a value of an array, beyond the long range (unsigned 64-bit), is its digits', () => {
    const rid = (v: string) => item({ field: 'winlog.record_id', operator: 'is', values: [v] });
    expect(excluded(rid('18446744073709551615'))).toEqual([true, true, true]);
    expect(excluded(rid('18446744073709552000'))).toEqual([false, false, false]);
    expect(excluded(rid('1'))).toEqual([true, true, true]);
  });

  it('a double beyond 2^53 that holds the integer compares as that integer\'s digits, not JS\'s shortest ones', () => {
    // -30023997515803312 is a double exactly; JS prints it as -30023997515803310
    const d = { n: -30023997515803312 };
    expect(isExcepted(d, item({ field: 'n', operator: 'is', values: ['-30023997515803312'] }))).toBe(true);
    expect(isExcepted(d, item({ field: 'n', operator: 'is', values: ['-30023997515803310'] }))).toBe(false);
    const read = parseDocumentJson('{"n":-30023997515803312}') as Record<string, unknown>;
    expect(isExcepted(read, item({ field: 'n', operator: 'is', values: ['-30023997515803312'] }))).toBe(true);
  });

  it('small numbers still compare as their keyword', () => {
    const small = parseDocumentJson('{"process":{"pid":4}}') as Record<string, unknown>;
    expect(isExcepted(small, pid('is', '4'))).toBe(true);
    expect(isExcepted(small, pid('is', '4.0'))).toBe(false);
  });
});
