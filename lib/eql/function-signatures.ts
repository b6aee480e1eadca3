/**
 * The Elasticsearch EQL function table (8.x/9.x). Keys are lower-case: function names are
 * case-insensitive (`CONCAT(…)` works), and the evaluator registers its implementations under
 * the same keys.
 */

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

export const FUNCTION_SIGNATURES: ReadonlyMap<string, FunctionSignature> = new Map<string, FunctionSignature>([
  /** `add(a, b)`: sum */
  ['add', { displayName: 'add', minArgs: 2, maxArgs: 2, caseInsensitiveVariant: false, args: ['number', 'number'], returns: 'number' }],
  /** `between(source, left, right[, greedy])`: text between `left` and `right`, `""` when either is absent */
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
    },
  ],
  /** `cidrMatch(ip, cidr…)`: whether `ip` lies in any of the CIDR blocks */
  [
    'cidrmatch',
    { displayName: 'cidrMatch', minArgs: 2, maxArgs: Infinity, caseInsensitiveVariant: false, args: ['ip', 'string'], literalArgs: [1], returns: 'boolean' },
  ],
  /** `concat(v…)`: string forms joined; null if any argument is null */
  ['concat', { displayName: 'concat', minArgs: 1, maxArgs: Infinity, caseInsensitiveVariant: false, args: ['any'], returns: 'string' }],
  /** `divide(a, b)`: integer division (truncating) when both are integers */
  ['divide', { displayName: 'divide', minArgs: 2, maxArgs: 2, caseInsensitiveVariant: false, args: ['number', 'number'], returns: 'number' }],
  /** `endsWith(source, suffix)` */
  ['endswith', { displayName: 'endsWith', minArgs: 2, maxArgs: 2, caseInsensitiveVariant: true, args: ['string', 'string'], returns: 'boolean' }],
  /** `indexOf(source, sub[, start])`: first 0-based position at or after `start`, null when absent */
  ['indexof', { displayName: 'indexOf', minArgs: 2, maxArgs: 3, caseInsensitiveVariant: true, args: ['string', 'string', 'integer'], returns: 'integer' }],
  /** `length(s)`: number of characters */
  ['length', { displayName: 'length', minArgs: 1, maxArgs: 1, caseInsensitiveVariant: false, args: ['string'], returns: 'integer' }],
  /** `modulo(a, b)`: remainder with the sign of the dividend (Java `%`) */
  ['modulo', { displayName: 'modulo', minArgs: 2, maxArgs: 2, caseInsensitiveVariant: false, args: ['number', 'number'], returns: 'number' }],
  /** `multiply(a, b)`: product */
  ['multiply', { displayName: 'multiply', minArgs: 2, maxArgs: 2, caseInsensitiveVariant: false, args: ['number', 'number'], returns: 'number' }],
  /** `number(s[, base])`: parse a string as long or double; the base must be a literal */
  [
    'number',
    { displayName: 'number', minArgs: 1, maxArgs: 2, caseInsensitiveVariant: false, args: ['string', 'integer'], literalArgs: [1], returns: 'number' },
  ],
  /** `startsWith(source, prefix)` */
  ['startswith', { displayName: 'startsWith', minArgs: 2, maxArgs: 2, caseInsensitiveVariant: true, args: ['string', 'string'], returns: 'boolean' }],
  /** `string(v)`: string form of any value */
  ['string', { displayName: 'string', minArgs: 1, maxArgs: 1, caseInsensitiveVariant: false, args: ['any'], returns: 'string' }],
  /** `stringContains(source, sub)`: substring test; an empty `sub` gives false */
  [
    'stringcontains',
    { displayName: 'stringContains', minArgs: 2, maxArgs: 2, caseInsensitiveVariant: true, args: ['string', 'string'], returns: 'boolean' },
  ],
  /** `substring(source, start[, end])`: Python-style slice, negative offsets from the end */
  ['substring', { displayName: 'substring', minArgs: 2, maxArgs: 3, caseInsensitiveVariant: false, args: ['string', 'integer', 'integer'], returns: 'string' }],
  /** `subtract(a, b)`: difference */
  ['subtract', { displayName: 'subtract', minArgs: 2, maxArgs: 2, caseInsensitiveVariant: false, args: ['number', 'number'], returns: 'number' }],
]);

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
