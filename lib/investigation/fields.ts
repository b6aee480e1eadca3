/**
 * Field access over ECS documents (nested objects or literal dotted keys), shared by the
 * evidence builders. Independent of any EventSource implementation.
 */
import type { StoredEvent } from '../events/types';

import { fieldValues, getField, parseTimestamp } from '../eql/document';

export { isRecord, getField, type EcsDocument as Doc } from '../eql/document';

/** Scalar values of a field (arrays flattened, null/undefined dropped). */
export const values = fieldValues;

/** First value of the first field that has one, as a string; null when none has. */
export function str(doc: unknown, ...fields: string[]): string | null {
  for (const f of fields) {
    const v = values(doc, f);
    if (v.length > 0 && String(v[0]) !== '') return String(v[0]);
  }
  return null;
}

export function num(doc: unknown, ...fields: string[]): number | null {
  for (const f of fields) {
    const v = values(doc, f)[0];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  }
  return null;
}

export function bool(doc: unknown, field: string): boolean | null {
  const v = values(doc, field)[0];
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}

export function has(doc: unknown, field: string, value: string): boolean {
  return values(doc, field).some((v) => String(v).toLowerCase() === value.toLowerCase());
}

/** Epoch ms of a date value (lib/eql/document's reading: zone-less strings are UTC); null when unreadable. */
export const toMs = parseTimestamp;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The event's @timestamp as ISO, or null. */
export function eventTime(ev: StoredEvent): string | null {
  const ms = toMs(getField(ev._source, '@timestamp'));
  return ms === null ? null : iso(ms);
}

export function ref(ev: StoredEvent): { _index: string; _id: string } {
  return { _index: ev._index, _id: ev._id };
}

export const HOUR_MS = 3_600_000;
