/**
 * Exception items evaluated in JS against a stored event (used to close the open alerts an
 * exception matches; the event sources apply exceptions themselves before EQL runs).
 *
 * An item matches when ALL of its entries match; an event is excepted when ANY item matches.
 * - `is`: some value of the field equals the entry's value (exact, as on a keyword field)
 * - `is_one_of`: some value of the field equals one of the values
 * - `matches`: some value of the field matches one of the wildcard patterns (`*`, `?`; case-insensitive)
 * - `exists`: the field has a non-null value
 * `negate` inverts the entry.
 */
import type { ExceptionEntry, ExceptionItem } from '../events/types';
import { getFieldValues } from './fields';

function scalarStrings(values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
  }
  return out;
}

const patternCache = new Map<string, RegExp>();
export function wildcardToRegExp(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : '\\' + c));
    re = new RegExp(`^${body}$`, 'is');
    if (patternCache.size > 1000) patternCache.clear();
    patternCache.set(pattern, re);
  }
  return re;
}

export function entryMatches(source: Record<string, unknown>, entry: ExceptionEntry): boolean {
  const raw = getFieldValues(source, entry.field).filter((v) => v !== null);
  let hit: boolean;
  switch (entry.operator) {
    case 'exists':
      hit = raw.length > 0;
      break;
    case 'is':
    case 'is_one_of': {
      const values = scalarStrings(raw);
      const wanted = entry.operator === 'is' ? entry.values.slice(0, 1) : entry.values;
      hit = values.some((v) => wanted.includes(v));
      break;
    }
    case 'matches': {
      const values = scalarStrings(raw);
      hit = values.some((v) => entry.values.some((p) => wildcardToRegExp(p).test(v)));
      break;
    }
  }
  return entry.negate ? !hit : hit;
}

export function itemMatches(source: Record<string, unknown>, item: ExceptionItem): boolean {
  return item.entries.length > 0 && item.entries.every((e) => entryMatches(source, e));
}

export function isExcepted(source: Record<string, unknown>, items: ExceptionItem[]): boolean {
  return items.some((item) => itemMatches(source, item));
}
