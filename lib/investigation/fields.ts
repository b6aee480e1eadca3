/**
 * Field access over ECS documents (nested objects or literal dotted keys), shared by the
 * evidence builders. Independent of any EventSource implementation.
 */
import type { StoredEvent } from '../events/types';

export type Doc = Record<string, unknown>;

export function isRecord(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Value at a dotted path: `a.b.c` reaches `{a:{b:{c}}}`, `{"a.b":{c}}` and `{"a.b.c":…}`. */
export function getField(doc: unknown, field: string): unknown {
  if (!isRecord(doc)) return undefined;
  if (field in doc) return doc[field];
  let dot = field.indexOf('.');
  while (dot > 0) {
    const next = doc[field.slice(0, dot)];
    if (next !== undefined) {
      const v = getField(next, field.slice(dot + 1));
      if (v !== undefined) return v;
    }
    dot = field.indexOf('.', dot + 1);
  }
  return undefined;
}

/** Scalar values of a field (arrays flattened, null/undefined dropped). */
export function values(doc: unknown, field: string): (string | number | boolean)[] {
  const out: (string | number | boolean)[] = [];
  const push = (x: unknown) => {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out.push(x);
    else if (Array.isArray(x)) x.forEach(push);
  };
  push(getField(doc, field));
  return out;
}

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

/** Epoch ms of an ISO string / epoch number; null when unparseable. Zone-less strings are UTC. */
export function toMs(v: unknown): number | null {
  if (Array.isArray(v)) return v.length > 0 ? toMs(v[0]) : null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v === '') return null;
  if (/^-?\d+$/.test(v)) return Number(v);
  const s = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

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
