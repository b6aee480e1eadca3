/**
 * Small helpers over free-form JSON documents: dotted-path lookup (nested objects and
 * literal dotted keys), time parsing, index-pattern matching.
 */

import { fieldValues, parseTimestamp } from '../fields';

export { isRecord, getField, fieldValues, type Doc } from '../fields';

/** First string value of a field (numbers are stringified), or null. */
export function firstString(doc: unknown, field: string): string | null {
  const vs = fieldValues(doc, field);
  if (vs.length === 0) return null;
  return String(vs[0]);
}

/**
 * Epoch milliseconds of a date value, read as lib/eql/document reads every timestamp (ISO-8601
 * with a zone-less string as UTC, epoch millis as a number or digits); null when unreadable.
 */
export const toEpochMs = parseTimestamp;

/** Compiles ES-style index patterns (`*` wildcards, comma lists, `-name` exclusions). */
export function indexMatcher(patterns: string[]): (index: string) => boolean {
  const include: RegExp[] = [];
  const exclude: RegExp[] = [];
  for (const raw of patterns.flatMap((p) => p.split(','))) {
    const p = raw.trim();
    if (!p) continue;
    const neg = p.startsWith('-') && include.length > 0;
    const body = neg ? p.slice(1) : p;
    const re = new RegExp(
      '^' + body.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$',
    );
    (neg ? exclude : include).push(re);
  }
  return (index) => include.some((r) => r.test(index)) && !exclude.some((r) => r.test(index));
}
