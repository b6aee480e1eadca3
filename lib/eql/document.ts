/**
 * The one reader of an ECS document (`_source`): what a field path holds and when a document
 * happened. Every part of Guidepost that reads a stored event's fields or timestamps goes
 * through here (the embedded store and its SQL columns, the detection run, the evidence, the
 * exports, the exception matcher), so two of them can never disagree about one event.
 *
 * Fields — as Elasticsearch indexes `_source` (what its queries then see):
 * - A path `a.b.c` is reached through nested objects and literal dotted keys alike, in any mix:
 *   `{a:{b:{c}}}`, `{"a.b":{c}}`, `{a:{"b.c"}}`, `{"a.b.c"}`. Elasticsearch's document parser
 *   expands dotted field names into objects before mapping (DotExpandingXContentParser,
 *   server/src/main/java/org/elasticsearch/common/xcontent/DotExpandingXContentParser.java),
 *   so when a document holds the same path twice, both values are indexed under the one field:
 *   every way of splitting the path is read and the values are concatenated, at each object
 *   the shortest key first (`process` before `process.name`), whatever the keys' order in the
 *   document. (Order only decides which value is "first"; ES itself keeps keyword doc values sorted.)
 * - Arrays are flattened at any depth, also arrays of objects (`{a:[{b:1},{b:2}]}` → a.b = [1, 2];
 *   an object field that is not `nested` is indexed that way).
 * - `null` (and `[]`, `[null]`) is not a value: the field is missing, `exists` is false
 *   (ExistsQueryBuilder matches documents with an indexed value; a null is not indexed unless the
 *   mapping has `null_value`). The empty string is a value.
 * - Only strings, numbers and booleans are values (`fieldValues`). An object at the end of a
 *   path is not a value, but an `exists` query on an object field matches when any field below
 *   it has a value (ExistsQueryBuilder.newFilter expands `field.*`), and so does `fieldExists`.
 *
 * Timestamps — as a `date` field with the default format `strict_date_optional_time||epoch_millis`
 * (DateFieldMapper.DEFAULT_DATE_TIME_FORMATTER):
 * - `yyyy`, `yyyy-MM`, `yyyy-MM-dd`, then optionally `T` and `HH`, `HH:mm`, `HH:mm:ss`,
 *   `HH:mm:ss.S…` (1–9 fraction digits, `.` or `,`), then optionally a zone: `Z`, `±HH`, `±HH:mm`,
 *   `±HHmm` (DateFormatters.java, STRICT_DATE_OPTIONAL_TIME_FORMATTER, elastic/elasticsearch at
 *   001daddd21900dc5c4f4693eb007736a735f1de0); fields are range-checked (ResolverStyle.STRICT:
 *   no 30 February, no hour 24).
 * - A time WITHOUT a zone is UTC, never the server's local time: DateFormatters.from(accessor)
 *   is `from(accessor, Locale.ROOT, ZoneOffset.UTC)`.
 * - Sub-millisecond digits are truncated (a `date` field has millisecond resolution).
 * - Otherwise a number, or a string of digits, is epoch milliseconds (`epoch_millis`); a string
 *   of exactly four digits is a year, because the first format of the list wins.
 * - One extension, so that nothing readable is lost: a space instead of `T` is accepted.
 * - Anything else (`Date.parse` dialects such as `May 21 2024`) is not a timestamp: null.
 *
 * Pure and dependency-free (lib/eql imports nothing from the app).
 */

export type Scalar = string | number | boolean;
export type EcsDocument = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// integers a double cannot hold

/**
 * An integer of a document's JSON text that a JS number cannot represent exactly (beyond 2^53,
 * e.g. 9007199254740993): a `Number` (so `JSON.stringify` writes it as a number and arithmetic
 * on it behaves as before) that also carries the exact value. Only `parseDocumentJson` makes
 * them, and only for integers a double does not hold, or whose double does not print as the
 * text (2^60 prints as 1152921504606847000),
 * so that `stringifyDocumentJson` writes every integer back as read. The engine compares them
 * exactly (a `long` field is a Java long: NumberFieldMapper.NumberType.LONG parses `_source`
 * with `parser.longValue`, exact to 64 bits); the readers below hand the app plain numbers.
 */
export class ExactLong extends Number {
  constructor(readonly exact: bigint) {
    super(Number(exact));
  }

  /** JSON.stringify: the nearest number (as any Number object), or inside `stringifyDocumentJson` its marker. */
  toJSON(): unknown {
    if (jsonMarker === null) return this.valueOf();
    jsonMarked++;
    return jsonMarker + this.exact.toString();
  }
}

let jsonMarker: string | null = null;
let jsonMarked = 0;
// per process and unguessable: a document's string cannot spell it (checked below anyway)
const JSON_MARKER = `exact-${globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2)}-`;

function stringifyMarked(doc: unknown, marker: string): { text: string | undefined; marked: number } {
  jsonMarker = marker;
  jsonMarked = 0;
  try {
    return { text: JSON.stringify(doc), marked: jsonMarked };
  } finally {
    jsonMarker = null;
  }
}

/**
 * `JSON.stringify` of a document, the inverse of `parseDocumentJson`: an `ExactLong` is written
 * with all its digits (JSON.stringify writes a Number object as its double: 9007199254740993 →
 * …992). One JSON.stringify pass when the document holds none; otherwise its markers
 * (`toJSON` above, called only for ExactLongs) are replaced by the digits.
 */
export function stringifyDocumentJson(doc: unknown): string {
  let marker = JSON_MARKER;
  let { text, marked } = stringifyMarked(doc, marker);
  if (text === undefined || marked === 0) return text as string;
  for (;;) {
    let replaced = 0;
    const out = text!.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), (_m, digits: string) => (replaced++, digits));
    if (replaced === marked) return out;
    // a string of the document held the marker: again with a fresh one, absent from the text
    do marker = `exact-${globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2)}-`;
    while (text!.includes(marker));
    ({ text, marked } = stringifyMarked(doc, marker));
  }
}

/**
 * A document for JSON that leaves the process (an API answer, a page's props, an export read by
 * scripts): every `ExactLong` as the string of its digits, because a JSON number beyond 2^53 is
 * rounded by the JSON.parse of whoever reads it (and JSON.stringify writes an ExactLong as its
 * double). Only objects and arrays that hold one are copied; the rest is shared.
 */
export function exactLongsAsDigits<T>(v: T): T {
  return digitsOf(v, 0) as T;
}

function digitsOf(v: unknown, depth: number): unknown {
  if (v instanceof ExactLong) return v.exact.toString();
  if (typeof v !== 'object' || v === null || depth > 100) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x = digitsOf(v[i], depth + 1);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  let out: Record<string, unknown> | null = null;
  for (const [k, x] of Object.entries(v)) {
    const y = digitsOf(x, depth + 1);
    // defined, not assigned: a key `__proto__` stays a key
    if (y !== x) Object.defineProperty((out ??= { ...(v as Record<string, unknown>) }), k, { value: y, enumerable: true, writable: true, configurable: true });
  }
  return out ?? v;
}

/** The primitive of a scalar the document holds (an ExactLong as its nearest number). */
function primitive(v: unknown): unknown {
  return v instanceof ExactLong ? v.valueOf() : v;
}

/**
 * Whether the text has a run of 16 digits (the shortest integers beyond 2^53 have 16) that may be
 * a JSON integer: looks at every 16th character only (any run of 16 covers one of them) and
 * measures the run there. About a tenth of JSON.parse's time on typical events (a regex
 * /\d{16}/ costs ~4x more). A run inside a string whose neighbours no number token can have
 * (`"0x8020000000000000"` — Security keywords —, `"W32:0000000000050766"`) does not count: an
 * integer token follows `:`, `,`, `[` or the start (then an optional `-` and whitespace) and is
 * followed by `,`, `}`, `]`, whitespace or the end (`.`/`e` make it a double, not an integer).
 */
function hasLongDigitRun(s: string): boolean {
  const n = s.length;
  for (let i = 15; i < n; i += 16) {
    let c = s.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let a = i - 1;
    while (a >= 0 && (c = s.charCodeAt(a)) >= 48 && c <= 57) a--;
    let b = i + 1;
    while (b < n && (c = s.charCodeAt(b)) >= 48 && c <= 57) b++;
    if (b - a - 1 >= 16 && tokenBefore(s, a) && (b === n || TOKEN_AFTER.has(s.charCodeAt(b)))) return true;
    i = b - 1; // the next look is past this run (each run is measured once)
  }
  return false;
}

// , } ] and JSON whitespace
const TOKEN_AFTER = new Set([44, 125, 93, 32, 9, 10, 13]);

/** Whether a number token can end at `a` (the character before its digits): `-`, whitespace, then `:` `,` `[` or the start. */
function tokenBefore(s: string, a: number): boolean {
  if (a >= 0 && s.charCodeAt(a) === 45) a--;
  for (; a >= 0; a--) {
    const c = s.charCodeAt(a);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c === 58 || c === 44 || c === 91;
  }
  return true;
}
// JSON strings (skipped, escapes included) and integer tokens of 16 or more digits
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![.eE\d])/g;

/**
 * `JSON.parse` of a stored document, exact for integers beyond 2^53: when the text has a run of
 * 16 digits or more (a cheap test; most documents have none and take plain JSON.parse), every
 * integer token the double would round becomes an `ExactLong`. Linear in the text.
 */
export function parseDocumentJson(text: string): unknown {
  if (!hasLongDigitRun(text)) return JSON.parse(text);
  const exact: bigint[] = [];
  // a marker no string of the document can hold: unguessable (a string of the text could spell
  // any fixed marker with \u escapes), and absent from the text
  let tag = '';
  do tag = `\u0000${globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2)}:`;
  while (text.includes(tag));
  const marked = text.replace(JSON_TOKEN, (tok) => {
    if (tok.charCodeAt(0) === 34) return tok;
    // kept as a number when its double is the integer and prints as the token (JSON.stringify
    // writes it back as it was): -30023997515803312 is a double exactly, but prints as …310
    const b = BigInt(tok);
    const n = Number(tok);
    if (BigInt(n) === b && String(n) === tok) return tok;
    exact.push(b);
    return JSON.stringify(`${tag}${exact.length - 1}`);
  });
  if (exact.length === 0) return JSON.parse(text);
  return JSON.parse(marked, (_k, v: unknown) =>
    typeof v === 'string' && v.startsWith(tag) ? new ExactLong(exact[Number(v.slice(tag.length))]!) : v,
  );
}

export function isRecord(v: unknown): v is EcsDocument {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Everything found at `path`: scalars and objects, arrays flattened, null/undefined dropped.
 * Visits each (object, path position) once, so the cost is bounded by the document's size
 * times the path's segments squared, whatever the keys look like.
 */
export function rawFieldValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  if (path === '') return out;
  // module-level helpers, not closures: no function objects made per call (hot in detection)
  walkPath(doc, 0, path.split('.'), out);
  return out;
}

function pushValues(v: unknown, out: unknown[]): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    for (const x of v) pushValues(x, out);
    return;
  }
  out.push(v);
}

function walkPath(node: unknown, i: number, parts: string[], out: unknown[]): void {
  if (Array.isArray(node)) {
    for (const x of node) walkPath(x, i, parts, out);
    return;
  }
  if (!isRecord(node)) return;
  const n = parts.length;
  let key = parts[i]!;
  for (let j = i + 1; ; j++) {
    if (hasOwn.call(node, key)) {
      const v = node[key];
      if (j === n) pushValues(v, out);
      else walkPath(v, j, parts, out);
    }
    if (j === n) break;
    key += '.' + parts[j]!;
  }
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || v instanceof ExactLong;
}

/** The values of a field: strings, numbers, booleans (arrays flattened; missing or null → []). */
export function fieldValues(doc: unknown, path: string): Scalar[] {
  const out: Scalar[] = [];
  for (const v of rawFieldValues(doc, path)) if (isScalar(v)) out.push(primitive(v) as Scalar);
  return out;
}

/** The first value of a field as a string (numbers and booleans as written), or null when missing. */
export function firstString(doc: unknown, path: string): string | null {
  const v = fieldValues(doc, path)[0];
  return v === undefined ? null : String(v);
}

function hasAnyValue(v: unknown, depth: number): boolean {
  if (isScalar(v)) return true;
  if (depth > 64) return false;
  if (Array.isArray(v)) return v.some((x) => hasAnyValue(x, depth + 1));
  if (isRecord(v)) {
    for (const k in v) if (hasOwn.call(v, k) && hasAnyValue(v[k], depth + 1)) return true;
  }
  return false;
}

/** Whether an `exists` query matches: the field has a value, or is an object with a value below it. */
export function fieldExists(doc: unknown, path: string): boolean {
  return rawFieldValues(doc, path).some((v) => hasAnyValue(v, 0));
}

/**
 * The field as one JS value, for callers that want "what is there": undefined when missing,
 * the value itself when one was found, an array of them when several were (arrays flattened).
 */
export function getField(doc: unknown, path: string): unknown {
  const vs = rawFieldValues(doc, path).map(primitive);
  return vs.length === 0 ? undefined : vs.length === 1 ? vs[0] : vs;
}

// ---------------------------------------------------------------------------------------------
// timestamps

const DATE_TIME =
  /^(\d{4}|[+-]\d{4,6})(?:-(\d{2})(?:-(\d{2})(?:[T ](?:(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const EPOCH_MILLIS = /^-?\d+(?:\.\d+)?$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** `strict_date_optional_time` (UTC when zone-less) to epoch ms; null when it is not one. */
function parseDateTime(s: string): number | null {
  const m = DATE_TIME.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 18 || om > 59 || oh * 60 + om > 18 * 60) return null;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  let t: number;
  if (year >= 100) t = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  else {
    // Date.UTC reads years 0–99 as 1900–1999
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(hour, minute, second, millis);
    t = d.getTime();
  }
  t -= offsetMin * 60_000;
  return Number.isFinite(t) ? t : null;
}

/**
 * Epoch milliseconds of a date value as a `date` field reads it (see the module comment): an
 * ISO-8601 string (zone-less = UTC), epoch millis as a number or digits; an array gives its
 * first readable value. null when missing or unreadable.
 */
export function parseTimestamp(v: unknown): number | null {
  if (Array.isArray(v)) {
    for (const x of v) {
      const t = parseTimestamp(x);
      if (t !== null) return t;
    }
    return null;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (v instanceof ExactLong) return parseTimestamp(v.valueOf());
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) return null;
  // fast path, the stored form `yyyy-MM-ddTHH:mm:ss.SSSZ`: Date.parse is exact on it (it has a
  // zone) except that it lets 30 February and hour 24 through, which the bounds here keep out
  if (v.length === 24 && v.charCodeAt(23) === 90 && v.charCodeAt(10) === 84 && v.charCodeAt(4) === 45) {
    const day = (v.charCodeAt(8) - 48) * 10 + v.charCodeAt(9) - 48;
    const hour = (v.charCodeAt(11) - 48) * 10 + v.charCodeAt(12) - 48;
    if (day >= 1 && day <= 28 && hour >= 0 && hour <= 23) {
      const fast = Date.parse(v);
      if (!Number.isNaN(fast)) return fast;
    }
  }
  const t = parseDateTime(v);
  if (t !== null) return t;
  if (EPOCH_MILLIS.test(v)) {
    const ms = Math.trunc(Number(v));
    return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : null;
  }
  return null;
}

/** ISO-8601 UTC (`…Z`) of a date value, or null when unreadable. */
export function timestampIso(v: unknown): string | null {
  const t = parseTimestamp(v);
  if (t === null || Math.abs(t) > 8.64e15) return null;
  return new Date(t).toISOString();
}

/** The timestamp of a document's field (its first readable value), epoch ms or null. */
export function fieldTimestamp(doc: unknown, path: string): number | null {
  for (const v of fieldValues(doc, path)) {
    const t = parseTimestamp(v);
    if (t !== null) return t;
  }
  return null;
}
