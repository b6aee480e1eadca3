/**
 * EQL checker: the verification Elasticsearch runs after parsing. It returns every problem
 * as a Diagnostic and never throws. Without a schema fields are free-form (any name, any
 * type); with one, unknown fields, text-only fields and type mismatches are reported too.
 */
import type { EventFilter, Expr, FieldNode, FunctionNode, LiteralNode, MatchNode, SequenceQuery, SampleQuery, Span, Statement } from './ast';
import { isEqlError, makeDiagnostic } from './errors';
import { argKindAt, FUNCTION_SIGNATURES, isLiteralArg, REMOVED_FUNCTIONS, type ArgKind } from './function-signatures';
import { parse } from './parser';
import type { Diagnostic, ErrorCode, FieldSchema, Schema } from './types';

export interface CheckOptions {
  schema?: Schema;
  /** the query text, for line/column in diagnostics */
  source?: string;
}

/** Static type of an expression. `unknown`: decided at run time (no schema); `invalid`: already reported. */
type DataType = 'string' | 'number' | 'boolean' | 'ip' | 'date' | 'version' | 'null' | 'unknown' | 'invalid';

const MAX_RUNS = 100;
const MAX_SAMPLE_FILTERS = 5;

const FIELD_TYPES: Record<FieldSchema['type'], DataType | null> = {
  keyword: 'string',
  constant_keyword: 'string',
  wildcard: 'string',
  text: 'string',
  long: 'number',
  integer: 'number',
  short: 'number',
  byte: 'number',
  unsigned_long: 'number',
  double: 'number',
  float: 'number',
  half_float: 'number',
  scaled_float: 'number',
  date: 'date',
  date_nanos: 'date',
  ip: 'ip',
  version: 'version',
  boolean: 'boolean',
  object: null,
  nested: null,
  alias: null,
};

const loose = (t: DataType) => t === 'unknown' || t === 'null' || t === 'invalid';

function literalType(node: LiteralNode): DataType {
  if (node.value === null) return 'null';
  if (typeof node.value === 'string') return 'string';
  if (typeof node.value === 'number') return 'number';
  return 'boolean';
}

/** Edit distance, capped: returns `max + 1` as soon as the distance exceeds `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** ` (did you mean "x"?)` for the closest candidate within a small edit distance, else ''. */
function suggestion(name: string, candidates: Iterable<string>, display: (c: string) => string = (c) => c): string {
  const max = name.length <= 4 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = max + 1;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), max);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === null ? '' : ` (did you mean "${display(best)}"?)`;
}

function unwrap(e: Expr): Expr {
  let x = e;
  while (x.kind === 'paren') x = x.expr;
  return x;
}

function describeType(t: DataType): string {
  return t === 'null' ? 'null' : t;
}

/**
 * Lucene regular-expression syntax check (ES runs `regex` through Lucene's RegExp with all
 * optional operators on: `|`, `&`, `~`, `#`, `@`, `"…"`, `<n-m>`, classes, `{n,m}`).
 * Returns a message for an invalid pattern, or null.
 */
export function validateLuceneRegex(pattern: string): string | null {
  let pos = 0;
  const n = pattern.length;
  class RegexSyntax extends Error {}
  const fail = (msg: string): never => {
    throw new RegexSyntax(`${msg} at position ${pos}`);
  };
  const peek = (chars: string) => pos < n && chars.includes(pattern[pos]);
  const match = (c: string) => {
    if (pos < n && pattern[pos] === c) {
      pos++;
      return true;
    }
    return false;
  };
  const charExp = () => {
    if (pos >= n) fail('unexpected end of pattern');
    if (match('\\')) {
      if (pos >= n) fail('dangling backslash');
    }
    pos++;
  };
  const digits = () => {
    const start = pos;
    while (pos < n && pattern[pos] >= '0' && pattern[pos] <= '9') pos++;
    return pos - start;
  };
  let depth = 0;
  const union = (): void => {
    if (++depth > 200) fail('pattern nested too deeply');
    inter();
    if (match('|')) union();
    depth--;
  };
  const inter = (): void => {
    concat();
    if (match('&')) inter();
  };
  const concat = (): void => {
    repeat();
    while (pos < n && !peek(')|&')) repeat();
  };
  const repeat = (): void => {
    compl();
    while (peek('?*+{')) {
      if (match('{')) {
        if (digits() === 0) fail('integer expected in repetition');
        if (match(',')) digits();
        if (!match('}')) fail("expected '}'");
      } else pos++;
    }
  };
  const compl = (): void => {
    if (match('~')) compl();
    else charClassExp();
  };
  const charClassExp = (): void => {
    if (match('[')) {
      match('^');
      do {
        charExp();
        if (match('-')) charExp();
      } while (pos < n && !peek(']'));
      if (!match(']')) fail("expected ']'");
    } else simple();
  };
  const simple = (): void => {
    if (match('.') || match('#') || match('@')) return;
    if (match('"')) {
      const close = pattern.indexOf('"', pos);
      if (close < 0) fail("expected '\"'");
      pos = close + 1;
      return;
    }
    if (match('(')) {
      if (match(')')) return;
      union();
      if (!match(')')) fail("expected ')'");
      return;
    }
    if (match('<')) {
      if (digits() === 0 || !match('-') || digits() === 0 || !match('>')) fail('invalid numeric interval, expected <n-m>');
      return;
    }
    charExp();
  };
  try {
    if (n === 0) return null;
    union();
    if (pos < n) fail('unexpected character');
    return null;
  } catch (e) {
    if (e instanceof RegexSyntax) return e.message;
    return 'pattern too complex';
  }
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly schema: Schema | undefined,
    private readonly source: string | undefined,
  ) {}

  report(code: ErrorCode, message: string, span: Span): void {
    this.diagnostics.push(makeDiagnostic(code, message, span, this.source));
  }

  /** The mapping entry of a field (aliases followed), or undefined when unmapped. */
  private lookup(name: string): FieldSchema | undefined {
    if (!this.schema) return undefined;
    let entry = this.schema.get(name);
    for (let hops = 0; entry?.type === 'alias' && entry.path !== undefined && hops < 8; hops++) entry = this.schema.get(entry.path);
    return entry;
  }

  /** Whether `e` reads a field (for the field-to-field rule). Unmapped optional fields are null constants. */
  private readsField(e: Expr): boolean {
    switch (e.kind) {
      case 'field':
        return !e.optional || (this.schema !== undefined && this.lookup(e.name) !== undefined);
      case 'literal':
        return false;
      case 'paren':
        return this.readsField(e.expr);
      case 'negate':
      case 'not':
        return this.readsField(e.operand);
      case 'comparison':
      case 'arithmetic':
        return this.readsField(e.left) || this.readsField(e.right);
      case 'and':
      case 'or':
        return e.operands.some((o) => this.readsField(o));
      case 'in':
        return this.readsField(e.value) || e.list.some((o) => this.readsField(o));
      case 'match':
        return this.readsField(e.value);
      case 'function':
        return e.args.some((o) => this.readsField(o));
    }
  }

  private fieldType(f: FieldNode): DataType {
    if (!this.schema) return 'unknown';
    // ES cannot query inside nested objects
    for (let dot = f.name.indexOf('.'); dot > 0; dot = f.name.indexOf('.', dot + 1)) {
      const parent = f.name.slice(0, dot);
      if (this.lookup(parent)?.type === 'nested') {
        this.report('type', `field "${f.name}" is inside the nested field "${parent}", which EQL cannot search`, f.span);
        return 'invalid';
      }
    }
    const entry = this.lookup(f.name);
    if (!entry) {
      if (f.optional) return 'null';
      const hint = suggestion(f.name, this.schema.keys());
      this.report('unknown_field', `unknown field "${f.name}"${hint}: it is not in the mapping (write ?${f.name} to allow a missing field)`, f.span);
      return 'invalid';
    }
    if (entry.type === 'text') {
      if (entry.keywordSubfield) return 'string';
      this.report('type', `field "${f.name}" is of type text, which EQL cannot search (it needs a keyword sub-field)`, f.span);
      return 'invalid';
    }
    const t = FIELD_TYPES[entry.type];
    if (t === null) {
      this.report('type', `field "${f.name}" is of type ${entry.type} and cannot be used as a value`, f.span);
      return 'invalid';
    }
    return t;
  }

  private expectBoolean(e: Expr, t: DataType, what: string): void {
    if (!loose(t) && t !== 'boolean') this.report('type', `${what} must be a boolean, found ${describeType(t)}`, e.span);
  }

  expr(e: Expr): DataType {
    switch (e.kind) {
      case 'literal':
        return literalType(e);
      case 'field':
        return this.fieldType(e);
      case 'paren':
        return this.expr(e.expr);
      case 'negate': {
        const t = this.expr(e.operand);
        if (!loose(t) && t !== 'number') this.report('type', `unary minus needs a number, found ${describeType(t)}`, e.span);
        return 'number';
      }
      case 'not': {
        this.expectBoolean(e.operand, this.expr(e.operand), 'the operand of "not"');
        return 'boolean';
      }
      case 'and':
      case 'or':
        for (const o of e.operands) this.expectBoolean(o, this.expr(o), `an operand of "${e.kind}"`);
        return 'boolean';
      case 'arithmetic': {
        const l = this.expr(e.left);
        const r = this.expr(e.right);
        for (const [side, t] of [[e.left, l], [e.right, r]] as const) {
          if (!loose(t) && t !== 'number') this.report('type', `"${e.op}" needs numbers, found ${describeType(t)}`, side.span);
        }
        return 'number';
      }
      case 'comparison': {
        this.expr(e.left);
        this.expr(e.right);
        // No type rule here: ES only requires exact (non-text) operands, and its own suite
        // expects `?keyword_field == 123` to be accepted (test_extra optionalNoDocsFieldNumericEquality).
        if (this.readsField(e.left) && this.readsField(e.right)) {
          this.report('field_comparison', `comparing a field with another field is not supported ("${e.op}"); compare a field with a constant`, e.span);
        }
        return 'boolean';
      }
      case 'in': {
        const v = this.expr(e.value);
        const valueReadsField = this.readsField(e.value);
        for (const item of e.list) {
          this.expr(item);
          if (valueReadsField && this.readsField(item)) {
            this.report('field_comparison', `comparing a field with another field is not supported (in a list); use constants only`, item.span);
          }
        }
        if (e.caseInsensitive && !loose(v) && v !== 'string') {
          this.report('type', `"in~" needs a string value, found ${describeType(v)}`, e.value.span);
        }
        return 'boolean';
      }
      case 'match':
        return this.match(e);
      case 'function':
        return this.call(e);
    }
  }

  private match(e: MatchNode): DataType {
    const v = this.expr(e.value);
    if (!loose(v) && v !== 'string') this.report('type', `"${e.op}" needs a string value, found ${describeType(v)}`, e.value.span);
    for (const p of e.patterns) {
      if (typeof p.value !== 'string') {
        this.report('type', `the right side of "${e.op}" must be a string, found ${literalType(p)}`, p.span);
        continue;
      }
      if (e.op === 'regex' || e.op === 'regex~') {
        const problem = validateLuceneRegex(p.value);
        if (problem) this.report('invalid_value', `invalid regular expression: ${problem}`, p.span);
      }
    }
    return 'boolean';
  }

  private call(e: FunctionNode): DataType {
    const types = e.args.map((a) => this.expr(a));
    const nameSpan: Span = { start: e.span.start, end: e.span.start + e.displayName.length + (e.caseInsensitive ? 1 : 0) };
    const sig = FUNCTION_SIGNATURES.get(e.name);
    if (!sig) {
      const why = REMOVED_FUNCTIONS.has(e.name)
        ? ' (an Endgame EQL function that Elasticsearch does not support)'
        : suggestion(e.name, FUNCTION_SIGNATURES.keys(), (k) => FUNCTION_SIGNATURES.get(k)?.displayName ?? k);
      this.report('unknown_function', `unknown function "${e.displayName}"${why}`, nameSpan);
      return 'invalid';
    }
    if (e.caseInsensitive && !sig.caseInsensitiveVariant) {
      this.report('unknown_function', `function ${sig.displayName} has no case-insensitive variant "${e.displayName}~"`, nameSpan);
    }
    if (e.args.length < sig.minArgs || e.args.length > sig.maxArgs) {
      const expected =
        sig.maxArgs === Infinity
          ? `at least ${sig.minArgs}`
          : sig.minArgs === sig.maxArgs
            ? `${sig.minArgs}`
            : `${sig.minArgs} to ${sig.maxArgs}`;
      this.report('arity', `${sig.displayName} takes ${expected} argument${expected === '1' ? '' : 's'}, found ${e.args.length}`, e.span);
    }
    e.args.forEach((arg, i) => {
      if (i >= sig.maxArgs) return;
      const kind = argKindAt(sig, i);
      if (!this.accepts(kind, types[i], arg)) {
        this.report('type', `argument ${i + 1} of ${sig.displayName} must be ${kindName(kind)}, found ${describeType(types[i])}`, arg.span);
      }
      if (isLiteralArg(sig, i) && !isConstant(arg)) {
        this.report('invalid_value', `argument ${i + 1} of ${sig.displayName} must be a literal constant, not a field or expression`, arg.span);
      }
    });
    switch (sig.returns) {
      case 'string':
        return 'string';
      case 'boolean':
        return 'boolean';
      default:
        return 'number';
    }
  }

  private accepts(kind: ArgKind, t: DataType, arg: Expr): boolean {
    if (loose(t) || kind === 'any') return true;
    switch (kind) {
      case 'string':
        return t === 'string';
      case 'number':
        return t === 'number';
      case 'integer': {
        const a = unwrap(arg);
        return t === 'number' && !(a.kind === 'literal' && a.numberKind === 'double');
      }
      case 'boolean':
        return t === 'boolean';
      case 'ip':
        return t === 'ip';
    }
  }

  filter(f: EventFilter): void {
    const t = this.expr(f.condition);
    this.expectBoolean(f.condition, t, 'the condition after "where"');
  }

  joinKeys(keys: Expr[]): void {
    for (const k of keys) {
      this.expr(k);
      if (unwrap(k).kind !== 'field') this.report('unsupported', 'join keys must be field names', k.span);
    }
  }

  sequence(q: SequenceQuery): void {
    this.joinKeys(q.by);
    const all = q.until ? [...q.terms, q.until] : q.terms;
    const keyCount = q.terms[0]?.by.length ?? 0;
    for (const term of all) {
      this.filter(term.filter);
      this.joinKeys(term.by);
      if (term.by.length !== keyCount) {
        this.report(
          'syntax',
          `inconsistent number of join keys: this term has ${term.by.length}, the first term has ${keyCount}`,
          term.span,
        );
      }
      if (term.runs < 1 || term.runs > MAX_RUNS) this.report('invalid_value', `runs=${term.runs} is out of range (1 to ${MAX_RUNS})`, term.span);
      if (term.missing && q.maxspan === null) {
        this.report('invalid_value', 'a missing-event term "![…]" needs "with maxspan=…" on the sequence', term.span);
      }
    }
    const stages = q.terms.reduce((sum, t) => sum + Math.max(1, t.runs), 0);
    if (stages < 2) this.report('syntax', 'a sequence needs at least two terms (or one term "with runs=N", N ≥ 2)', q.span);
    if (q.terms.every((t) => t.missing)) this.report('syntax', 'a sequence needs at least one term that is not a missing event "![…]"', q.span);
  }

  sample(q: SampleQuery, pipes: Statement['pipes']): void {
    this.joinKeys(q.by);
    const keyCount = q.terms[0]?.by.length ?? 0;
    for (const term of q.terms) {
      this.filter(term.filter);
      this.joinKeys(term.by);
      if (term.by.length !== keyCount) {
        this.report('syntax', `inconsistent number of join keys: this filter has ${term.by.length}, the first filter has ${keyCount}`, term.span);
      }
    }
    if (q.terms.length === 0) this.report('syntax', 'a sample query needs at least one filter "[…]"', q.span);
    else if (q.by.length === 0 && keyCount === 0) this.report('syntax', 'a sample query needs join keys ("sample by …" or "[…] by …")', q.span);
    if (q.terms.length > MAX_SAMPLE_FILTERS) {
      this.report('invalid_value', `a sample query takes at most ${MAX_SAMPLE_FILTERS} filters, found ${q.terms.length}`, q.terms[MAX_SAMPLE_FILTERS].span);
    }
    for (const p of pipes) this.report('unsupported', `pipes are not allowed after a sample query ("| ${p.name}")`, p.span);
  }

  statement(s: Statement): void {
    const q = s.query;
    if (q.kind === 'event') this.filter(q.filter);
    else if (q.kind === 'sequence') this.sequence(q);
    else this.sample(q, s.pipes);
  }
}

function isConstant(e: Expr): boolean {
  const x = unwrap(e);
  return x.kind === 'literal' || (x.kind === 'negate' && isConstant(x.operand));
}

function kindName(kind: ArgKind): string {
  switch (kind) {
    case 'ip':
      return 'an ip';
    case 'integer':
      return 'an integer';
    case 'any':
      return 'any value';
    default:
      return `a ${kind}`;
  }
}

/** Every verification problem of a parsed statement (empty when valid). Never throws. */
export function check(stmt: Statement, options: CheckOptions = {}): Diagnostic[] {
  const checker = new Checker(options.schema, options.source);
  try {
    checker.statement(stmt);
  } catch (e) {
    const detail = e instanceof RangeError ? 'query too complex to check' : `internal checker error: ${e instanceof Error ? e.message : String(e)}`;
    checker.report('syntax', detail, stmt.span);
  }
  return checker.diagnostics;
}

/** Parse and check `source`: the statement (null on a syntax error) and all diagnostics. Never throws. */
export function parseAndCheck(source: string, options: Omit<CheckOptions, 'source'> = {}): { statement: Statement | null; diagnostics: Diagnostic[] } {
  let statement: Statement;
  try {
    statement = parse(source);
  } catch (e) {
    if (isEqlError(e)) return { statement: null, diagnostics: [e.toDiagnostic()] };
    return { statement: null, diagnostics: [makeDiagnostic('syntax', String(e), { start: 0, end: source.length }, source)] };
  }
  return { statement, diagnostics: check(statement, { ...options, source }) };
}
