/**
 * The EQL functions of Elasticsearch (8.x/9.x), over scalar runtime values. A null argument
 * gives null unless stated otherwise. `~` variants fold ASCII case. Multi-valued arguments
 * are expanded by the compiler, not here.
 */
import {
  cidrContains,
  foldAscii,
  ipToBytes,
  parseCidr,
  toText,
  type Scalar,
  type ValueType,
} from './values';

export class FunctionError extends Error {}

export type NumberKind = 'long' | 'double' | 'unknown';

function isIntegral(kind: NumberKind, v: number): boolean {
  return kind === 'long' || (kind === 'unknown' && Number.isInteger(v));
}

/** `+ - * / %` with Java semantics: integer ops when both sides are integral. */
export function arithmetic(
  op: '+' | '-' | '*' | '/' | '%',
  a: Scalar,
  b: Scalar,
  ka: NumberKind,
  kb: NumberKind,
): number | null {
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (isIntegral(ka, a) && isIntegral(kb, b)) {
        if (b === 0) throw new FunctionError('division by zero');
        return Math.trunc(a / b);
      }
      return a / b;
    case '%':
      if (isIntegral(ka, a) && isIntegral(kb, b) && b === 0) throw new FunctionError('division by zero');
      return a % b;
  }
}

function str(v: Scalar): string | null {
  return typeof v === 'string' ? v : v === null ? null : toText(v);
}

export function between(source: Scalar, left: Scalar, right: Scalar, greedy: Scalar, ci: boolean): Scalar {
  const s = str(source);
  const l = str(left);
  const r = str(right);
  if (s === null || l === null || r === null) return null;
  if (s === '') return '';
  const hay = ci ? foldAscii(s) : s;
  const ll = ci ? foldAscii(l) : l;
  const rr = ci ? foldAscii(r) : r;
  const i = hay.indexOf(ll);
  if (i < 0) return '';
  const start = i + ll.length;
  const end = greedy === true ? hay.lastIndexOf(rr) : hay.indexOf(rr, start);
  if (end < start) return '';
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

export function endsWith(source: Scalar, suffix: Scalar, ci: boolean): Scalar {
  const s = str(source);
  const x = str(suffix);
  if (s === null || x === null) return null;
  return ci ? foldAscii(s).endsWith(foldAscii(x)) : s.endsWith(x);
}

export function startsWith(source: Scalar, prefix: Scalar, ci: boolean): Scalar {
  const s = str(source);
  const x = str(prefix);
  if (s === null || x === null) return null;
  return ci ? foldAscii(s).startsWith(foldAscii(x)) : s.startsWith(x);
}

export function stringContains(source: Scalar, sub: Scalar, ci: boolean): Scalar {
  const s = str(source);
  const x = str(sub);
  if (s === null || x === null) return null;
  if (x === '') return false;
  return ci ? foldAscii(s).includes(foldAscii(x)) : s.includes(x);
}

export function indexOf(source: Scalar, sub: Scalar, start: Scalar, hasStart: boolean, ci: boolean): Scalar {
  const s = str(source);
  const x = str(sub);
  if (s === null || x === null) return null;
  let from = 0;
  if (hasStart) {
    if (typeof start !== 'number') return null;
    from = Math.max(0, Math.trunc(start));
  }
  if (from > s.length) return null;
  const i = ci ? foldAscii(s).indexOf(foldAscii(x), from) : s.indexOf(x, from);
  return i < 0 ? null : i;
}

export function length(source: Scalar): Scalar {
  const s = str(source);
  return s === null ? null : s.length;
}

export function substring(source: Scalar, start: Scalar, end: Scalar, hasEnd: boolean): Scalar {
  const s = str(source);
  if (s === null || typeof start !== 'number') return null;
  if (hasEnd && end !== null && typeof end !== 'number') return null;
  const len = s.length;
  const st = Math.trunc(start);
  let from = st < 0 ? Math.max(0, len + st) : Math.min(st, len);
  let to = len;
  if (hasEnd && typeof end === 'number') {
    const e = Math.trunc(end);
    to = e < 0 ? Math.max(0, len + e) : Math.min(e, len);
  }
  if (from >= to) return '';
  from = Math.max(0, from);
  return s.slice(from, to);
}

export function toNumber(source: Scalar, base: Scalar, hasBase: boolean): Scalar {
  if (source === null) return null;
  if (typeof source === 'number') return source;
  if (typeof source !== 'string') return null;
  if (hasBase && base !== null && typeof base !== 'number') return null;
  let text = source.trim();
  let radix = hasBase && typeof base === 'number' ? base : 10;
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    if (text[0] === '-') sign = -1;
    text = text.slice(1);
  }
  if (/^0[xX]/.test(text) && (radix === 10 || radix === 16) && !(hasBase && base === 10)) {
    radix = 16;
    text = text.slice(2);
  }
  if (text === '') throw new FunctionError(`unable to convert "${source}" to a number`);
  if (radix === 10) {
    if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
      throw new FunctionError(`unable to convert "${source}" to a number`);
    }
    return sign * Number(text);
  }
  if (radix < 2 || radix > 36) throw new FunctionError(`invalid base ${radix}`);
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
  let n = 0;
  for (const c of text.toLowerCase()) {
    const d = digits.indexOf(c);
    if (d < 0) throw new FunctionError(`unable to convert "${source}" to a number in base ${radix}`);
    n = n * radix + d;
  }
  return sign * n;
}

export function toStringValue(v: Scalar): Scalar {
  return toText(v);
}

/** Static result type of a function (for arithmetic kinds and literal coercion). */
export function functionResultType(name: string): ValueType {
  switch (name) {
    case 'length':
    case 'indexof':
      return 'long';
    case 'between':
    case 'concat':
    case 'string':
    case 'substring':
      return 'string';
    case 'cidrmatch':
    case 'endswith':
    case 'startswith':
    case 'stringcontains':
      return 'boolean';
    default:
      return 'unknown';
  }
}
