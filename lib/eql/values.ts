/**
 * Runtime values of the EQL evaluator and the Elasticsearch rules that apply to them:
 * timestamps, IP addresses, versions, ordering, ASCII case folding.
 *
 * A runtime value is a string, number, boolean, null, or an array of those (a multi-valued
 * field). Static type hints (`ValueType`) come from the schema or from literals and decide
 * how literals are coerced (dates, ips, versions) and whether arithmetic is integral.
 */

import { ExactLong } from './document';

/**
 * A runtime scalar. Integers are numbers; an integer a double cannot hold exactly (beyond 2^53,
 * from a document's text or a literal, see `exactInteger`) is a `bigint`, so longs compare and
 * add exactly. One value has one form: a bigint is never a value a number represents.
 */
export type Scalar = string | number | bigint | boolean | null;
export type Value = Scalar | Scalar[];

/** The one form of an integer: a number when the double is exact, otherwise the bigint. */
export function exactInteger(b: bigint): number | bigint {
  const n = Number(b);
  return BigInt(n) === b ? n : b;
}

/** An integer literal's or a digit string's value, exact (null when the text is not an integer). */
export function integerFromText(text: string): number | bigint | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  return exactInteger(BigInt(text));
}

export function isNumeric(v: unknown): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** Exact ordering of two numerics (JS relational operators are exact across number and bigint). */
export function compareNumeric(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A JSON text identifying a list of scalars (a bigint as `{"n":"digits"}`, which no scalar is). */
export function jsonKey(vals: readonly Scalar[]): string {
  for (const v of vals) {
    if (typeof v === 'bigint') return JSON.stringify(vals, (_k, x: unknown) => (typeof x === 'bigint' ? { n: x.toString() } : x));
  }
  return JSON.stringify(vals);
}

/** A numeric as a double (for the functions that compute in doubles). */
export function toDouble(v: number | bigint): number {
  return typeof v === 'number' ? v : Number(v);
}

export type ValueType =
  | 'string'
  | 'long'
  | 'double'
  | 'boolean'
  | 'date'
  | 'ip'
  | 'version'
  | 'null'
  | 'unknown';

// ---------------------------------------------------------------- timestamps

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Parses an ISO-8601 date(-time) into epoch milliseconds (fractional below the
 * millisecond for nanosecond precision). Returns null when the text is not a date.
 */
/** Days since 1970-01-01 of a proleptic Gregorian date (no Date object). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** char codes of the last `YYYY-MM-DDTHH:MM` prefix seen (-1: none) and its epoch millis */
const cachedPrefix = new Int32Array(16).fill(-1);
let cachedBase = 0;

/** `YYYY-MM-DDTHH:MM:SS.sssZ` (the common ECS form): minute prefix cached, no allocation. */
function parseIsoMillisZ(s: string): number | null {
  let same = true;
  for (let i = 15; i >= 0; i--) {
    if (s.charCodeAt(i) !== cachedPrefix[i]) {
      same = false;
      break;
    }
  }
  if (!same) {
    const y = digits(s, 0, 4);
    const mo = digits(s, 5, 2);
    const d = digits(s, 8, 2);
    const h = digits(s, 11, 2);
    const mi = digits(s, 14, 2);
    if (Number.isNaN(y + mo + d + h + mi) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
    cachedBase = daysFromCivil(y, mo, d) * 86400000 + h * 3600000 + mi * 60000;
    for (let i = 0; i < 16; i++) cachedPrefix[i] = s.charCodeAt(i);
  }
  const sec = digits(s, 17, 2);
  const ms = digits(s, 20, 3);
  if (Number.isNaN(sec + ms) || sec > 60) return null;
  return cachedBase + sec * 1000 + ms;
}

export function parseIsoDate(s: string): number | null {
  // fast path: YYYY-MM-DDTHH:MM:SS(.fff…)?(Z|±HH:MM)?
  const len = s.length;
  if (
    len === 24 &&
    s.charCodeAt(10) === 84 &&
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58 &&
    s.charCodeAt(19) === 46 &&
    s.charCodeAt(23) === 90 &&
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45
  ) {
    return parseIsoMillisZ(s);
  }
  if (len >= 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = digits(s, 0, 4);
    const mo = digits(s, 5, 2);
    const d = digits(s, 8, 2);
    if (Number.isNaN(y) || Number.isNaN(mo) || Number.isNaN(d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
      return null;
    }
    if (len === 10) return Date.UTC(y, mo - 1, d);
    const sep = s.charCodeAt(10);
    if ((sep === 84 || sep === 32) && len >= 16 && s.charCodeAt(13) === 58) {
      const h = digits(s, 11, 2);
      const mi = digits(s, 14, 2);
      let pos = 16;
      let sec = 0;
      if (pos < len && s.charCodeAt(pos) === 58) {
        sec = digits(s, pos + 1, 2);
        pos += 3;
      }
      let frac = 0;
      if (pos < len && (s.charCodeAt(pos) === 46 || s.charCodeAt(pos) === 44)) {
        pos++;
        let scale = 100;
        while (pos < len) {
          const c = s.charCodeAt(pos) - 48;
          if (c < 0 || c > 9) break;
          frac += c * scale;
          scale /= 10;
          pos++;
        }
      }
      if (Number.isNaN(h) || Number.isNaN(mi) || Number.isNaN(sec) || h > 24 || mi > 59 || sec > 60) return null;
      let offset = 0;
      if (pos < len) {
        const z = s.charCodeAt(pos);
        if (z === 90 || z === 122) {
          pos++;
        } else if (z === 43 || z === 45) {
          const oh = digits(s, pos + 1, 2);
          let om = 0;
          let p2 = pos + 3;
          if (p2 < len && s.charCodeAt(p2) === 58) p2++;
          if (p2 < len) {
            om = digits(s, p2, 2);
            p2 += 2;
          }
          if (Number.isNaN(oh) || Number.isNaN(om)) return null;
          offset = (oh * 60 + om) * 60000 * (z === 43 ? 1 : -1);
          pos = p2;
        } else {
          return null;
        }
      }
      if (pos !== len) return null;
      return Date.UTC(y, mo - 1, d, h, mi, sec) + frac - offset;
    }
  }
  return null;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A timestamp value as epoch milliseconds: numbers as they are, numeric strings as epoch
 * millis (with a fractional part for nanosecond dates), ISO strings parsed. Null otherwise.
 */
export function toEpochMillis(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') {
    if (v.length === 0) return null;
    if (v.length >= 10 && v.charCodeAt(4) === 45) {
      const d = parseIsoDate(v);
      if (d !== null) return d;
    }
    const c = v.charCodeAt(0);
    if (((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) && NUMERIC.test(v)) {
      return Number(v);
    }
    return parseIsoDate(v);
  }
  if (Array.isArray(v)) return v.length > 0 ? toEpochMillis(v[0]) : null;
  // a long beyond 2^53 (a document's ExactLong, or the engine's bigint) as its nearest number
  if (v instanceof ExactLong) return v.valueOf();
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/** ISO-8601 text with milliseconds, as Elasticsearch formats `date` values. */
export function millisToIso(ms: number): string {
  const d = new Date(Math.floor(ms));
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

// ---------------------------------------------------------------- IP addresses

function parseIpv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** IP address as 16 bytes (IPv4 mapped into IPv6 as ::ffff:a.b.c.d), or null. */
export function ipToBytes(s: string): Uint8Array | null {
  const v4 = parseIpv4(s);
  if (v4) {
    const b = new Uint8Array(16);
    b[10] = 0xff;
    b[11] = 0xff;
    b.set(v4, 12);
    return b;
  }
  if (!s.includes(':')) return null;
  let text = s;
  const pct = text.indexOf('%');
  if (pct >= 0) text = text.slice(0, pct);
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const t = parseIpv4(maybeV4);
    if (!t) return null;
    const hi = ((t[0]! << 8) | t[1]!).toString(16);
    const lo = ((t[2]! << 8) | t[3]!).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const dbl = text.indexOf('::');
  if (dbl !== text.lastIndexOf('::')) return null;
  const parseGroups = (g: string): number[] | null => {
    if (g === '') return [];
    const out: number[] = [];
    for (const h of g.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return null;
      out.push(parseInt(h, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const head = parseGroups(text.slice(0, dbl));
    const rest = parseGroups(text.slice(dbl + 2));
    if (!head || !rest) return null;
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest];
  } else {
    const all = parseGroups(text);
    if (!all) return null;
    groups = all;
  }
  if (groups.length !== 8) return null;
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    b[i * 2] = g >> 8;
    b[i * 2 + 1] = g & 0xff;
  });
  return b;
}

/** Canonical text of an IP address (IPv4 dotted; IPv6 lower-case, compressed), or null. */
export function normalizeIp(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const b = ipToBytes(v);
  if (!b) return null;
  let mapped = true;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) mapped = false;
  if (mapped && b[10] === 0xff && b[11] === 0xff) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((b[i * 2]! << 8) | b[i * 2 + 1]!);
  // longest run of zeros (length >= 2) compressed
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] === 0) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    } else i++;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Parses `a.b.c.d/n` or `x::/n` into (bytes, prefix length in the 128-bit space). */
export function parseCidr(s: string): { bytes: Uint8Array; prefix: number } | null {
  const slash = s.indexOf('/');
  const addr = slash >= 0 ? s.slice(0, slash) : s;
  const bytes = ipToBytes(addr);
  if (!bytes) return null;
  const isV4 = parseIpv4(addr) !== null;
  // an IPv4-mapped IPv6 address with a prefix is refused: "CIDR notation is not allowed with
  // IPv6-mapped IPv4 address" (elastic/elasticsearch org.elasticsearch.common.network.InetAddresses.
  // parseCidr), since the prefix could be read as a v4 or a v6 length
  if (slash >= 0 && !isV4 && bytes.slice(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return null;
  const max = isV4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p);
    if (prefix > max) return null;
  }
  return { bytes, prefix: isV4 ? prefix + 96 : prefix };
}

export function cidrContains(cidr: { bytes: Uint8Array; prefix: number }, ip: Uint8Array): boolean {
  const full = cidr.prefix >> 3;
  for (let i = 0; i < full; i++) if (cidr.bytes[i] !== ip[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (cidr.bytes[full]! & mask) === (ip[full]! & mask);
}

// ---------------------------------------------------------------- versions

interface ParsedVersion {
  main: number[];
  pre: string[] | null;
}

const VERSION_RE = /^(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parseVersion(s: string): ParsedVersion | null {
  const m = VERSION_RE.exec(s);
  if (!m) return null;
  return { main: m[1]!.split('.').map(Number), pre: m[2] ? m[2].split('.') : null };
}

/** Semantic-version order; invalid versions sort after valid ones (and among themselves as text). */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) {
    if (pa) return -1;
    if (pb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const n = Math.max(pa.main.length, pb.main.length);
  for (let i = 0; i < n; i++) {
    const x = pa.main[i] ?? 0;
    const y = pb.main[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (!pa.pre || !pb.pre) {
    if (pa.pre) return -1;
    if (pb.pre) return 1;
    return 0;
  }
  const m = Math.max(pa.pre.length, pb.pre.length);
  for (let i = 0; i < m; i++) {
    const x = pa.pre[i];
    const y = pb.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
    } else if (xn) return -1;
    else if (yn) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

// ---------------------------------------------------------------- case folding

/** Lower-cases ASCII letters only (as Lucene's case-insensitive matching does). */
export function foldAscii(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return foldFrom(s, i);
  }
  return s;
}

function foldFrom(s: string, from: number): string {
  let out = s.slice(0, from);
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

/** ASCII case-insensitive equality without allocation. */
export function equalsFolded(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

// ---------------------------------------------------------------- ordering

/**
 * Total order used for sorting join keys and samples: null first, then booleans, numbers,
 * strings (code-unit order, equal to UTF-8 byte order inside the BMP).
 */
export function compareScalars(a: Scalar, b: Scalar): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) {
    if (isNumeric(a) && isNumeric(b)) return compareNumeric(a, b);
    const rank = (t: string): number => (t === 'boolean' ? 0 : t === 'number' || t === 'bigint' ? 1 : 2);
    return rank(ta) - rank(tb);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** String form used by `string()`/`concat()`: numbers in decimal, booleans as true/false. */
export function toText(v: Scalar): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  // a long prints all its digits (Long.toString); JS would print the shortest round-trip digits
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v).toString() : String(v);
  if (typeof v === 'bigint') return v.toString();
  return v ? 'true' : 'false';
}

/** Converts a raw JSON value of a document into a runtime value (objects become null). */
export function toValue(raw: unknown): Value {
  if (raw === undefined || raw === null) return null;
  const t = typeof raw;
  if (t === 'string' || t === 'number' || t === 'boolean') return raw as Scalar;
  if (raw instanceof ExactLong) return exactInteger(raw.exact);
  if (Array.isArray(raw)) {
    const out: Scalar[] = [];
    for (const r of raw) {
      const v = toValue(r);
      if (Array.isArray(v)) out.push(...v);
      else out.push(v);
    }
    return out;
  }
  return null;
}

/**
 * The interval of instants a date string denotes at its written precision, as Elasticsearch's
 * date range/term queries round it (DateFieldMapper.DateFieldType.dateRangeQuery parses the
 * lower bound rounding down and the upper bound rounding up, JavaDateMathParser filling the
 * missing fields with their maximum): `"2024-01-01"` is the whole day, `"…T12:00:00Z"` the
 * whole second. `lo` is the first millisecond, `hi` the last instant (fractional for
 * sub-millisecond precision). Null for text that is not an ISO date (numbers are exact).
 */
export function dateBounds(s: string): { lo: number; hi: number } | null {
  const ym = /^(\d{4})(?:-(\d{2}))?$/.exec(s);
  if (ym) {
    const y = Number(ym[1]);
    if (ym[2] === undefined) return { lo: Date.UTC(y, 0, 1), hi: Date.UTC(y + 1, 0, 1) - 1e-3 };
    const m = Number(ym[2]);
    if (m < 1 || m > 12) return null;
    return { lo: Date.UTC(y, m - 1, 1), hi: Date.UTC(y, m, 1) - 1e-3 };
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const lo = parseIsoDate(s);
  if (lo === null) return null;
  if (s.length === 10) return { lo, hi: lo + 86_400_000 - 1e-3 };
  const t = /^.{10}[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?/.exec(s);
  if (!t) return { lo, hi: lo };
  let unit = 60_000;
  if (t[3] !== undefined) unit = t[4] === undefined ? 1000 : 1000 / 10 ** Math.min(9, t[4].length);
  return { lo, hi: lo + Math.max(0, unit - 1e-3) };
}

/** Text of a double as Java's Double.toString writes it (`1.0`, `2.5`, `1.0E7`, `1.5E-4`). */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const t = String(d);
    return t.includes('.') ? t : `${t}.0`;
  }
  const [mant, exp] = d.toExponential().split('e') as [string, string];
  return `${mant.includes('.') ? mant : `${mant}.0`}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}
