/**
 * The Elasticsearch EQL function registry (8.x/9.x): one entry per function with its
 * signature (for the checker), result type and implementation (for the compiler). Keys are
 * lower-case: function names are case-insensitive (`CONCAT(…)` works).
 */

import {
  arithmetic,
  between,
  cidrMatch,
  concat,
  endsWith,
  indexOf,
  length,
  startsWith,
  stringContains,
  substring,
  toNumber,
  toStringValue,
  type NumberKind,
} from './functions';
import { javaDouble, type Scalar, type ValueType } from './values';

/** What an argument must be. `number` accepts long and double; `any` accepts every type. */
export type ArgKind = 'string' | 'number' | 'integer' | 'boolean' | 'ip' | 'any';

/** What a function returns (`number` may be long or double depending on the inputs). */
export type ResultKind = 'string' | 'number' | 'integer' | 'boolean';

export interface FunctionSignature {
  /** the spelling used in the Elasticsearch docs, e.g. `startsWith` */
  displayName: string;
  minArgs: number;
  /** `Infinity` for variadic functions (`concat`, `cidrMatch`) */
  maxArgs: number;
  /** whether `name~(…)` exists */
  caseInsensitiveVariant: boolean;
  /** kind of each argument; the last entry repeats for variadic functions */
  args: readonly ArgKind[];
  /** arguments (0-based) that must be literal constants; for variadic functions the last index repeats */
  literalArgs?: readonly number[];
  returns: ResultKind;
}

/** What an implementation is bound with: the static types of the arguments, their count, `~`. */
export interface Binding {
  argTypes: readonly ValueType[];
  n: number;
  ci: boolean;
}

/**
 * One registry entry per EQL function: the signature the checker enforces, the static result
 * type the compiler needs, and the implementation over scalar arguments (the compiler
 * expands multi-valued arguments). Adding a function is adding one entry here (and its
 * implementation in functions.ts).
 */
export interface FunctionEntry extends FunctionSignature {
  resultType(argTypes: readonly ValueType[]): ValueType;
  bind(b: Binding): (vals: Scalar[]) => Scalar;
}

function kind(t: ValueType | undefined): NumberKind {
  return t === 'long' ? 'long' : t === 'double' ? 'double' : 'unknown';
}

function numericResult(argTypes: readonly ValueType[]): ValueType {
  const a = kind(argTypes[0]);
  const b = kind(argTypes[1]);
  return a === 'double' || b === 'double' ? 'double' : a === 'long' && b === 'long' ? 'long' : 'unknown';
}

/** `add`/`subtract`/`multiply`/`divide`/`modulo`: Java arithmetic (integer ops when both are integral); `doc` says what it computes. */
function math(displayName: string, op: '+' | '-' | '*' | '/' | '%', _doc: string): [string, FunctionEntry] {
  return [
    displayName,
    {
      displayName,
      minArgs: 2,
      maxArgs: 2,
      caseInsensitiveVariant: false,
      args: ['number', 'number'],
      returns: 'number',
      resultType: numericResult,
      bind: ({ argTypes }) => {
        const ka = kind(argTypes[0]);
        const kb = kind(argTypes[1]);
        return (v) => arithmetic(op, v[0] ?? null, v[1] ?? null, ka, kb);
      },
    },
  ];
}

/** A non-integral number is a Java Double whatever its source: Double.toString. */
function javaText(x: Scalar, isDouble: boolean): Scalar {
  return typeof x === 'number' && (isDouble || !Number.isInteger(x)) ? javaDouble(x) : x;
}

const fixed = (t: ValueType) => (): ValueType => t;

/** `name(source, s)` and `name~(…)`: a boolean test of `source` against the string `s`; `doc` says which. */
function textTest(displayName: string, test: (source: Scalar, s: Scalar, ci: boolean) => Scalar, _doc: string): [string, FunctionEntry] {
  return [
    displayName.toLowerCase(),
    {
      displayName,
      minArgs: 2,
      maxArgs: 2,
      caseInsensitiveVariant: true,
      args: ['string', 'string'],
      returns: 'boolean',
      resultType: fixed('boolean'),
      bind: ({ ci }) => (v) => test(v[0] ?? null, v[1] ?? null, ci),
    },
  ];
}

export const FUNCTIONS: ReadonlyMap<string, FunctionEntry> = new Map<string, FunctionEntry>([
  math('add', '+', 'sum'),
  /** `between(source, left, right[, greedy])` (eql StringUtils.between) */
  [
    'between',
    {
      displayName: 'between',
      minArgs: 3,
      maxArgs: 4,
      caseInsensitiveVariant: true,
      args: ['string', 'string', 'string', 'boolean'],
      literalArgs: [3],
      returns: 'string',
      resultType: fixed('string'),
      bind: ({ n, ci }) => (v) => between(v[0] ?? null, v[1] ?? null, v[2] ?? null, n > 3 ? (v[3] ?? null) : false, ci),
    },
  ],
  /** `cidrMatch(ip, cidr…)`: whether `ip` lies in any of the CIDR blocks */
  [
    'cidrmatch',
    {
      displayName: 'cidrMatch',
      minArgs: 2,
      maxArgs: Infinity,
      caseInsensitiveVariant: false,
      args: ['ip', 'string'],
      literalArgs: [1],
      returns: 'boolean',
      resultType: fixed('boolean'),
      bind: () => (v) => cidrMatch(v[0] ?? null, v.slice(1)),
    },
  ],
  /** `concat(v…)`: string forms joined; null if any argument is null */
  [
    'concat',
    {
      displayName: 'concat',
      minArgs: 1,
      maxArgs: Infinity,
      caseInsensitiveVariant: false,
      args: ['any'],
      returns: 'string',
      resultType: fixed('string'),
      bind: ({ argTypes }) => {
        const dbl = argTypes.map((t) => t === 'double');
        return (v) => concat(v.map((x, i) => javaText(x, dbl[i] === true)));
      },
    },
  ],
  math('divide', '/', 'integer division (truncating) when both are integers'),
  textTest('endsWith', endsWith, 'whether `source` ends with `suffix`'),
  /** `indexOf(source, sub[, start])`: first 0-based position at or after `start`, null when absent */
  [
    'indexof',
    {
      displayName: 'indexOf',
      minArgs: 2,
      maxArgs: 3,
      caseInsensitiveVariant: true,
      args: ['string', 'string', 'integer'],
      returns: 'integer',
      resultType: fixed('long'),
      bind: ({ n, ci }) => (v) => indexOf(v[0] ?? null, v[1] ?? null, v[2] ?? null, n > 2, ci),
    },
  ],
  /** `length(s)`: number of UTF-16 code units (Java String.length) */
  [
    'length',
    {
      displayName: 'length',
      minArgs: 1,
      maxArgs: 1,
      caseInsensitiveVariant: false,
      args: ['string'],
      returns: 'integer',
      resultType: fixed('long'),
      bind: () => (v) => length(v[0] ?? null),
    },
  ],
  math('modulo', '%', 'remainder with the sign of the dividend (Java %)'),
  math('multiply', '*', 'product'),
  /** `number(s[, base])`: parse a string as long or double; the base must be a literal */
  [
    'number',
    {
      displayName: 'number',
      minArgs: 1,
      maxArgs: 2,
      caseInsensitiveVariant: false,
      args: ['string', 'integer'],
      literalArgs: [1],
      returns: 'number',
      resultType: fixed('unknown'),
      bind: ({ n }) => (v) => toNumber(v[0] ?? null, v[1] ?? null, n > 1),
    },
  ],
  textTest('startsWith', startsWith, 'whether `source` starts with `prefix`'),
  /** `string(v)`: string form of any value (Java toString) */
  [
    'string',
    {
      displayName: 'string',
      minArgs: 1,
      maxArgs: 1,
      caseInsensitiveVariant: false,
      args: ['any'],
      returns: 'string',
      resultType: fixed('string'),
      bind: ({ argTypes }) => {
        const dbl = argTypes[0] === 'double';
        return (v) => toStringValue(javaText(v[0] ?? null, dbl));
      },
    },
  ],
  textTest('stringContains', stringContains, 'substring test (as a script, an empty `sub` gives false)'),
  /** `substring(source, start[, end])`: Python-style slice, negative offsets from the end */
  [
    'substring',
    {
      displayName: 'substring',
      minArgs: 2,
      maxArgs: 3,
      caseInsensitiveVariant: false,
      args: ['string', 'integer', 'integer'],
      returns: 'string',
      resultType: fixed('string'),
      bind: ({ n }) => (v) => substring(v[0] ?? null, v[1] ?? null, v[2] ?? null, n > 2),
    },
  ],
  math('subtract', '-', 'difference'),
]);

/** The signatures alone (the checker's view of the registry). */
export const FUNCTION_SIGNATURES: ReadonlyMap<string, FunctionSignature> = FUNCTIONS;

/** Endgame-EQL functions that Elasticsearch dropped (named in the "unknown function" message). */
export const REMOVED_FUNCTIONS: ReadonlySet<string> = new Set([
  'arraycontains',
  'arraycount',
  'arraysearch',
  'match',
  'matchlite',
  'safe',
  'wildcard',
]);

/** The signature of `name` (any case), or undefined. */
export function getFunctionSignature(name: string): FunctionSignature | undefined {
  return FUNCTION_SIGNATURES.get(name.toLowerCase());
}

/** Whether argument `index` must be a literal (variadic functions repeat the last entry). */
export function isLiteralArg(sig: FunctionSignature, index: number): boolean {
  const list = sig.literalArgs ?? [];
  if (list.includes(index)) return true;
  const last = list[list.length - 1];
  return sig.maxArgs === Infinity && last !== undefined && last === sig.args.length - 1 && index > last;
}

/** The kind expected for argument `index` (variadic functions repeat the last kind). */
export function argKindAt(sig: FunctionSignature, index: number): ArgKind {
  return sig.args[Math.min(index, sig.args.length - 1)];
}
