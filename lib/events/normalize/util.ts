/** Helpers shared by the format normalisers. */
import { ExactLong, isRecord as isObjectLike } from '../../eql/document';
import { rawFieldValues, parseTimestamp, timestampIso, type Doc } from '../fields';

export type { Doc };

/**
 * A JSON object (not an array, not null, not an integer kept exact: an `ExactLong` is a
 * `Number` object, see lib/eql/document `parseDocumentJson`).
 */
export function isRecord(v: unknown): v is Doc {
  return isObjectLike(v) && !(v instanceof ExactLong);
}

export const NULL_GUID = '{00000000-0000-0000-0000-000000000000}';

/** Lower-cases a GUID (Sysmon ProcessGuid case differs by build); drops empty/null/sentinel ones. Braces are kept, as Elastic's pipeline keeps them. */
export function normGuid(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  if (v instanceof ExactLong) return v.exact.toString();
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (!s || s === '-' || s === NULL_GUID || s === '00000000-0000-0000-0000-000000000000') return undefined;
  return s;
}

/** A string value, with Sysmon's empty sentinels ("-", "", null) dropped. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof ExactLong) return v.exact.toString(); // all the digits, not the double's
  if (typeof v !== 'string') return undefined;
  if (v === '' || v === '-') return undefined;
  return v;
}

export function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (v instanceof ExactLong) return v.valueOf();
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const s = v.trim();
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : Number(s);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const HEX_TEXT = /^0x[0-9a-f]+$/i;

/**
 * An integer field whose mapping is `long` (pids, sequence numbers): as `int`, but exact beyond
 * 2^53 — an integer the input held exactly (an `ExactLong` from the lossless JSON reader, or
 * decimal or 0x-hex text as EVTX/XML renderings write numbers) whose double would round becomes
 * an `ExactLong`, so the stored document keeps every digit (stringifyDocument).
 */
export function long(v: unknown): number | ExactLong | undefined {
  if (v instanceof ExactLong) return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s.length >= 14 && (INTEGER_TEXT.test(s) || HEX_TEXT.test(s))) {
      const b = BigInt(s.startsWith('+') ? s.slice(1) : s);
      const n = Number(b);
      // a number only when JSON.stringify writes it back as these digits (as parseDocumentJson)
      return BigInt(n) === b && String(n) === b.toString() ? n : new ExactLong(b);
    }
  }
  return int(v);
}

/** Last component of a Windows or POSIX path. */
export function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  return i >= 0 ? p.slice(i + 1) : p;
}

export function dirname(p: string): string | undefined {
  const i = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  return i > 0 ? p.slice(0, i) : undefined;
}

/** Text after the last dot of the file name, verbatim (no lower-casing, as Elastic's pipeline). */
export function extension(name: string): string | undefined {
  const i = name.lastIndexOf('.');
  return i > 0 && i < name.length - 1 ? name.slice(i + 1) : undefined;
}

/** `{path, name, directory, extension}` of a file path. */
export function fileFields(path: string): Doc {
  const name = basename(path);
  return compact({ path, name, directory: dirname(path), extension: extension(name) });
}

/** Removes undefined values (shallow). */
export function compact<T extends Doc>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** Sets a dotted path, creating objects; undefined values are skipped; existing values are kept unless `overwrite`. */
export function setPath(doc: Doc, path: string, value: unknown, overwrite = true): void {
  if (value === undefined) return;
  const parts = path.split('.');
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (isRecord(next)) cur = next;
    else {
      const o: Doc = {};
      cur[parts[i]] = o;
      cur = o;
    }
  }
  const last = parts[parts.length - 1];
  if (!overwrite && cur[last] !== undefined && cur[last] !== null) return;
  cur[last] = value;
}

/**
 * What a field path holds, read by the one document reader (lib/eql/document): nested objects
 * and literal dotted keys alike, arrays flattened (one value → the value), null = missing.
 */
export function getPath(doc: unknown, path: string): unknown {
  // rawFieldValues, not getField: an integer kept exact stays an ExactLong (getField hands out its double)
  const vs = rawFieldValues(doc, path);
  return vs.length === 0 ? undefined : vs.length === 1 ? vs[0] : vs;
}

/**
 * A deep copy of a parsed JSON document (what `structuredClone` would give), except that an
 * `ExactLong` is kept as it is (immutable; structuredClone would make it a plain Number object
 * and lose its exact value).
 */
export function cloneDoc<T>(v: T): T {
  if (typeof v !== 'object' || v === null || v instanceof ExactLong) return v;
  if (Array.isArray(v)) return v.map(cloneDoc) as T;
  const out: Doc = {};
  for (const k of Object.keys(v)) out[k] = cloneDoc((v as Doc)[k]);
  return out as T;
}

/** `DOMAIN\name` → {domain, name}. */
export function splitUser(v: unknown): { name?: string; domain?: string } {
  const s = str(v);
  if (!s) return {};
  const i = s.indexOf('\\');
  return i >= 0 ? { domain: s.slice(0, i) || undefined, name: s.slice(i + 1) || undefined } : { name: s };
}

/**
 * ISO-8601 UTC of a timestamp as lib/eql/document reads a `date` field
 * (`strict_date_optional_time||epoch_millis`, a zone-less time is UTC, a space may stand for
 * `T`; never `Date.parse`, which reads other dialects in the server's time zone), shifted by
 * `offsetMs`; undefined when unreadable. Sub-millisecond digits of a UTC time (zone-less or
 * `Z`) are kept when there is no shift (Windows SystemTime has 100-ns ticks).
 */
export function utcIso(v: unknown, offsetMs = 0): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const t = parseTimestamp(s);
  if (t === null) return undefined;
  const iso = timestampIso(t + offsetMs);
  if (iso === null) return undefined;
  const frac = /[T ]\d{2}:\d{2}:\d{2}[.,](\d{4,9})Z?$/.exec(s);
  return offsetMs === 0 && frac ? `${iso.slice(0, 19)}.${frac[1]}Z` : iso;
}

/** FILETIME (100-ns ticks since 1601-01-01 UTC) → ISO-8601. */
export function filetimeIso(v: unknown): string | undefined {
  // FILETIMEs of this century have 18 digits: the lossless reader gives them as ExactLong
  const n = v instanceof ExactLong ? v.exact : typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (typeof n === 'bigint') {
    const ms = Number((n - 116444736000000000n + 5000n) / 10000n);
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (!Number.isFinite(n)) return undefined;
  const ms = Math.round((n - 116444736000000000) / 10000);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export const WINDOWS_OS = { type: 'windows', family: 'windows', platform: 'windows' } as const;
