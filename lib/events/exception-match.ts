/**
 * THE exception matcher: the one evaluation of exception items against a document, used by
 * the embedded store's searches (lib/events/embedded/source exceptionFilter), the scan-once
 * detection engine, "close matching alerts" on approval, and the tests' fake sources. With
 * Elasticsearch as the event source, the same items become the queries of
 * lib/events/elasticsearch/queries (buildExceptionEntryQuery); the rules below are what those
 * queries do on ECS keyword fields:
 *
 * - A field's values are read by lib/eql/document (dotted and nested keys, arrays flattened,
 *   null = missing). Numbers and booleans compare as the keyword they index as (`5`, `true`);
 *   an integer beyond 2^53 held exactly (ExactLong) as all its digits.
 * - `is` (match_phrase on a keyword): some value equals the entry's value exactly (case-sensitive).
 * - `is_one_of` (terms): some value equals one of the values exactly.
 * - `matches` (wildcard with case_insensitive: true): some value matches one of the patterns,
 *   `*` any run of characters, `?` one character, everything else literal (backslashes of
 *   Windows paths included: the query builder escapes them). Case-insensitive per character as
 *   Lucene's AutomatonQueries.toCaseInsensitiveWildcardAutomaton does (each code point matches
 *   itself or its other case, Unicode, not only ASCII): both sides are folded with the simple
 *   one-to-one lower-case mapping. Evaluated by lib/eql/wildcard's matcher, which never
 *   backtracks more than one star (time ≤ value length × pattern length; no RegExp).
 * - `exists`: the field has a value (an object counts when a field below it has one).
 * - `negate` inverts the entry (a bool must_not: a document without the field matches a negated entry).
 * - An item matches when ALL its entries do (an item without entries matches nothing); a
 *   document is excepted when ANY item matches.
 *
 * Limits (the cost of one entry is bounded whatever the event holds):
 * - patterns longer than MAX_PATTERN_LENGTH are refused where exceptions are created;
 * - for `matches`, a value longer than MAX_KEYWORD_LENGTH never matches — as on Elasticsearch,
 *   where ECS keyword fields have `ignore_above: 1024` and a longer value is not indexed.
 */
import { ExactLong, fieldExists, rawFieldValues, type EcsDocument } from '../eql/document';
import { compileWildcard, type StringMatcher } from '../eql/wildcard';
import type { ExceptionEntry, ExceptionItem } from './types';

/** Longest `matches` pattern an exception may hold (characters; defined with the exception schema). */
export { MAX_EXCEPTION_PATTERN_LENGTH as MAX_PATTERN_LENGTH } from '../domain/exception';
/** ECS keyword `ignore_above`: longer values are not indexed, so no wildcard matches them. */
export const MAX_KEYWORD_LENGTH = 1024;

type DocPredicate = (doc: EcsDocument) => boolean;

const ASCII = /^[\x00-\x7f]*$/;

/** Simple (one code point to one code point) lower-case folding, as Java's Character.toLowerCase. */
export function foldCase(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const lower = ch === '\u0130' ? 'i' : ch.toLowerCase(); // Java: İ → i
    // full mappings that change the length (İ → i̇) are not simple mappings: keep the character
    out += lower.length === ch.length ? lower : ch;
  }
  return out;
}

/**
 * The keyword a value indexes as; null for what is not a value (objects, non-finite numbers).
 * An integer beyond 2^53 that the document held exactly (an `ExactLong`, from
 * lib/eql/document `parseDocumentJson`) is its exact digits, as a `long` field holds it
 * (NumberFieldMapper LONG parses `_source` with `parser.longValue`; see lib/eql/SEMANTICS.md §8):
 * the text of its double would round 9007199254740993 to …992.
 */
function keywordOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    // a double beyond 2^53 holding an integer: a long's digits (as lib/eql/values keywordText)
    return Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v).toString() : String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (v instanceof ExactLong) return v.exact.toString();
  return null;
}

/** Whether some value of the field, as a keyword, passes `test`. */
function someKeyword(doc: EcsDocument, field: string, test: (s: string) => boolean): boolean {
  for (const v of rawFieldValues(doc, field)) {
    const s = keywordOf(v);
    if (s !== null && test(s)) return true;
  }
  return false;
}

/** One entry as a predicate over a document (compiled once, applied to many documents). */
export function compileEntry(e: ExceptionEntry): DocPredicate {
  const field = e.field;
  let test: DocPredicate;
  switch (e.operator) {
    case 'exists':
      test = (doc) => fieldExists(doc, field);
      break;
    case 'is':
    case 'is_one_of': {
      const wanted = new Set(e.operator === 'is' ? e.values.slice(0, 1) : e.values);
      test = (doc) => someKeyword(doc, field, (s) => wanted.has(s));
      break;
    }
    case 'matches': {
      const matchers: StringMatcher[] = e.values.map((p) => compileWildcard(foldCase(p), false));
      test = (doc) =>
        someKeyword(doc, field, (s) => {
          if (s.length > MAX_KEYWORD_LENGTH) return false;
          const folded = foldCase(s);
          return matchers.some((m) => m(folded));
        });
      break;
    }
    default:
      // an operator this build does not know matches nothing (never suppresses)
      test = () => false;
  }
  return e.negate ? (doc) => !test(doc) : test;
}

/** An item as a predicate: all of its entries (none → never). */
export function compileItem(item: Pick<ExceptionItem, 'entries'>): DocPredicate {
  if (item.entries.length === 0) return () => false;
  const entries = item.entries.map(compileEntry);
  return (doc) => entries.every((m) => m(doc));
}

/** Items as one predicate (a document is excepted when any item matches); null when there are none. */
export function compileExceptionItems(items: readonly Pick<ExceptionItem, 'entries'>[] | undefined): DocPredicate | null {
  const compiled = (items ?? []).filter((i) => i.entries.length > 0).map(compileItem);
  if (compiled.length === 0) return null;
  return (doc) => compiled.some((m) => m(doc));
}

export function entryMatches(source: EcsDocument, entry: ExceptionEntry): boolean {
  return compileEntry(entry)(source);
}

export function itemMatches(source: EcsDocument, item: Pick<ExceptionItem, 'entries'>): boolean {
  return compileItem(item)(source);
}

export function isExcepted(source: EcsDocument, items: readonly Pick<ExceptionItem, 'entries'>[]): boolean {
  return compileExceptionItems(items)?.(source) ?? false;
}
