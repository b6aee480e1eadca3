/**
 * Compiles EQL expressions into closures over an event's `_source`. Field paths are
 * resolved once into accessors (nested objects and dotted keys both), literals are coerced
 * once to the field's type (dates, ips, versions), and the hot path allocates nothing for
 * scalar fields.
 *
 * Null rules (ES): comparisons, arithmetic, `in`, `:`/like/regex and functions give null
 * when an operand is null; `== null` / `!= null` are presence tests; three-valued logic.
 * Multi-valued fields: a predicate holds when any value satisfies it.
 */
import type { Expr, FieldNode, FunctionNode, InNode, LiteralNode, MatchNode, Span } from './ast';
import { rawFieldValues } from './document';
import { EqlError, EqlRuntimeError } from './errors';
import { FUNCTIONS } from './function-signatures';
import { arithmetic, FunctionError, type NumberKind } from './functions';
import { compileRegex, RegexSyntaxError } from './regex';
import { resolveAlias } from './schema';
import type { FieldSchema, Schema } from './types';
import {
  compareNumeric,
  compareVersions,
  dateBounds,
  exactInteger,
  integerFromText,
  isNumeric,
  javaDouble,
  foldAscii,
  normalizeIp,
  toEpochMillis,
  toText,
  toValue,
  type Scalar,
  type Value,
  type ValueType,
} from './values';
import { compileLuceneWildcard, compileWildcardList } from './wildcard';

export type Source = Record<string, unknown>;
export type Getter = (src: Source) => Value;

export interface CompiledExpr {
  fn: Getter;
  type: ValueType;
  /** set when the expression is a constant */
  constant?: { value: Value };
  /** set for field references */
  field?: { path: string; schema: FieldSchema | undefined };
}

export interface CompileContext {
  schema?: Schema;
  timestampField: string;
  source?: string;
  /** false: never generate code (closures only); used by differential tests */
  codegen?: boolean;
}

// ---------------------------------------------------------------- field access

type RawGetter = (src: Source) => unknown;

/**
 * Generic lookup, through the one reader of ECS documents (`document.ts`): every split of the
 * path into nested objects and dotted keys, values concatenated, arrays flattened, null not a
 * value. An explicit null (the first split found holding null) is kept as null so that a
 * mapping's `null_value` can stand in for it.
 */
function makeGenericAccessor(parts: string[]): RawGetter {
  const path = parts.join('.');
  const first = makeFirstSplitAccessor(parts);
  return (src) => {
    const vs = rawFieldValues(src, path);
    if (vs.length === 1) return vs[0];
    if (vs.length > 1) return vs;
    return first(src) === null ? null : undefined;
  };
}

/** The first split of the path that holds anything (used for explicit nulls). */
function makeFirstSplitAccessor(parts: string[]): RawGetter {
  const n = parts.length;
  // keys[i][j] = parts[i..j) joined with '.'
  const keys: string[][] = [];
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (let j = i + 1; j <= n; j++) row[j] = parts.slice(i, j).join('.');
    keys.push(row);
  }
  const resolve = (obj: unknown, i: number): unknown => {
    if (i === n) return obj;
    if (obj === null || typeof obj !== 'object') return undefined;
    if (Array.isArray(obj)) {
      const out: unknown[] = [];
      for (const el of obj) {
        const v = resolve(el, i);
        if (v === undefined) continue;
        if (Array.isArray(v)) out.push(...(v as unknown[]));
        else out.push(v);
      }
      return out.length === 0 ? undefined : out;
    }
    const rec = obj as Record<string, unknown>;
    const row = keys[i]!;
    for (let j = i + 1; j <= n; j++) {
      const k = row[j]!;
      if (Object.prototype.hasOwnProperty.call(rec, k)) {
        const v = resolve(rec[k], j);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  };
  return (src) => resolve(src, 0);
}

/** A flat array of scalars (nulls allowed): what document.ts would read, nulls aside, which the evaluator ignores. */
function isScalarArray(v: unknown): v is Scalar[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (e !== null && (typeof e === 'object' || typeof e === 'function' || e === undefined)) return false;
  }
  return true;
}

/** `v` when it is a scalar or a flat array of scalars (a leaf the fast accessors may answer with alone), else undefined. */
function scalarLeaf(v: unknown): Scalar | Scalar[] | undefined {
  if (v !== undefined && typeof v !== 'object' && typeof v !== 'function') return v as Scalar;
  return isScalarArray(v) ? v : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Raw value at `path`: undefined when absent, null for an explicit JSON null. */
export function makeRawAccessor(path: string): RawGetter {
  const parts = path.split('.');
  const generic = makeGenericAccessor(parts);
  if (parts.length === 1) {
    const k = parts[0]!;
    return (src) => {
      const v = src[k];
      if (typeof v === 'function') return Object.prototype.hasOwnProperty.call(src, k) ? v : undefined;
      return v;
    };
  }
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    const ab = `${a}.${b}`;
    return (src) => {
      const o = src[a];
      // the nested value alone is the whole answer unless a dotted key holds the path too
      if (isPlainObject(o) && src[ab] === undefined) {
        const v = scalarLeaf(o[b]);
        if (v !== undefined) return v;
      }
      return generic(src);
    };
  }
  if (parts.length === 3) {
    const [a, b, c] = parts as [string, string, string];
    const ab = `${a}.${b}`;
    const abc = `${ab}.${c}`;
    const bc = `${b}.${c}`;
    return (src) => {
      const o = src[a];
      if (isPlainObject(o) && src[ab] === undefined && src[abc] === undefined) {
        const p = o[b];
        if (isPlainObject(p) && o[bc] === undefined) {
          const v = scalarLeaf(p[c]);
          if (v !== undefined) return v;
        }
      }
      return generic(src);
    };
  }
  return generic;
}

function schemaValueType(fs: FieldSchema | undefined): ValueType {
  if (!fs) return 'unknown';
  switch (fs.type) {
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'text':
      return 'string';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
      return 'long';
    case 'double':
    case 'float':
    case 'half_float':
    case 'scaled_float':
      return 'double';
    case 'date':
    case 'date_nanos':
      return 'date';
    case 'ip':
      return 'ip';
    case 'version':
      return 'version';
    case 'boolean':
      return 'boolean';
    default:
      return 'unknown';
  }
}

function convertScalar(v: Scalar, type: ValueType): Scalar {
  if (v === null) return null;
  switch (type) {
    case 'date':
      return toEpochMillis(v);
    case 'ip':
      return typeof v === 'string' ? (normalizeIp(v) ?? v) : v;
    case 'string':
      // keyword fields index the text form of numbers and booleans (a long with all its digits)
      return typeof v === 'string' ? v : (toText(v) ?? String(v));
    case 'long':
    case 'double':
      if (typeof v === 'string') {
        // a long field parses its text exactly (NumberFieldMapper.NumberType.LONG: parser.longValue)
        const i = type === 'long' ? integerFromText(v.trim()) : null;
        if (i !== null) return i;
        const n = Number(v);
        return v.trim() !== '' && Number.isFinite(n) ? n : v;
      }
      // a double field holds the nearest double of a long
      return type === 'double' && typeof v === 'bigint' ? Number(v) : v;
    case 'boolean':
      if (v === 'true') return true;
      if (v === 'false') return false;
      return v;
    default:
      return v;
  }
}

/** A field accessor producing runtime values of the field's type. */
export function compileFieldAccess(path: string, ctx: CompileContext): CompiledExpr {
  const concrete = resolveAlias(ctx.schema, path);
  const fs = ctx.schema?.get(concrete);
  let type = schemaValueType(fs);
  if (type === 'unknown' && concrete === ctx.timestampField) type = 'date';
  const raw = makeRawAccessor(concrete);
  const nullValue = fs?.nullValue;
  const needsConversion = type === 'date' || type === 'ip' || type === 'long' || type === 'double' || type === 'boolean' || type === 'string';
  const convert = (v: unknown): Value => {
    if (v === undefined) return null;
    if (v === null) return nullValue === undefined ? null : convertScalar(nullValue, type);
    const val = toValue(v);
    if (!needsConversion) return val;
    if (Array.isArray(val)) return val.map((x) => convertScalar(x, type));
    return convertScalar(val, type);
  };
  let fn: Getter;
  if (type === 'string' && nullValue === undefined) {
    fn = (src) => {
      const v = raw(src);
      if (typeof v === 'string') return v;
      if (v === undefined || v === null) return null;
      const val = toValue(v);
      return Array.isArray(val) ? val.map((x) => convertScalar(x, 'string')) : convertScalar(val, 'string');
    };
  } else if (!needsConversion && nullValue === undefined) {
    fn = (src) => {
      const v = raw(src);
      const t = typeof v;
      if (t === 'string' || t === 'number' || t === 'boolean') return v as Scalar;
      return convert(v);
    };
  } else if (type === 'long' || type === 'double') {
    fn = (src) => {
      const v = raw(src);
      if (typeof v === 'number') return v;
      return convert(v);
    };
  } else {
    fn = (src) => convert(raw(src));
  }
  return { fn, type, field: { path: concrete, schema: fs } };
}

// ---------------------------------------------------------------- helpers

function runtimeError(span: Span, ctx: CompileContext, detail: string): EqlError {
  return new EqlRuntimeError(detail, span, ctx.source);
}

function isNullish(v: Value): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (v[i] !== null) return false;
    return true;
  }
  return false;
}

/** Coerces a constant to the comparison type of the other side. */
function coerceConstant(v: Scalar, type: ValueType, span: Span, ctx: CompileContext): Scalar {
  if (v === null) return null;
  if (type === 'date') {
    const ms = toEpochMillis(v);
    if (ms === null) throw new EqlError('invalid_value', `cannot read ${JSON.stringify(v)} as a date`, span, ctx.source);
    return ms;
  }
  if (type === 'ip' && typeof v === 'string') return normalizeIp(v) ?? v;
  // A constant of another type is converted by the field's own query (the translator emits a
  // term/range query with the literal as is): a keyword field searches the text of a number
  // (KeywordFieldType.indexedValueForSearch → BytesRefs.toBytesRef(value.toString())), a
  // numeric field parses a string (NumberFieldMapper.NumberType.parse; unparsable → error).
  if (type === 'string' && (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean')) {
    return typeof v === 'number' && !Number.isInteger(v) ? javaDouble(v) : (toText(v) ?? String(v));
  }
  if ((type === 'long' || type === 'double') && typeof v === 'string') {
    const i = type === 'long' ? integerFromText(v.trim()) : null;
    if (i !== null && compareNumeric(i, LONG_MIN) >= 0 && compareNumeric(i, LONG_MAX) <= 0) return i;
    // a decimal against a long field is no error: its term query matches nothing
    // (NumberFieldMapper LONG.termQuery: hasDecimalPart → MatchNoDocsQuery), its range query
    // rounds the bound (longRangeQuery), which comparing with the decimal itself gives
    const n = v.trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(n)) {
      throw new EqlError('invalid_value', `cannot read ${JSON.stringify(v)} as a number for a ${type} field`, span, ctx.source);
    }
    return n;
  }
  return v;
}

const DATE_EPS = 5e-5;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** A number constant a long field's range query cannot take (NumberFieldMapper.objectToLong). */
function outOfLongRange(v: Scalar): boolean {
  return typeof v === 'number' && (v >= 2 ** 63 || v < -(2 ** 63));
}

/** Ordering of two scalars of the same family; null when they cannot be compared. */
function compareTyped(a: Scalar, b: Scalar, type: ValueType): number | null {
  if (a === null || b === null) return null;
  const ta = typeof a;
  if (ta !== typeof b) {
    // a long beyond 2^53 (bigint) against a number: exact
    if (isNumeric(a) && isNumeric(b)) return compareNumeric(a, b);
    if (type === 'date') {
      const x = toEpochMillis(a);
      const y = toEpochMillis(b);
      if (x === null || y === null) return null;
      return compareTyped(x, y, type);
    }
    return null;
  }
  if (ta === 'number') {
    const x = a as number;
    const y = b as number;
    if (type === 'date' && (!Number.isInteger(x) || !Number.isInteger(y))) {
      const d = x - y;
      return d > DATE_EPS ? 1 : d < -DATE_EPS ? -1 : 0;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === 'bigint') return compareNumeric(a as bigint, b as bigint);
  if (ta === 'string') {
    if (type === 'version') return compareVersions(a as string, b as string);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (ta === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return null;
}

function truth(v: Value): boolean | null {
  if (v === true) return true;
  if (v === false) return false;
  if (Array.isArray(v)) {
    let sawFalse = false;
    for (const x of v) {
      if (x === true) return true;
      if (x === false) sawFalse = true;
    }
    return sawFalse ? false : null;
  }
  return null;
}

function numberKind(type: ValueType): NumberKind {
  return type === 'long' ? 'long' : type === 'double' ? 'double' : 'unknown';
}

function unwrap(e: Expr): Expr {
  let x = e;
  while (x.kind === 'paren') x = x.expr;
  return x;
}

// ---------------------------------------------------------------- expressions

export function compileExpr(expr: Expr, ctx: CompileContext): CompiledExpr {
  switch (expr.kind) {
    case 'paren':
      return compileExpr(expr.expr, ctx);
    case 'literal':
      return compileLiteral(expr);
    case 'field':
      return compileField(expr, ctx);
    case 'comparison':
      return compileComparison(expr.op, expr.left, expr.right, expr.span, ctx);
    case 'arithmetic': {
      const l = compileExpr(expr.left, ctx);
      const r = compileExpr(expr.right, ctx);
      // integer literals that fit 32 bits are Java Integers (ql StringUtils.parseIntegral), and
      // constant arithmetic is folded at planning with Math.addExact(int, int) & co.
      const lv = l.constant?.value;
      const rv = r.constant?.value;
      if (isInt32Literal(expr.left, lv) && isInt32Literal(expr.right, rv) && expr.op !== '/' && expr.op !== '%') {
        const res = expr.op === '+' ? lv + rv : expr.op === '-' ? lv - rv : lv * rv;
        if (res > 2147483647 || res < -2147483648) {
          throw new EqlError('invalid_value', `integer overflow in ${lv} ${expr.op} ${rv}`, expr.span, ctx.source);
        }
      }
      const kl = numberKind(l.type);
      const kr = numberKind(r.type);
      const op = expr.op;
      const type: ValueType = kl === 'double' || kr === 'double' ? 'double' : kl === 'long' && kr === 'long' ? 'long' : 'unknown';
      const span = expr.span;
      const one = (a: Scalar, b: Scalar): Scalar => {
        try {
          return arithmetic(op, a, b, kl, kr);
        } catch (e) {
          throw runtimeError(span, ctx, e instanceof Error ? e.message : String(e));
        }
      };
      return {
        type,
        fn: (src) => {
          const a = l.fn(src);
          const b = r.fn(src);
          if (!Array.isArray(a) && !Array.isArray(b)) return one(a, b);
          const as = Array.isArray(a) ? a : [a];
          const bs = Array.isArray(b) ? b : [b];
          const out: Scalar[] = [];
          for (const x of as) for (const y of bs) out.push(one(x, y));
          return out;
        },
      };
    }
    case 'negate': {
      const o = compileExpr(expr.operand, ctx);
      if (o.constant && isNumeric(o.constant.value)) {
        const v = -o.constant.value;
        return { fn: () => v, type: o.type, constant: { value: v } };
      }
      // ql Arithmetics.negate: Math.negateExact for longs (-Long.MIN_VALUE fails: "long
      // overflow"), and a double equal to Double.MIN_VALUE fails as well ("double overflow")
      const span = expr.span;
      const neg = (v: Scalar): Scalar => {
        if (!isNumeric(v)) return null;
        if (v === -(2 ** 63) && o.type !== 'double') throw runtimeError(span, ctx, 'long overflow');
        if (v === Number.MIN_VALUE) throw runtimeError(span, ctx, 'double overflow');
        return -v;
      };
      return {
        type: o.type,
        fn: (src) => {
          const v = o.fn(src);
          return Array.isArray(v) ? v.map(neg) : neg(v);
        },
      };
    }
    case 'not': {
      const o = compileExpr(expr.operand, ctx);
      return {
        type: 'boolean',
        fn: (src) => {
          const t = truth(o.fn(src));
          return t === null ? null : !t;
        },
      };
    }
    case 'and':
    case 'or': {
      const ops = expr.operands.map((x) => compileExpr(x, ctx).fn);
      const isAnd = expr.kind === 'and';
      if (ops.length === 2) {
        const [a, b] = ops as [Getter, Getter];
        if (isAnd) {
          return {
            type: 'boolean',
            fn: (src) => {
              const x = a(src);
              if (x === false) return false;
              const tx = x === true ? true : truth(x);
              if (tx === false) return false;
              const y = b(src);
              const ty = y === true ? true : truth(y);
              if (ty === false) return false;
              return tx === null || ty === null ? null : true;
            },
          };
        }
      }
      // three-valued fold: `and` stops at the first false, `or` at the first true; else null if any was null
      const decisive = !isAnd;
      return {
        type: 'boolean',
        fn: (src) => {
          let sawNull = false;
          for (let i = 0; i < ops.length; i++) {
            const v = ops[i]!(src);
            const t = v === true || v === false ? v : truth(v);
            if (t === decisive) return decisive;
            if (t === null) sawNull = true;
          }
          return sawNull ? null : !decisive;
        },
      };
    }
    case 'in':
      return compileIn(expr, ctx);
    case 'match':
      return compileMatch(expr, ctx);
    case 'function':
      return compileFunction(expr, ctx);
  }
}

function isInt32Literal(e: Expr, v: Value | undefined): v is number {
  const x = unwrap(e);
  const lit = x.kind === 'literal' || (x.kind === 'negate' && unwrap(x.operand).kind === 'literal');
  return lit && typeof v === 'number' && Number.isInteger(v) && v <= 2147483647 && v >= -2147483648;
}

/** A literal's value: a long beyond 2^53 exact (from its text), as a bigint. */
function literalValue(node: LiteralNode): Scalar {
  return node.text !== undefined && node.numberKind === 'long' ? exactInteger(BigInt(node.text)) : node.value;
}

function compileLiteral(node: LiteralNode): CompiledExpr {
  const v = literalValue(node);
  const type: ValueType =
    v === null
      ? 'null'
      : typeof v === 'string'
        ? 'string'
        : typeof v === 'boolean'
          ? 'boolean'
          : node.numberKind === 'double' || (typeof v === 'number' && !Number.isInteger(v))
            ? 'double'
            : 'long';
  return { fn: () => v, type, constant: { value: v } };
}

function compileField(node: FieldNode, ctx: CompileContext): CompiledExpr {
  if (node.optional && ctx.schema) {
    const concrete = resolveAlias(ctx.schema, node.name);
    if (!ctx.schema.has(concrete)) return { fn: () => null, type: 'null', constant: { value: null } };
  }
  return compileFieldAccess(node.name, ctx);
}

function compileComparison(
  op: '==' | '!=' | '<' | '<=' | '>' | '>=',
  leftExpr: Expr,
  rightExpr: Expr,
  span: Span,
  ctx: CompileContext,
): CompiledExpr {
  let l = compileExpr(leftExpr, ctx);
  let r = compileExpr(rightExpr, ctx);
  // presence tests
  if (op === '==' || op === '!=') {
    const lNull = l.constant !== undefined && l.constant.value === null;
    const rNull = r.constant !== undefined && r.constant.value === null;
    if (lNull || rNull) {
      const other = lNull ? r : l;
      const want = op === '==';
      if (lNull && rNull) return { type: 'boolean', fn: () => want, constant: { value: want } };
      return { type: 'boolean', fn: (src) => isNullish(other.fn(src)) === want };
    }
  }
  // the comparison type comes from the non-constant side
  const type: ValueType =
    l.type === 'date' || r.type === 'date'
      ? 'date'
      : l.type === 'ip' || r.type === 'ip'
        ? 'ip'
        : l.type === 'version' || r.type === 'version'
          ? 'version'
          : l.constant
            ? r.type
            : l.type;
  // a date field against a date string: the string's precision interval (dateBounds)
  if (type === 'date') {
    const rounded = roundedDateComparison(op, l, r);
    if (rounded) return rounded;
  }
  if (l.constant && !Array.isArray(l.constant.value)) {
    const v = coerceConstant(l.constant.value, type, leftExpr.span, ctx);
    l = { fn: () => v, type, constant: { value: v } };
  }
  if (r.constant && !Array.isArray(r.constant.value)) {
    const v = coerceConstant(r.constant.value, type, rightExpr.span, ctx);
    r = { fn: () => v, type, constant: { value: v } };
  }
  // a long field's range query with a bound beyond the long range fails the query
  // (NumberFieldMapper.NumberType.longRangeQuery → objectToLong: "out of range for a long");
  // its term query matches nothing (LONG.termQuery: isOutOfRange → MatchNoDocsQuery), which the
  // comparison below gives as is
  if (type === 'long' && op !== '==' && op !== '!=') {
    const side = l.constant ? l : r.constant ? r : null;
    const c = side?.constant?.value;
    if (side && !Array.isArray(c) && c !== undefined && outOfLongRange(c)) {
      throw new EqlError('invalid_value', `value [${javaDouble(c as number)}] is out of range for a long field`, side === l ? leftExpr.span : rightExpr.span, ctx.source);
    }
  }
  const simpleEq = type !== 'date' && type !== 'version';
  let test: (c: number) => boolean;
  switch (op) {
    case '==':
      test = (c) => c === 0;
      break;
    case '!=':
      test = (c) => c !== 0;
      break;
    case '<':
      test = (c) => c < 0;
      break;
    case '<=':
      test = (c) => c <= 0;
      break;
    case '>':
      test = (c) => c > 0;
      break;
    case '>=':
      test = (c) => c >= 0;
      break;
  }
  const scalarCmp = (a: Scalar, b: Scalar): boolean | null => {
    if (a === null || b === null) return null;
    if (simpleEq && (op === '==' || op === '!=')) {
      if (typeof a !== typeof b) return op === '!=';
      return (a === b) === (op === '==');
    }
    const c = compareTyped(a, b, type);
    if (c === null) return op === '==' ? false : op === '!=' ? true : null;
    return test(c);
  };
  const multi = (a: Value, b: Value): boolean | null => {
    const as = Array.isArray(a) ? a : [a];
    const bs = Array.isArray(b) ? b : [b];
    // any combination of values (Scripts.multiValueDocValuesRewrite; InternalEqlScriptUtils
    // .multiValueDocValues): also for `!=`, which reaches here only inside a script; a filter's
    // `field != constant` is must_not(term), see buildPred
    let sawNull = false;
    let sawFalse = false;
    for (const x of as)
      for (const y of bs) {
        const t = scalarCmp(x, y);
        if (t === true) return true;
        if (t === null) sawNull = true;
        else sawFalse = true;
      }
    return sawFalse ? false : sawNull ? null : false;
  };
  const lf = l.fn;
  const rf = r.fn;
  if (r.constant && typeof r.constant.value === 'string' && simpleEq && (op === '==' || op === '!=')) {
    const k = r.constant.value;
    const eq = op === '==';
    return {
      type: 'boolean',
      fn: (src) => {
        const a = lf(src);
        if (typeof a === 'string') return (a === k) === eq;
        if (a === null) return null;
        return multi(a, k);
      },
    };
  }
  return {
    type: 'boolean',
    fn: (src) => {
      const a = lf(src);
      const b = rf(src);
      if (!Array.isArray(a) && !Array.isArray(b)) return scalarCmp(a, b);
      return multi(a, b);
    },
  };
}

const MIRRORED = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

/**
 * `date_field OP "date text"` as Elasticsearch's range/term query on a date field rounds the
 * text (values.dateBounds): == is lo ≤ v ≤ hi, > is v > hi, >= is v ≥ lo, < is v < lo, <= is
 * v ≤ hi. Null when the constant is not a date string (numbers compare exactly).
 */
function roundedDateComparison(
  op: '==' | '!=' | '<' | '<=' | '>' | '>=',
  l: CompiledExpr,
  r: CompiledExpr,
): CompiledExpr | null {
  let field = l;
  let c = r;
  let o = op;
  if (l.constant && !r.constant) {
    field = r;
    c = l;
    o = MIRRORED[op];
  }
  if (field.constant || !c.constant || typeof c.constant.value !== 'string') return null;
  const b = dateBounds(c.constant.value);
  if (!b) return null;
  const { lo, hi } = b;
  const test = (v: number): boolean => {
    switch (o) {
      case '==':
        return v >= lo && v <= hi;
      case '!=':
        return v < lo || v > hi;
      case '>':
        return v > hi;
      case '>=':
        return v >= lo;
      case '<':
        return v < lo;
      case '<=':
        return v <= hi;
    }
  };
  const one = (x: Scalar): boolean | null => {
    const v = typeof x === 'number' ? x : toEpochMillis(x);
    return v === null ? null : test(v);
  };
  const f = field.fn;
  return {
    type: 'boolean',
    fn: (src) => anyValue(f(src), one, undefined),
  };
}

/**
 * A test over a field that may hold several values: true when it holds for some value, false
 * when it fails for some and holds for none, null when it is unknown (null) for every value.
 */
function anyValue<A>(v: Value, one: (x: Scalar, a: A) => boolean | null, a: A): boolean | null {
  if (!Array.isArray(v)) return one(v, a);
  let sawValue = false;
  for (const x of v) {
    const t = one(x, a);
    if (t === true) return true;
    if (t === false) sawValue = true;
  }
  return sawValue ? false : null;
}

function compileIn(node: InNode, ctx: CompileContext): CompiledExpr {
  const value = compileExpr(node.value, ctx);
  const items = node.list.map((x) => compileExpr(unwrap(x), ctx));
  const ci = node.caseInsensitive;
  const negated = node.negated;
  const type = value.type;
  const norm = (v: Scalar): Scalar => (ci && typeof v === 'string' ? foldAscii(v) : v);
  const allConst = items.every((i) => i.constant !== undefined && !Array.isArray(i.constant.value));
  let contains: (v: Scalar, src: Source) => boolean;
  if (allConst) {
    const set = new Set<Scalar>();
    const dates: Array<{ lo: number; hi: number }> = [];
    for (let i = 0; i < items.length; i++) {
      const c = items[i]!.constant!.value as Scalar;
      if (c === null) continue;
      const v = norm(coerceConstant(c, type, node.list[i]!.span, ctx));
      set.add(v);
      if (type === 'date' && typeof v === 'number') {
        // each term of a date terms query is rounded like a term query (dateBounds)
        const b = typeof c === 'string' ? dateBounds(c) : null;
        dates.push(b ?? { lo: v - DATE_EPS, hi: v + DATE_EPS });
      }
    }
    if (type === 'date') {
      contains = (v) => typeof v === 'number' && dates.some((d) => v >= d.lo && v <= d.hi);
    } else if (type === 'version') {
      contains = (v) => {
        for (const x of set) if (typeof x === 'string' && typeof v === 'string' && compareVersions(v, x) === 0) return true;
        return false;
      };
    } else {
      contains = (v) => set.has(norm(v));
    }
  } else {
    contains = (v, src) => {
      const nv = norm(v);
      for (const it of items) {
        const x = it.fn(src);
        const xs = Array.isArray(x) ? x : [x];
        for (const y of xs) {
          if (y === null) continue;
          const ny = norm(coerceConstant(y, type, node.span, ctx));
          if (ny === nv) return true;
          if (typeof ny === typeof nv && compareTyped(nv, ny, type) === 0) return true;
        }
      }
      return false;
    };
  }
  const present = (x: Scalar, src: Source): boolean | null => (x === null ? null : contains(x, src));
  const vf = value.fn;
  return {
    type: 'boolean',
    fn: (src) => {
      const found = anyValue(vf(src), present, src);
      return found === null ? null : found !== negated;
    },
  };
}

function compileMatch(node: MatchNode, ctx: CompileContext): CompiledExpr {
  const value = compileExpr(node.value, ctx);
  const patterns: string[] = [];
  for (const p of node.patterns) {
    if (p.value === null) continue;
    patterns.push(typeof p.value === 'string' ? p.value : String(p.value));
  }
  let matcher: (s: string) => boolean;
  if (node.op === 'regex' || node.op === 'regex~') {
    const ci = node.op === 'regex~';
    try {
      const ms = patterns.map((p) => compileRegex(p, ci));
      matcher = ms.length === 1 ? ms[0]! : (s) => ms.some((m) => m(s));
    } catch (e) {
      if (e instanceof RegexSyntaxError) throw new EqlError('invalid_value', e.message, node.span, ctx.source);
      throw e;
    }
  } else {
    matcher = compileWildcardList(patterns, node.op !== 'like');
  }
  const vf = value.fn;
  const one = (v: Scalar): boolean | null => {
    if (v === null) return null;
    return matcher(typeof v === 'string' ? v : String(v));
  };
  return {
    type: 'boolean',
    fn: (src) => {
      const v = vf(src);
      return typeof v === 'string' ? matcher(v) : anyValue(v, one, undefined);
    },
  };
}

function compileFunction(node: FunctionNode, ctx: CompileContext): CompiledExpr {
  const args = node.args.map((a) => compileExpr(a, ctx));
  const fns = args.map((a) => a.fn);
  const n = args.length;
  const first = (v: Value): Scalar => (Array.isArray(v) ? (v.find((x) => x !== null) ?? null) : v);
  // one registry entry per function: signature, result type and implementation
  const entry = FUNCTIONS.get(node.name.toLowerCase());
  if (!entry) throw new EqlError('unknown_function', `unknown function ${node.displayName}`, node.span, ctx.source);
  const argTypes = args.map((a) => a.type);
  const impl = entry.bind({ argTypes, n, ci: node.caseInsensitive });
  const type: ValueType = entry.resultType(argTypes);
  const span = node.span;
  const call = (vals: Scalar[]): Scalar => {
    try {
      return impl(vals);
    } catch (e) {
      if (e instanceof FunctionError) throw runtimeError(span, ctx, `${node.displayName}: ${e.message}`);
      throw e;
    }
  };
  const buf: Scalar[] = new Array<Scalar>(n).fill(null);
  return {
    type,
    fn: (src) => {
      const v0 = n > 0 ? fns[0]!(src) : null;
      let later: Value[] | null = null;
      for (let i = 1; i < n; i++) {
        const v = fns[i]!(src);
        if (Array.isArray(v)) (later ??= [])[i] = v;
        buf[i] = first(v);
      }
      if (later !== null) return everyCombination(v0, later, buf, call);
      if (Array.isArray(v0)) {
        const out: Scalar[] = [];
        for (const x of v0) {
          const vals = buf.slice();
          vals[0] = x;
          out.push(call(vals));
        }
        return out;
      }
      if (n > 0) buf[0] = v0;
      return call(buf.slice());
    },
  };
}

// ---------------------------------------------------------------- filter predicates
//
// A filter condition is not evaluated as one three-valued expression. Elasticsearch
// translates it into a Lucene query (EQL QueryTranslator / QL ExpressionTranslators):
// `and`/`or` become bool queries, `not` becomes `must_not` (ExpressionTranslators.Nots:
// NotQuery around the operand's query; for a script operand the multi-value rewrite in
// Scripts.docValuesRewrite moves the `not` outside the null-safe filter), and every other
// node becomes a leaf query (term, terms, range, wildcard, regexp, exists) or a script
// query whose null result means "no match" (Scripts.nullSafeFilter). So at the level of
// the filter, logic is two-valued: `not X` holds exactly when X does not match, also when
// a field is missing -- except that the optimizer first turns `not` over a comparison
// into the opposite comparison (see buildPred). `a != "x"` on a field is
// `must_not(term)` (NotEquals in ExpressionTranslators.BinaryComparisons), and
// `a not in (…)` is Not(In). Expressions
// without fields are folded first, three-valued (OptimizerRules.ConstantFolding; a null
// filter is pruned by PruneFilters). See lib/eql/SEMANTICS.md §1.

type Pred =
  | { k: 'const'; v: boolean | null }
  | { k: 'fn'; f: (src: Source) => boolean }
  | { k: 'and' | 'or'; ops: Pred[] }
  | { k: 'not'; op: Pred }
  | { k: 'leaf'; expr: Expr };

/** True when the expression reads no field of the event (optional unmapped fields are null literals). */
function isFoldable(e: Expr, ctx: CompileContext): boolean {
  switch (e.kind) {
    case 'literal':
      return true;
    case 'field':
      return e.optional && ctx.schema !== undefined && !ctx.schema.has(resolveAlias(ctx.schema, e.name));
    case 'paren':
      return isFoldable(e.expr, ctx);
    case 'comparison':
    case 'arithmetic':
      return isFoldable(e.left, ctx) && isFoldable(e.right, ctx);
    case 'negate':
    case 'not':
      return isFoldable(e.operand, ctx);
    case 'and':
    case 'or':
      return e.operands.every((o) => isFoldable(o, ctx));
    case 'in':
      return isFoldable(e.value, ctx) && e.list.every((o) => isFoldable(o, ctx));
    case 'match':
      return isFoldable(e.value, ctx);
    case 'function':
      return e.args.every((o) => isFoldable(o, ctx));
  }
}

function isNullLiteral(e: Expr): boolean {
  const x = unwrap(e);
  return x.kind === 'literal' && x.value === null;
}

function isFieldRef(e: Expr, ctx: CompileContext): boolean {
  const x = unwrap(e);
  return x.kind === 'field' && !isFoldable(x, ctx);
}

interface FieldComparison {
  path: string;
  op: '==' | '!=' | '<' | '<=' | '>' | '>=';
  value: string | number | bigint;
}

/** `field OP constant` (also `constant OP field`, and `not` over it), for PropagateEquals. */
function asFieldComparison(e: Expr, ctx: CompileContext): FieldComparison | null {
  let x = unwrap(e);
  let negate = false;
  if (x.kind === 'not') {
    negate = true;
    x = unwrap(x.operand);
  }
  if (x.kind !== 'comparison') return null;
  let op: FieldComparison['op'] = negate ? NEGATED_OP[x.op] : x.op;
  let f = unwrap(x.left);
  let c = unwrap(x.right);
  if (f.kind === 'literal') {
    [f, c] = [c, f];
    op = MIRRORED[op];
  }
  if (f.kind !== 'field' || !isFieldRef(f, ctx) || c.kind !== 'literal') return null;
  const value = literalValue(c);
  if (typeof value !== 'string' && !isNumeric(value)) return null;
  const type = compileFieldAccess(f.name, ctx).type;
  if (type !== 'string' && type !== 'long' && type !== 'double' && type !== 'unknown') return null;
  return { path: resolveAlias(ctx.schema, f.name), op, value };
}

/** 'number' for numbers and bigints (one family, compared exactly), else the typeof. */
function family(v: unknown): string {
  return typeof v === 'bigint' ? 'number' : typeof v;
}

function holds(a: string | number | bigint, op: FieldComparison['op'], b: string | number | bigint): boolean | null {
  if (family(a) !== family(b)) return null;
  const c = a < b ? -1 : a > b ? 1 : 0;
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

/**
 * OptimizerRules.PropagateEquals over a conjunction: two equalities of one field with
 * different constants make it false; a comparison (or `!=`) of that field which the
 * equality's value contradicts makes it false, one it satisfies is dropped. This decides
 * multi-valued documents the way Elasticsearch does (`x == "a" and x == "b"` never matches,
 * even for `x: ["a", "b"]`). Returns the remaining operands, or false.
 */
function propagateEquals(operands: Expr[], ctx: CompileContext): Expr[] | false {
  const comps = operands.map((o) => asFieldComparison(o, ctx));
  const eq = new Map<string, string | number | bigint>();
  for (const c of comps) {
    if (c === null || c.op !== '==') continue;
    const known = eq.get(c.path);
    if (known === undefined) eq.set(c.path, c.value);
    else if (holds(known, '==', c.value) === false) return false;
  }
  if (eq.size === 0) return operands;
  const out: Expr[] = [];
  for (let i = 0; i < operands.length; i++) {
    const c = comps[i];
    const v = c ? eq.get(c.path) : undefined;
    if (c && c.op !== '==' && v !== undefined) {
      const h = holds(v, c.op, c.value);
      if (h === false) return false;
      if (h === true) continue;
    }
    out.push(operands[i]!);
  }
  return out;
}

/**
 * OptimizerRules.PropagateEquals over a disjunction (`propagate(Or)`): `x == 2 or x != 2` is
 * TRUE and `x == 2 or x != 5` is `x != 5` — the equality is dropped. The latter changes what a
 * multi-valued document matches: `x: [2, 5]` satisfies the equality but not `x != 5`
 * (must_not), so Elasticsearch does not return it, and neither does the engine. The rule's
 * other rewrites (an equality merged into a range or an inequality: `x == 2 or x > 1` → `x > 1`,
 * `x == 2 or x < 2` → `x <= 2`) hold value by value, so they change no result and are not
 * made. Returns the remaining operands, or true.
 */
function propagateEqualsOr(operands: Expr[], ctx: CompileContext): Expr[] | true {
  const comps = operands.map((o) => asFieldComparison(o, ctx));
  if (!comps.some((c) => c !== null && c.op === '!=')) return operands;
  const out: Expr[] = [];
  for (let i = 0; i < operands.length; i++) {
    const c = comps[i];
    if (c && c.op === '==') {
      let drop = false;
      for (const n of comps) {
        if (!n || n.op !== '!=' || n.path !== c.path) continue;
        const same = holds(c.value, '==', n.value);
        if (same === true) return true;
        if (same === false) {
          drop = true;
          break;
        }
      }
      if (drop) continue;
    }
    out.push(operands[i]!);
  }
  return out;
}

/**
 * OptimizerRules.CombineBinaryComparisons over a conjunction: a lower and an upper bound of
 * one field (`x > 1 and x <= 5`) become one range query, so one value must lie within both
 * (a multi-valued `[0, 9]` does not match, though each bound alone has a value). Only the
 * tightest bound of each side counts. The bounds' comparisons are replaced by one predicate.
 */
function combineRanges(operands: Expr[], ctx: CompileContext): { rest: Expr[]; ranges: Pred[] } {
  const comps = operands.map((o) => asFieldComparison(o, ctx));
  const byPath = new Map<string, number[]>();
  comps.forEach((c, i) => {
    if (c && c.op !== '==' && c.op !== '!=') byPath.set(c.path, [...(byPath.get(c.path) ?? []), i]);
  });
  const drop = new Set<number>();
  const ranges: Pred[] = [];
  for (const idx of byPath.values()) {
    const cs = idx.map((i) => comps[i]!);
    const kind = family(cs[0]!.value);
    if (cs.some((c) => family(c.value) !== kind)) continue;
    const lowers = cs.filter((c) => c.op === '>' || c.op === '>=');
    const uppers = cs.filter((c) => c.op === '<' || c.op === '<=');
    if (lowers.length === 0 || uppers.length === 0) continue;
    const tight = (list: FieldComparison[], lower: boolean): FieldComparison =>
      list.reduce((a, b) => {
        if (a.value === b.value) return a.op.length === 1 ? a : b; // strict beats inclusive
        return (a.value > b.value) === lower ? a : b;
      });
    const lo = tight(lowers, true);
    const hi = tight(uppers, false);
    const fieldExpr = operands[idx[0]!]!;
    const f = compileExpr(fieldOf(fieldExpr), ctx).fn;
    const inRange = (v: Scalar): boolean =>
      v !== null && family(v) === kind && holds(v as string | number | bigint, lo.op, lo.value) === true && holds(v as string | number | bigint, hi.op, hi.value) === true;
    ranges.push({
      k: 'fn',
      f: (src) => {
        const v = f(src);
        if (!Array.isArray(v)) return inRange(v);
        for (const x of v) if (inRange(x)) return true;
        return false;
      },
    });
    for (const i of idx) drop.add(i);
  }
  return { rest: operands.filter((_, i) => !drop.has(i)), ranges };
}

/** The field node of a `field OP constant` comparison (possibly under `not`, either side). */
function fieldOf(e: Expr): Expr {
  let x = unwrap(e);
  if (x.kind === 'not') x = unwrap(x.operand);
  if (x.kind !== 'comparison') return x;
  return unwrap(x.left).kind === 'field' ? x.left : x.right;
}

const NEGATED_OP = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const;

function buildPred(e: Expr, ctx: CompileContext): Pred {
  const x = unwrap(e);
  if (isFoldable(x, ctx)) {
    const c = compileExpr(x, ctx);
    return { k: 'const', v: truth(c.fn({})) };
  }
  switch (x.kind) {
    case 'and':
    case 'or': {
      const isAnd = x.kind === 'and';
      const ops: Pred[] = [];
      // Predicates.splitAnd / splitOr: nested conjunctions (disjunctions) are one list
      const flatten = (list: Expr[]): Expr[] =>
        list.flatMap((o) => {
          const u = unwrap(o);
          return u.kind === x.kind ? flatten(u.operands) : [o];
        });
      let operands = flatten(x.operands);
      if (isAnd) {
        const propagated = propagateEquals(operands, ctx);
        if (propagated === false) return { k: 'const', v: false };
        const combined = combineRanges(propagated, ctx);
        operands = combined.rest;
        ops.push(...combined.ranges);
      } else {
        const propagated = propagateEqualsOr(operands, ctx);
        if (propagated === true) return { k: 'const', v: true };
        operands = propagated;
      }
      for (const o of operands) {
        const p = buildPred(o, ctx);
        if (p.k === 'const') {
          // a null or false operand of `and` matches nothing; of `or` it adds nothing
          if (isAnd && p.v !== true) return { k: 'const', v: false };
          if (!isAnd && p.v === true) return { k: 'const', v: true };
          continue;
        }
        ops.push(p);
      }
      if (ops.length === 0) return { k: 'const', v: isAnd };
      return ops.length === 1 ? ops[0]! : { k: x.kind, ops };
    }
    case 'not': {
      // Not over a comparison is replaced by the negated comparison before translation
      // (OptimizerRules.BooleanSimplification.simplifyNot: Negatable.negate(); Equals ↔
      // NotEquals, GreaterThan ↔ LessThanOrEqual, …): `not (x > 5)` is the range `x <= 5`,
      // which a missing x does not match, while `not (x == 5)` is `x != 5`, i.e. must_not.
      const inner = unwrap(x.operand);
      if (inner.kind === 'comparison' && !isFoldable(inner, ctx)) {
        return buildPred({ ...inner, op: NEGATED_OP[inner.op] }, ctx);
      }
      if (inner.kind === 'not') return buildPred(inner.operand, ctx);
      const p = buildPred(x.operand, ctx);
      if (p.k === 'const') return { k: 'const', v: p.v === null ? null : !p.v };
      return { k: 'not', op: p };
    }
    case 'comparison': {
      // `f(…) == true` is f(…), `f(…) == false` is not f(…), and `!=` the other way round
      // (OptimizerRules.BooleanFunctionEqualsElimination, after LiteralsOnTheRight)
      if (x.op === '==' || x.op === '!=') {
        const l = unwrap(x.left);
        const r = unwrap(x.right);
        const [fn, lit] = r.kind === 'literal' ? [l, r] : l.kind === 'literal' ? [r, l] : [null, null];
        if (fn && lit && typeof lit.value === 'boolean' && fn.kind !== 'field' && fn.kind !== 'literal') {
          const keep = (x.op === '==') === lit.value;
          return buildPred(keep ? fn : { kind: 'not', operand: fn, span: x.span }, ctx);
        }
      }
      // field != constant: must_not(term) (ExpressionTranslators.BinaryComparisons, NotEquals)
      if (x.op === '!=' && !isNullLiteral(x.left) && !isNullLiteral(x.right)) {
        const fieldLeft = isFieldRef(x.left, ctx) && isFoldable(x.right, ctx);
        const fieldRight = isFieldRef(x.right, ctx) && isFoldable(x.left, ctx);
        if (fieldLeft || fieldRight) return { k: 'not', op: { k: 'leaf', expr: { ...x, op: '==' } } };
      }
      return { k: 'leaf', expr: x };
    }
    case 'in':
      // `x not in (…)` is Not(In(…)): must_not around the terms query (or the script)
      if (x.negated) return { k: 'not', op: { k: 'leaf', expr: { ...x, negated: false } } };
      return { k: 'leaf', expr: x };
    default:
      return { k: 'leaf', expr: x };
  }
}

function predClosure(p: Pred, ctx: CompileContext): (src: Source) => boolean {
  switch (p.k) {
    case 'const': {
      const v = p.v === true;
      return () => v;
    }
    case 'not': {
      const f = predClosure(p.op, ctx);
      return (src) => !f(src);
    }
    case 'and': {
      const fs = p.ops.map((o) => predClosure(o, ctx));
      return (src) => {
        for (let i = 0; i < fs.length; i++) if (!fs[i]!(src)) return false;
        return true;
      };
    }
    case 'or': {
      const fs = p.ops.map((o) => predClosure(o, ctx));
      return (src) => {
        for (let i = 0; i < fs.length; i++) if (fs[i]!(src)) return true;
        return false;
      };
    }
    case 'leaf':
      return leafClosure(p.expr, ctx);
    case 'fn':
      return p.f;
  }
}

/** The predicate of a leaf query: a Lucene query where Elasticsearch builds one, else the (script) expression. */
function leafClosure(x: Expr, ctx: CompileContext): (src: Source) => boolean {
  const q = functionQueryLeaf(x, ctx);
  if (q) return q;
  const f = compileExpr(x, ctx).fn;
  return (src) => {
    const v = f(src);
    return v === true || (Array.isArray(v) && truth(v) === true);
  };
}

/**
 * `stringContains`/`endsWith`/`startsWith` of a field and a constant are not run as
 * scripts: eql QueryTranslator.CaseInsensitiveScalarFunctions builds a wildcard query by
 * concatenation (`*` + text + `*`, `*` + text), so `*`, `?` and `\` in the text are
 * wildcard syntax and an empty text matches every value; ql ExpressionTranslators.Scalars
 * .doKnownTranslate turns startsWith into a prefix query (literal). `~` folds ASCII only
 * there (AutomatonQueries). Any value of a multi-valued field may match.
 */
function functionQueryLeaf(x: Expr, ctx: CompileContext): ((src: Source) => boolean) | null {
  if (x.kind !== 'function' || x.args.length !== 2) return null;
  const name = x.name;
  if (name !== 'stringcontains' && name !== 'endswith' && name !== 'startswith') return null;
  const [fa, ca] = x.args as [Expr, Expr];
  if (!isFieldRef(fa, ctx) || !isFoldable(ca, ctx)) return null;
  const text = compileExpr(ca, ctx).fn({});
  if (typeof text !== 'string') return null;
  const field = compileExpr(fa, ctx);
  if (field.type !== 'string' && field.type !== 'unknown') return null;
  const ci = x.caseInsensitive;
  let matcher: (s: string) => boolean;
  if (name === 'startswith') {
    const p = ci ? foldAscii(text) : text;
    matcher = ci ? (s) => s.length >= p.length && foldAscii(s.slice(0, p.length)) === p : (s) => s.startsWith(p);
  } else {
    matcher = compileLuceneWildcard(name === 'endswith' ? `*${text}` : `*${text}*`, ci);
  }
  const f = field.fn;
  return (src) => {
    const v = f(src);
    if (typeof v === 'string') return matcher(v);
    if (!Array.isArray(v)) return v !== null && matcher(String(v));
    for (const e of v) if (e !== null && matcher(typeof e === 'string' ? e : String(e))) return true;
    return false;
  };
}

/** Work bound on value combinations of one function call over multi-valued arguments. */
const MAX_COMBINATIONS = 4096;

/**
 * A script sees every combination of the values of multi-valued fields
 * (Scripts.multiValueDocValuesRewrite): the call is made for each, and the leaf holds when
 * any result does. Bounded by MAX_COMBINATIONS (further combinations are not tried).
 */
function everyCombination(v0: Value, later: Value[], buf: Scalar[], call: (vals: Scalar[]) => Scalar): Scalar[] {
  const lists: Scalar[][] = [Array.isArray(v0) ? (v0.length > 0 ? v0 : [null]) : [v0]];
  for (let i = 1; i < buf.length; i++) {
    const v = later[i];
    lists.push(Array.isArray(v) ? (v.length > 0 ? v : [null]) : [buf[i]!]);
  }
  const out: Scalar[] = [];
  const idx = new Array<number>(lists.length).fill(0);
  for (;;) {
    out.push(call(idx.map((k, i) => lists[i]![k]!)));
    if (out.length >= MAX_COMBINATIONS) return out;
    let i = lists.length - 1;
    while (i >= 0 && ++idx[i]! >= lists[i]!.length) idx[i--] = 0;
    if (i < 0) return out;
  }
}

/**
 * Compiles a filter condition into a predicate (two-valued at the filter level, see above).
 * With `category`, the predicate first requires the event category (read at
 * `category.path`) to be `category.value`; `category.slow` decides the cases a plain string
 * read cannot (arrays, dotted keys).
 */
export function compileCondition(
  expr: Expr,
  ctx: CompileContext,
  category?: { value: string; path: string; slow: (src: Source) => boolean },
): (src: Source) => boolean {
  const pred = buildPred(expr, ctx);
  if (ctx.codegen !== false) {
    const generated = generateCondition(pred, ctx, category);
    if (generated) return generated;
  }
  const cond = predClosure(pred, ctx);
  if (!category) return cond;
  const slow = category.slow;
  return (src) => slow(src) && cond(src);
}

export { javaDouble } from './values';

// ---------------------------------------------------------------- code generation
//
// The closure tree above is general; for the common shapes of detection rules (and/or/not
// over `field == "text"`, `field : (patterns)`, `field in ("a", "b")`) a specialised
// function is generated once per query so that every field read and test is inline
// (distinct call sites the JIT can optimise). Each generated test reads the field along
// nested objects and uses the result only when it is a plain string; any other case
// (missing field, dotted keys, arrays, numbers) calls the closure of that sub-expression,
// so results are identical to the closure tree.

function isTrue(v: Value): boolean {
  return v === true || (Array.isArray(v) && truth(v) === true);
}

interface Gen {
  helpers: unknown[];
  accessors: Map<string, number>;
  source: string[];
}

function helper(g: Gen, value: unknown): string {
  g.helpers.push(value);
  return `h[${g.helpers.length - 1}]`;
}

/** A generated function name reading a string-typed field along nested objects (undefined otherwise). */
function inlineAccessor(g: Gen, path: string): string {
  const known = g.accessors.get(path);
  if (known !== undefined) return `a${known}`;
  const id = g.accessors.size;
  g.accessors.set(path, id);
  const parts = path.split('.');
  let body = 'let o = src;';
  for (let i = 0; i < parts.length; i++) {
    body += ` if (typeof o !== "object" || o === null) return undefined;`;
    // a dotted key holding part of the rest of the path: the closure (document.ts) decides
    for (let j = i + 2; j <= parts.length; j++) body += ` if (o[${JSON.stringify(parts.slice(i, j).join('.'))}] !== undefined) return undefined;`;
    body += ` o = o[${JSON.stringify(parts[i])}];`;
  }
  g.source.push(`function a${id}(src) { ${body} return o; }`);
  return `a${id}`;
}

/** A string-typed field suitable for inline reads: keyword-like, no null_value, not an alias target change. */
function inlineField(e: Expr, ctx: CompileContext): string | null {
  const x = unwrap(e);
  if (x.kind !== 'field') return null;
  if (x.optional && ctx.schema && !ctx.schema.has(resolveAlias(ctx.schema, x.name))) return null;
  const path = resolveAlias(ctx.schema, x.name);
  const fs = ctx.schema?.get(path);
  const type = schemaValueType(fs);
  if (type !== 'string' && type !== 'unknown') return null;
  if (fs?.nullValue !== undefined) return null;
  if (type === 'unknown' && path === ctx.timestampField) return null;
  return path;
}

/** Source of a JS boolean expression: `want` true gives "matches", false gives "does not match". */
function genTest(g: Gen, p: Pred, ctx: CompileContext, want: boolean): string {
  switch (p.k) {
    case 'const':
      return (p.v === true) === want ? 'true' : 'false';
    case 'and':
    case 'or': {
      const parts = p.ops.map((o) => `(${genTest(g, o, ctx, want)})`);
      const conj = (p.k === 'and') === want ? ' && ' : ' || ';
      return parts.join(conj);
    }
    case 'not':
      return genTest(g, p.op, ctx, !want);
    case 'leaf':
      return genLeafTest(g, p.expr, ctx, want);
    case 'fn':
      return `${want ? '' : '!'}${helper(g, p.f)}(src)`;
  }
}

function genLeafTest(g: Gen, x: Expr, ctx: CompileContext, want: boolean): string {
  switch (x.kind) {
    case 'comparison': {
      if (x.op === '==') {
        const lit = unwrap(x.right);
        const path = inlineField(x.left, ctx);
        if (path !== null && lit.kind === 'literal' && typeof lit.value === 'string') {
          const acc = inlineAccessor(g, path);
          const fallback = genLeaf(g, x, ctx, want);
          return `(typeof (v = ${acc}(src)) === "string" ? v ${want ? '===' : '!=='} ${JSON.stringify(lit.value)} : ${fallback})`;
        }
      }
      return genLeaf(g, x, ctx, want);
    }
    case 'match': {
      const path = x.op === 'regex' || x.op === 'regex~' ? null : inlineField(x.value, ctx);
      if (path !== null) {
        const patterns = x.patterns.filter((p) => typeof p.value === 'string').map((p) => p.value as string);
        if (patterns.length === x.patterns.length) {
          const m = helper(g, compileWildcardList(patterns, x.op !== 'like'));
          const acc = inlineAccessor(g, path);
          return `(typeof (v = ${acc}(src)) === "string" ? ${want ? '' : '!'}${m}(v) : ${genLeaf(g, x, ctx, want)})`;
        }
      }
      return genLeaf(g, x, ctx, want);
    }
    case 'in': {
      const path = x.caseInsensitive || x.negated ? null : inlineField(x.value, ctx);
      const items = x.list.map(unwrap);
      if (path !== null && items.every((i) => i.kind === 'literal' && typeof i.value === 'string')) {
        const set = helper(g, new Set(items.map((i) => (i as LiteralNode).value as string)));
        const acc = inlineAccessor(g, path);
        return `(typeof (v = ${acc}(src)) === "string" ? ${want ? '' : '!'}${set}.has(v) : ${genLeaf(g, x, ctx, want)})`;
      }
      return genLeaf(g, x, ctx, want);
    }
    default:
      return genLeaf(g, x, ctx, want);
  }
}

/** Calls the predicate of a leaf. */
function genLeaf(g: Gen, e: Expr, ctx: CompileContext, want: boolean): string {
  const fn = helper(g, leafClosure(e, ctx));
  return `${want ? '' : '!'}${fn}(src)`;
}

/** Generates a predicate, or null when code generation is unavailable. */
function generateCondition(
  pred: Pred,
  ctx: CompileContext,
  category?: { value: string; path: string; slow: (src: Source) => boolean },
): ((src: Source) => boolean) | null {
  const g: Gen = { helpers: [], accessors: new Map(), source: [] };
  let test: string;
  let guard = '';
  try {
    test = genTest(g, pred, ctx, true);
    if (category) {
      const acc = inlineAccessor(g, category.path);
      const slow = helper(g, category.slow);
      guard = `const c = ${acc}(src); if (c !== ${JSON.stringify(category.value)} && (typeof c === "string" || !${slow}(src))) return false;`;
    }
  } catch {
    return null;
  }
  const code = `"use strict";\n${g.source.join('\n')}\nreturn function condition(src) { ${guard} let v; return ${test}; };`;
  try {
    const factory = new Function('h', 'T', code) as (h: unknown[], t: typeof isTrue) => (src: Source) => boolean;
    return factory(g.helpers, isTrue);
  } catch {
    // e.g. a runtime that forbids code generation: the closure tree does the same work
    return null;
  }
}
