/**
 * The EQL functions of Elasticsearch (8.x/9.x), over scalar runtime values. A null argument
 * gives null unless stated otherwise. `~` variants lower-case like Java's
 * toLowerCase(Locale.ROOT) (they run as scripts; see SEMANTICS.md §4). Multi-valued arguments
 * are expanded by the compiler, not here.
 */
import {
  cidrContains,
  exactInteger,
  integerFromText,
  ipToBytes,
  isNumeric,
  parseCidr,
  toText,
  type Scalar,
} from './values';

export class FunctionError extends Error {}

export type NumberKind = 'long' | 'double' | 'unknown';

function isIntegral(kind: NumberKind, v: number): boolean {
  return kind === 'long' || (kind === 'unknown' && Number.isInteger(v));
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * ql Arithmetics uses Math.addExact/subtractExact/multiplyExact for longs: a result outside
 * the long range fails the query ("long overflow") instead of wrapping. Computed exactly: in
 * doubles while the result is a safe integer, otherwise in bigints (values beyond 2^53 are
 * bigints, see values.ts), the result back in its one form (`exactInteger`).
 */
function exactLong(op: '+' | '-' | '*' | '/' | '%', a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? Math.trunc(a / b) : a % b;
    if (Number.isSafeInteger(r) && Number.isSafeInteger(a) && Number.isSafeInteger(b)) return r;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  // BigInt division truncates toward zero and % takes the dividend's sign, as Java's long ops
  const r = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
  if (r > LONG_MAX || r < LONG_MIN) throw new FunctionError('long overflow');
  return exactInteger(r);
}

function isWhole(v: number | bigint): boolean {
  return typeof v === 'bigint' || Number.isInteger(v);
}

/** `+ - * / %` with Java semantics: integer ops when both sides are integral. */
export function arithmetic(
  op: '+' | '-' | '*' | '/' | '%',
  a: Scalar,
  b: Scalar,
  ka: NumberKind,
  kb: NumberKind,
): number | bigint | null {
  if (!isNumeric(a) || !isNumeric(b)) return null;
  const integral =
    (typeof a === 'bigint' || isIntegral(ka, a)) && (typeof b === 'bigint' || isIntegral(kb, b)) && isWhole(a) && isWhole(b);
  if (integral) {
    if ((op === '/' || op === '%') && (b === 0 || b === 0n)) throw new FunctionError('division by zero');
    return exactLong(op, a, b);
  }
  // doubles (a long beyond 2^53 as its nearest double, as Java widens it)
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '%':
      return x % y;
  }
}

function str(v: Scalar): string | null {
  return typeof v === 'string' ? v : v === null ? null : toText(v);
}

/** Java's String.toLowerCase(Locale.ROOT), used by the functions that run as scripts. */
function lowerRoot(s: string): string {
  return s.toLowerCase();
}

/** Java's (int) narrowing of a number (truncation, saturating at the int range). */
function intValue(n: number): number {
  if (Number.isNaN(n)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(n)));
}

/**
 * eql StringUtils.between: an empty source, left or right gives the source itself; the
 * substring starts after the first `left`; it ends at the next `right` (greedy: the last
 * `right` anywhere, which may lie before the start: Java's substring then fails).
 */
export function between(source: Scalar, left: Scalar, right: Scalar, greedy: Scalar, ci: boolean): Scalar {
  const s = str(source);
  if (s === null) return null;
  const l = str(left);
  const r = str(right);
  if (l === null || r === null) throw new FunctionError('a string is required; received null');
  if (s === '' || l === '' || r === '') return s;
  const hay = ci ? lowerRoot(s) : s;
  const ll = ci ? lowerRoot(l) : l;
  const rr = ci ? lowerRoot(r) : r;
  const i = hay.indexOf(ll);
  if (i < 0) return '';
  const start = i + ll.length;
  const end = greedy === true ? hay.lastIndexOf(rr) : hay.indexOf(rr, start);
  if (end < 0) return '';
  if (end < start || end > s.length) throw new FunctionError(`begin ${start}, end ${end}, length ${s.length}`);
  return s.slice(start, end);
}

const cidrCache = new Map<string, { bytes: Uint8Array; prefix: number } | null>();

export function cidrMatch(ip: Scalar, blocks: Scalar[]): Scalar {
  if (typeof ip !== 'string') return null;
  const bytes = ipToBytes(ip);
  if (!bytes) return null;
  for (const b of blocks) {
    if (typeof b !== 'string') return null;
    let c = cidrCache.get(b);
    if (c === undefined) {
      c = parseCidr(b);
      if (cidrCache.size < 10000) cidrCache.set(b, c);
    }
    if (c === null) throw new FunctionError(`invalid CIDR block "${b}"`);
    if (cidrContains(c, bytes)) return true;
  }
  return false;
}

export function concat(args: Scalar[]): Scalar {
  let out = '';
  for (const a of args) {
    const t = toText(a);
    if (t === null) return null;
    out += t;
  }
  return out;
}

/** EndsWithFunctionProcessor: `~` lower-cases both sides with Locale.ROOT. */
export function endsWith(source: Scalar, suffix: Scalar, ci: boolean): Scalar {
  const s = str(source);
  const x = str(suffix);
  if (s === null || x === null) return null;
  return ci ? lowerRoot(s).endsWith(lowerRoot(x)) : s.endsWith(x);
}

/** ql StartsWithFunctionProcessor: `~` lower-cases both sides with Locale.ROOT. */
export function startsWith(source: Scalar, prefix: Scalar, ci: boolean): Scalar {
  const s = str(source);
  const x = str(prefix);
  if (s === null || x === null) return null;
  return ci ? lowerRoot(s).startsWith(lowerRoot(x)) : s.startsWith(x);
}

/** eql StringUtils.stringContains: false when either string is empty. */
export function stringContains(source: Scalar, sub: Scalar, ci: boolean): Scalar {
  const s = str(source);
  if (s === null) return null;
  const x = str(sub);
  if (x === null) throw new FunctionError('a string is required; received null');
  if (s === '' || x === '') return false;
  return ci ? lowerRoot(s).includes(lowerRoot(x)) : s.includes(x);
}

/**
 * IndexOfFunctionProcessor: a null start is 0; Java's String.indexOf clamps a negative
 * start to 0 and, past the end, finds only the empty needle (at the length) -- as JS does.
 */
export function indexOf(source: Scalar, sub: Scalar, start: Scalar, _hasStart: boolean, ci: boolean): Scalar {
  const s = str(source);
  const x = str(sub);
  if (s === null || x === null) return null;
  if (start !== null && typeof start !== 'number') throw new FunctionError(`a number is required; received ${String(start)}`);
  const from = start === null ? 0 : intValue(start);
  const i = ci ? lowerRoot(s).indexOf(lowerRoot(x), from) : s.indexOf(x, from);
  return i < 0 ? null : i;
}

/** LengthFunctionProcessor: Java's String.length(), i.e. UTF-16 code units (as JS). */
export function length(source: Scalar): Scalar {
  const s = str(source);
  return s === null ? null : s.length;
}

/** SubstringFunctionProcessor + StringUtils.substringSlice: a null start gives the source, a null end the length. */
export function substring(source: Scalar, start: Scalar, end: Scalar, _hasEnd: boolean): Scalar {
  const s = str(source);
  if (s === null) return null;
  if (start === null) return s;
  if (typeof start !== 'number') throw new FunctionError(`a number is required; received ${String(start)}`);
  if (end !== null && typeof end !== 'number') throw new FunctionError(`a number is required; received ${String(end)}`);
  if (s === '') return s;
  const len = s.length;
  let from = intValue(start);
  let to = end === null ? len : intValue(end);
  if (from < 0) from += len;
  if (from < 0) from = 0;
  if (to < 0) to += len;
  if (to < 0) to = 0;
  else if (to > len) to = len;
  if (from >= to) return '';
  return s.slice(from, to);
}

/**
 * ToNumberFunctionProcessor: a `0x` prefix (lower-case x) means base 16 when no base is
 * given; base 10 is java.text.DecimalFormat (optional "-", digits, one "."; no "+", no
 * exponent, no spaces); other bases are Integer.parseInt (32-bit, optional sign).
 */
export function toNumber(source: Scalar, base: Scalar, hasBase: boolean): Scalar {
  if (source === null) return null;
  if (isNumeric(source)) return source;
  if (typeof source !== 'string') throw new FunctionError(`a string is required; received ${String(source)}`);
  const hex = source.startsWith('0x');
  let radix: number;
  if (!hasBase || base === null) radix = hex ? 16 : 10;
  else if (typeof base === 'number' && Number.isInteger(base)) radix = base;
  else throw new FunctionError(`an integer base is required; received ${String(base)}`);
  const text = hex && radix === 16 ? source.slice(2) : source;
  const fail = (): never => {
    throw new FunctionError(`unable to convert "${text}" to number of base ${radix}`);
  };
  if (radix === 10) {
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(text)) fail();
    // DecimalFormat.parse gives a Long when the text is an integer that fits, exact
    const i = integerFromText(text);
    if (i !== null && typeof i === 'bigint' && i >= -(2n ** 63n) && i < 2n ** 63n) return i;
    const n = Number(text);
    return Object.is(n, -0) ? -0 : n;
  }
  if (radix < 2 || radix > 36) fail();
  const m = /^([+-]?)([0-9a-zA-Z]+)$/.exec(text);
  if (!m) fail();
  let n = 0;
  for (const c of m![2]!.toLowerCase()) {
    const d = parseInt(c, 36);
    if (!(d < radix)) fail();
    n = n * radix + d;
  }
  const v = m![1] === '-' ? -n : n;
  if (v > 2147483647 || v < -2147483648) fail();
  return v;
}

export function toStringValue(v: Scalar): Scalar {
  return toText(v);
}
