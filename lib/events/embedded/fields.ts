/**
 * Small helpers over free-form JSON documents: dotted-path lookup (nested objects and
 * literal dotted keys), time parsing, index-pattern matching.
 */

import { fieldValues } from '../fields';

export { isRecord, getField, fieldValues, type Doc } from '../fields';

/** First string value of a field (numbers are stringified), or null. */
export function firstString(doc: unknown, field: string): string | null {
  const vs = fieldValues(doc, field);
  if (vs.length === 0) return null;
  return String(vs[0]);
}

const NO_ZONE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Epoch milliseconds of a date value: ISO-8601 strings (a string without a zone is read
 * as UTC, never as local time), epoch-millisecond numbers or numeric strings. null when
 * absent or unparseable.
 */
export function toEpochMs(v: unknown): number | null {
  if (Array.isArray(v)) return v.length > 0 ? toEpochMs(v[0]) : null;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v !== 'string' || v.length === 0) return null;
  // fast path: ISO-8601 UTC with milliseconds or less
  if (v.length <= 24 && v.charCodeAt(v.length - 1) === 90 && v.charCodeAt(10) === 84) {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  if (/^-?\d+$/.test(v)) return Number(v);
  let s = v;
  if (NO_ZONE.test(s)) s = s.replace(' ', 'T') + 'Z';
  // more than 3 fractional digits: keep milliseconds (Date.parse support varies)
  s = s.replace(/(\.\d{3})\d+/, '$1');
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

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
