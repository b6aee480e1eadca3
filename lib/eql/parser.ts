/**
 * EQL parser: tokens → AST (recursive descent). Grammar and precedence follow
 * `docs/eql-semantics.md` §3; syntax that Elasticsearch parses but rejects (`join`, lineage,
 * pipes other than head/tail, array indexes) fails here with code `unsupported`.
 */
import type {
  ComparisonOp,
  EventFilter,
  Expr,
  FieldNode,
  FunctionNode,
  LiteralNode,
  MatchNode,
  Pipe,
  Query,
  SampleQuery,
  SampleTerm,
  SequenceQuery,
  SequenceTerm,
  Span,
  Statement,
  TimeSpan,
} from './ast';
import { EqlError, EqlSyntaxError } from './errors';
import { tokenize } from './lexer';
import { KEYWORDS, type Token } from './tokens';

/**
 * Deepest allowed nesting of expressions (parentheses, unary operators, operator chains).
 * Elasticsearch's EQL parser has no fixed limit (only the JVM stack); this engine accepts
 * 500 levels, which parse, check, format and evaluate within Node's default stack, and
 * refuses deeper queries with an EqlError instead of overflowing (SEMANTICS.md §10).
 */
export const MAX_DEPTH = 500;

const COMPARISON_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);
const MATCH_OPS: ReadonlySet<string> = new Set([':', 'like', 'like~', 'regex', 'regex~']);
const UNSUPPORTED_PIPES: ReadonlySet<string> = new Set([
  'count',
  'filter',
  'sort',
  'unique',
  'unique_count',
  'window',
]);
const LINEAGE = new Set(['child', 'descendant', 'event']);
const UNIT_MILLIS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const LONG_MAX = 9223372036854775807n;

const span = (start: number, end: number): Span => ({ start, end });

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of query';
    case 'string':
      return `string ${t.text.length > 40 ? `${t.text.slice(0, 37)}…` : t.text}`;
    case 'keyword':
      return `keyword "${t.value}"`;
    default:
      return `"${t.text}"`;
  }
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  // ------------------------------------------------------------------ helpers

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private is(kind: 'keyword' | 'punct', value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === kind && t.value === value;
  }

  private accept(kind: 'keyword' | 'punct', value: string): Token | null {
    return this.is(kind, value) ? this.next() : null;
  }

  private error(code: 'syntax' | 'unsupported' | 'invalid_value', detail: string, at: Span): never {
    throw new EqlSyntaxError(code, detail, at, this.source);
  }

  private unexpected(expected: string): never {
    const t = this.peek();
    const lower = t.value.toLowerCase();
    const hint = t.kind === 'identifier' && lower !== t.value && KEYWORDS.has(lower) ? ` (keywords are lower case: write "${lower}")` : '';
    this.error('syntax', `expected ${expected}, found ${describe(t)}${hint}`, t.span);
  }

  private expect(kind: 'keyword' | 'punct', value: string, what?: string): Token {
    const t = this.accept(kind, value);
    if (!t) this.unexpected(what ?? `"${value}"`);
    return t;
  }

  private enter(at: Span, extra = 0): void {
    if (this.depth + extra >= MAX_DEPTH) {
      this.error('syntax', `expression nested too deeply (more than ${MAX_DEPTH} levels)`, at);
    }
  }

  /** Run `fn` one nesting level deeper. */
  private nested<T>(at: Span, fn: () => T): T {
    this.enter(at);
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  // ------------------------------------------------------------------ statement

  parseStatement(): Statement {
    const query = this.parseQuery();
    const pipes: Pipe[] = [];
    while (this.is('punct', '|')) pipes.push(this.parsePipe());
    const t = this.peek();
    if (t.kind !== 'eof') {
      if (t.kind === 'punct' && t.value === '[' && query.kind === 'event') {
        this.error('syntax', 'unexpected "[": event queries take no bracketed terms (did you mean "sequence"?)', t.span);
      }
      this.unexpected(pipes.length > 0 || query.kind !== 'event' ? 'a pipe "|" or end of query' : 'an operator, a pipe "|" or end of query');
    }
    const end = pipes.length > 0 ? pipes[pipes.length - 1].span.end : query.span.end;
    return { kind: 'statement', query, pipes, span: span(query.span.start, end) };
  }

  parseStandaloneExpression(): Expr {
    const e = this.parseExpr();
    if (this.peek().kind !== 'eof') this.unexpected('an operator or end of expression');
    return e;
  }

  private parseQuery(): Query {
    const t = this.peek();
    if (t.kind === 'keyword') {
      if (t.value === 'sequence') return this.parseSequence();
      if (t.value === 'sample') return this.parseSample();
      if (t.value === 'join') this.error('unsupported', '"join" queries are not supported by Elasticsearch EQL; use "sequence"', t.span);
    }
    const filter = this.parseEventFilter();
    return { kind: 'event', filter, span: filter.span };
  }

  private parseEventFilter(): EventFilter {
    const t = this.peek();
    let category: string | null;
    if (t.kind === 'keyword' && t.value === 'any') category = null;
    else if (t.kind === 'identifier' || t.kind === 'string') category = t.value;
    else this.unexpected('an event category (e.g. "process" or "any") followed by "where"');
    this.next();
    this.expect('keyword', 'where', '"where" after the event category');
    const condition = this.parseExpr();
    return { kind: 'filter', category, condition, span: span(t.span.start, condition.span.end) };
  }

  private parsePipe(): Pipe {
    const bar = this.next();
    const name = this.peek();
    if (name.kind !== 'identifier') this.unexpected('a pipe name ("head" or "tail")');
    this.next();
    if (name.value !== 'head' && name.value !== 'tail') {
      const known = UNSUPPORTED_PIPES.has(name.value);
      this.error(
        'unsupported',
        known
          ? `the "${name.value}" pipe is not supported by Elasticsearch EQL (only "head" and "tail")`
          : `unknown pipe "${name.value}" (only "head" and "tail" are supported)`,
        name.span,
      );
    }
    // Elasticsearch parses the argument as an expression that must fold to a non-negative
    // integer (LogicalPlanBuilder.pipeIntArgument): `| head 2 * 3` is `| head 6`
    const arg = this.parseExpr();
    const count = foldInteger(arg);
    if (count === null || count < 0) {
      this.error('invalid_value', `pipe "${name.value}" expects a non-negative integer constant`, arg.span);
    }
    if (count > 2147483647) this.error('invalid_value', `pipe "${name.value}" count ${count} is too large`, arg.span);
    return { kind: 'pipe', name: name.value, count, span: span(bar.span.start, arg.span.end) };
  }

  // ------------------------------------------------------------------ sequence / sample

  private parseJoinKeys(): Expr[] {
    this.expect('keyword', 'by');
    const keys = [this.parseExpr()];
    while (this.accept('punct', ',')) keys.push(this.parseExpr());
    return keys;
  }

  private parseMaxspan(): TimeSpan {
    this.expect('keyword', 'with');
    if (!this.is('keyword', 'maxspan')) {
      const t = this.peek();
      if (t.kind === 'identifier' && t.value === 'runs') {
        this.error('syntax', '"with runs=" belongs after a sequence term ("[…] with runs=2"), not in the sequence header', t.span);
      }
      this.unexpected('"maxspan" after "with"');
    }
    this.next();
    this.expect('punct', '=', '"=" after "maxspan"');
    const num = this.peek();
    if (num.kind === 'decimal') this.error('invalid_value', `maxspan must be a whole number of units, found ${num.text}`, num.span);
    if (num.kind !== 'integer') this.unexpected('a time value such as 30s after "maxspan="');
    this.next();
    const unit = this.peek();
    if (unit.kind !== 'identifier' || !Object.hasOwn(UNIT_MILLIS, unit.value)) {
      this.error(
        'invalid_value',
        unit.kind === 'identifier'
          ? `unknown time unit "${unit.value}" in maxspan (use ms, s, m, h or d)`
          : `maxspan needs a time unit (ms, s, m, h or d) after ${num.text}`,
        unit.kind === 'identifier' ? unit.span : num.span,
      );
    }
    this.next();
    const u = unit.value as keyof typeof UNIT_MILLIS;
    const value = Number(num.value);
    // LogicalPlanBuilder.visitSequenceParams: "A positive maxspan value is required"
    if (value <= 0) this.error('invalid_value', `maxspan must be positive, found ${num.text}${u}`, span(num.span.start, unit.span.end));
    const millis = value * UNIT_MILLIS[u];
    if (!Number.isSafeInteger(millis)) this.error('invalid_value', `maxspan ${num.text}${u} is too large`, span(num.span.start, unit.span.end));
    return { value, unit: u, millis, span: span(num.span.start, unit.span.end) };
  }

  private parseSequence(): SequenceQuery {
    const kw = this.next();
    let by: Expr[] = [];
    let maxspan: TimeSpan | null = null;
    let maxspanFirst = false;
    if (this.is('keyword', 'by')) {
      by = this.parseJoinKeys();
      if (this.is('keyword', 'with')) maxspan = this.parseMaxspan();
    } else if (this.is('keyword', 'with')) {
      maxspan = this.parseMaxspan();
      maxspanFirst = true;
      if (this.is('keyword', 'by')) by = this.parseJoinKeys();
    }
    const terms: SequenceTerm[] = [];
    while (this.is('punct', '[') || this.is('punct', '![')) terms.push(this.parseSequenceTerm());
    if (terms.length === 0) this.unexpected('a sequence term "[ category where … ]"');
    let until: SequenceTerm | null = null;
    if (this.accept('keyword', 'until')) {
      if (this.is('punct', '![')) this.error('syntax', 'the "until" term cannot be a missing-event term "![…]"', this.peek().span);
      if (!this.is('punct', '[')) this.unexpected('"[" after "until"');
      until = this.parseSequenceTerm();
    }
    const last = until ?? terms[terms.length - 1];
    return { kind: 'sequence', by, maxspan, maxspanFirst, terms, until, span: span(kw.span.start, last.span.end) };
  }

  private parseSequenceTerm(): SequenceTerm {
    const open = this.next();
    const missing = open.value === '![';
    const filter = this.parseEventFilter();
    const close = this.expect('punct', ']', '"]" to close the sequence term');
    let end = close.span.end;
    let by: Expr[] = [];
    if (this.is('keyword', 'by')) {
      by = this.parseJoinKeys();
      end = by[by.length - 1].span.end;
    }
    let runs = 1;
    if (this.is('keyword', 'with')) {
      this.next();
      const key = this.peek();
      if (key.kind === 'keyword' && key.value === 'maxspan') {
        this.error('syntax', '"with maxspan=" belongs in the sequence header ("sequence with maxspan=…"), not after a term', key.span);
      }
      if (key.kind !== 'identifier' || key.value !== 'runs') this.unexpected('"runs" after "with"');
      this.next();
      this.expect('punct', '=', '"=" after "runs"');
      const num = this.peek();
      if (num.kind !== 'integer') this.unexpected('a whole number after "runs="');
      this.next();
      runs = Number(num.value);
      if (!Number.isSafeInteger(runs)) this.error('invalid_value', `runs=${num.value} is out of range (1 to 100)`, num.span);
      end = num.span.end;
    }
    return { kind: 'sequenceTerm', filter, by, runs, missing, span: span(open.span.start, end) };
  }

  private parseSample(): SampleQuery {
    const kw = this.next();
    let by: Expr[] = [];
    if (this.is('keyword', 'by')) by = this.parseJoinKeys();
    if (this.is('keyword', 'with')) {
      this.error('unsupported', '"with maxspan" is not allowed in sample queries', this.peek().span);
    }
    const terms: SampleTerm[] = [];
    for (;;) {
      if (this.is('punct', '![')) this.error('unsupported', 'missing-event terms "![…]" are not allowed in sample queries', this.peek().span);
      if (!this.is('punct', '[')) break;
      const open = this.next();
      const filter = this.parseEventFilter();
      const close = this.expect('punct', ']', '"]" to close the sample term');
      let end = close.span.end;
      let termBy: Expr[] = [];
      if (this.is('keyword', 'by')) {
        termBy = this.parseJoinKeys();
        end = termBy[termBy.length - 1].span.end;
      }
      if (this.is('keyword', 'with')) {
        this.error('unsupported', '"with runs" is not allowed in sample queries', this.peek().span);
      }
      terms.push({ kind: 'sampleTerm', filter, by: termBy, span: span(open.span.start, end) });
    }
    if (terms.length === 0) this.unexpected('a sample term "[ category where … ]"');
    if (this.is('keyword', 'until')) this.error('unsupported', '"until" is not allowed in sample queries', this.peek().span);
    return { kind: 'sample', by, terms, span: span(kw.span.start, terms[terms.length - 1].span.end) };
  }

  // ------------------------------------------------------------------ expressions

  private parseExpr(): Expr {
    return this.nested(this.peek().span, () => this.parseOr());
  }

  private parseOr(): Expr {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseChain('and', () => this.parseNot());
  }

  /** `operand (kind operand)*`: one node with all the operands, or the lone operand as it is. */
  private parseChain(kind: 'or' | 'and', operand: () => Expr): Expr {
    const first = operand();
    if (!this.is('keyword', kind)) return first;
    const operands = [first];
    while (this.accept('keyword', kind)) operands.push(operand());
    return { kind, operands, span: span(first.span.start, operands[operands.length - 1].span.end) };
  }

  private parseNot(): Expr {
    const t = this.peek();
    if (t.kind === 'keyword' && t.value === 'not') {
      this.next();
      const operand = this.nested(t.span, () => this.parseNot());
      return { kind: 'not', operand, span: span(t.span.start, operand.span.end) };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const t = this.peek();
    if (t.kind === 'punct' && t.value === '=') {
      this.error('syntax', '"=" is not an operator: use "==" for equality or ":" for case-insensitive matching', t.span);
    }
    if (t.kind !== 'punct' || !COMPARISON_OPS.has(t.value)) return left;
    this.next();
    const right = this.parseAdditive();
    const after = this.peek();
    if (after.kind === 'punct' && COMPARISON_OPS.has(after.value)) {
      this.error('syntax', 'comparisons cannot be chained: combine them with "and" or add parentheses', after.span);
    }
    return { kind: 'comparison', op: t.value as ComparisonOp, left, right, span: span(left.span.start, right.span.end) };
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    let chain = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || (t.value !== '+' && t.value !== '-')) return left;
      this.enter(t.span, ++chain);
      this.next();
      const right = this.parseMultiplicative();
      left = { kind: 'arithmetic', op: t.value, left, right, span: span(left.span.start, right.span.end) };
    }
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    let chain = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || (t.value !== '*' && t.value !== '/' && t.value !== '%')) return left;
      this.enter(t.span, ++chain);
      this.next();
      const right = this.parseUnary();
      left = { kind: 'arithmetic', op: t.value, left, right, span: span(left.span.start, right.span.end) };
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.value === '-' || t.value === '+')) {
      this.next();
      const operand = this.nested(t.span, () => this.parseUnary());
      if (t.value === '+') return operand;
      return { kind: 'negate', operand, span: span(t.span.start, operand.span.end) };
    }
    const primary = this.parsePrimary();
    return this.parsePredicate(primary);
  }

  /** A postfix predicate binds to the single primary before it (`a + b : "x"` is `a + (b : "x")`). */
  private parsePredicate(value: Expr): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && t.value === ':') return this.parseMatch(value);
    if (t.kind !== 'keyword') return value;
    if (t.value === 'not') {
      const inTok = this.peek(1);
      if (inTok.kind === 'keyword' && (inTok.value === 'in' || inTok.value === 'in~')) {
        this.next();
        return this.parseIn(value, true);
      }
      if (inTok.kind === 'keyword' && MATCH_OPS.has(inTok.value)) {
        this.error('syntax', `"not ${inTok.value}" is not an operator: write "not x ${inTok.value} …"`, span(t.span.start, inTok.span.end));
      }
      return value;
    }
    if (t.value === 'in' || t.value === 'in~') return this.parseIn(value, false);
    if (MATCH_OPS.has(t.value)) return this.parseMatch(value);
    if (t.value === 'of' && value.kind === 'field' && LINEAGE.has(value.name)) {
      this.error('unsupported', `lineage queries ("${value.name} of") are not supported by Elasticsearch EQL`, span(value.span.start, t.span.end));
    }
    if (t.value === 'of') this.error('unsupported', '"of" (lineage) is not supported by Elasticsearch EQL', t.span);
    return value;
  }

  private parseIn(value: Expr, negated: boolean): Expr {
    const op = this.next();
    this.expect('punct', '(', `"(" after "${op.value}"`);
    const list: Expr[] = [];
    if (this.is('punct', ')')) this.unexpected(`at least one value in the "${op.value}" list`);
    list.push(this.parseExpr());
    while (this.accept('punct', ',')) list.push(this.parseExpr());
    const close = this.expect('punct', ')', `"," or ")" in the "${op.value}" list`);
    return {
      kind: 'in',
      value,
      list,
      caseInsensitive: op.value === 'in~',
      negated,
      span: span(value.span.start, close.span.end),
    };
  }

  private parseMatch(value: Expr): MatchNode {
    const op = this.next();
    const opName = op.value === ':' ? ':' : op.value;
    if (this.accept('punct', '(')) {
      if (this.is('punct', ')')) this.unexpected(`at least one pattern after "${opName}"`);
      const patterns = [this.parsePattern(opName)];
      while (this.accept('punct', ',')) patterns.push(this.parsePattern(opName));
      const close = this.expect('punct', ')', `"," or ")" in the "${opName}" pattern list`);
      return { kind: 'match', op: opName as MatchNode['op'], value, patterns, list: true, span: span(value.span.start, close.span.end) };
    }
    const p = this.parsePattern(opName);
    return { kind: 'match', op: opName as MatchNode['op'], value, patterns: [p], list: false, span: span(value.span.start, p.span.end) };
  }

  private parsePattern(op: string): LiteralNode {
    const t = this.peek();
    const lit = this.tryConstant();
    if (lit) return lit;
    if (t.kind === 'eof' || (t.kind === 'punct' && (t.value === ')' || t.value === ']' || t.value === ','))) {
      this.unexpected(`a string pattern after "${op}"`);
    }
    this.error('syntax', `the right side of "${op}" must be a literal string (patterns cannot come from fields, functions or expressions)`, t.span);
  }

  private tryConstant(): LiteralNode | null {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.next();
        return { kind: 'literal', value: t.value, span: t.span };
      case 'integer': {
        this.next();
        // eql/parser/LiteralBuilder.visitIntegerLiteral: StringUtils.parseLong, and when the text
        // is beyond the long range "quietly try to parse as a float instead" (a double literal;
        // an infinite one is an error, StringUtils.parseDouble)
        const big = BigInt(t.value);
        const v = Number(t.value);
        const text = Number.isFinite(v) && BigInt(v) === big ? {} : { text: t.value };
        if (big > LONG_MAX) {
          if (!Number.isFinite(v)) this.error('invalid_value', `number ${t.value} is too large`, t.span);
          return { kind: 'literal', value: v, numberKind: 'double', ...text, span: t.span };
        }
        return { kind: 'literal', value: v, numberKind: 'long', ...text, span: t.span };
      }
      case 'decimal': {
        this.next();
        const v = Number(t.value);
        if (!Number.isFinite(v)) this.error('invalid_value', `number ${t.value} is too large`, t.span);
        return { kind: 'literal', value: v, numberKind: 'double', span: t.span };
      }
      case 'keyword':
        if (t.value === 'true' || t.value === 'false') {
          this.next();
          return { kind: 'literal', value: t.value === 'true', span: t.span };
        }
        if (t.value === 'null') {
          this.next();
          return { kind: 'literal', value: null, span: t.span };
        }
        return null;
      default:
        return null;
    }
  }

  private parsePrimary(): Expr {
    const lit = this.tryConstant();
    if (lit) return lit;
    const t = this.peek();
    if (t.kind === 'punct' && t.value === '(') {
      this.next();
      const expr = this.parseExpr();
      const close = this.expect('punct', ')', '")" to close the parenthesis');
      return { kind: 'paren', expr, span: span(t.span.start, close.span.end) };
    }
    if (t.kind === 'tildeIdentifier') {
      this.next();
      if (!this.is('punct', '(')) this.unexpected(`"(" after the function name "${t.text}"`);
      return this.parseCall(t, true);
    }
    if (t.kind === 'identifier' && this.is('punct', '(', 1)) {
      this.next();
      return this.parseCall(t, false);
    }
    if (t.kind === 'identifier' || t.kind === 'quotedIdentifier' || (t.kind === 'punct' && t.value === '?')) {
      return this.parseField();
    }
    this.unexpected('an expression (a field, a literal, a function call or "(")');
  }

  private parseCall(name: Token, caseInsensitive: boolean): FunctionNode {
    this.next(); // (
    const args: Expr[] = [];
    if (!this.is('punct', ')')) {
      args.push(this.parseExpr());
      while (this.accept('punct', ',')) args.push(this.parseExpr());
    }
    const close = this.expect('punct', ')', `"," or ")" in the arguments of ${name.value}`);
    return {
      kind: 'function',
      name: name.value.toLowerCase(),
      displayName: name.value,
      caseInsensitive,
      args,
      span: span(name.span.start, close.span.end),
    };
  }

  private parseField(): FieldNode {
    const first = this.peek();
    const optional = first.kind === 'punct' && first.value === '?';
    if (optional) this.next();
    const parts: string[] = [];
    const head = this.peek();
    if (head.kind !== 'identifier' && head.kind !== 'quotedIdentifier') this.unexpected('a field name after "?"');
    this.next();
    parts.push(head.value);
    let end = head.span.end;
    for (;;) {
      if (this.is('punct', '.')) {
        const part = this.peek(1);
        // as in ES, a keyword is not a name even after a dot: `event.sequence` needs `event.\`sequence\``
        if (part.kind === 'keyword') {
          this.error('syntax', `"${part.value}" is a keyword; write it back-quoted in a field name: \`${part.value}\``, part.span);
        }
        if (part.kind !== 'identifier' && part.kind !== 'quotedIdentifier') {
          this.next();
          this.unexpected('a field name after "."');
        }
        this.next();
        this.next();
        parts.push(part.value);
        end = part.span.end;
        continue;
      }
      // `field[0]`: ES parses array indexes but rejects them; only when glued, since a
      // `by` key is often followed by the next sequence term `[ … ]`
      const t = this.peek();
      if (t.kind === 'punct' && t.value === '[' && t.span.start === end && this.peek(1).kind === 'integer' && this.is('punct', ']', 2)) {
        this.error('unsupported', 'array indexes ("field[0]") are not supported by Elasticsearch EQL', span(t.span.start, this.peek(2).span.end));
      }
      break;
    }
    return { kind: 'field', name: parts.join('.'), optional, span: span(first.span.start, end) };
  }
}

/** The value of an integer constant expression (literals, unary minus, + - * / %), else null. Java int arithmetic. */
function foldInteger(e: Expr): number | null {
  switch (e.kind) {
    case 'paren':
      return foldInteger(e.expr);
    case 'literal':
      return typeof e.value === 'number' && Number.isInteger(e.value) && e.numberKind !== 'double' ? e.value : null;
    case 'negate': {
      const v = foldInteger(e.operand);
      return v === null ? null : -v;
    }
    case 'arithmetic': {
      const a = foldInteger(e.left);
      const b = foldInteger(e.right);
      if (a === null || b === null) return null;
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0 ? null : Math.trunc(a / b);
        case '%':
          return b === 0 ? null : a % b;
      }
    }
    // falls through
    default:
      return null;
  }
}

function asEqlError(e: unknown, source: string): EqlError {
  if (e instanceof EqlError) return e;
  // RangeError from a runaway recursion or anything unforeseen still surfaces as an EqlError
  const detail = e instanceof RangeError ? 'query too complex to parse' : `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
  return new EqlSyntaxError('syntax', detail, { start: 0, end: Math.max(1, source.length) }, source);
}

/** Untyped callers (JSON bodies) can pass anything. */
function notAString(value: unknown): EqlError {
  return new EqlSyntaxError('syntax', `the query must be a string, got ${value === null ? 'null' : typeof value}`, { start: 0, end: 0 });
}

/** Parse a whole EQL statement. Throws `EqlError` (and nothing else) on bad input. */
export function parse(source: string): Statement {
  if (typeof source !== 'string') throw notAString(source);
  try {
    return new Parser(tokenize(source), source).parseStatement();
  } catch (e) {
    throw asEqlError(e, source);
  }
}

/** Parse a lone expression such as `process.name : "cmd.exe" and x > 1`. Throws `EqlError`. */
export function parseExpression(source: string): Expr {
  if (typeof source !== 'string') throw notAString(source);
  try {
    return new Parser(tokenize(source), source).parseStandaloneExpression();
  } catch (e) {
    throw asEqlError(e, source);
  }
}
