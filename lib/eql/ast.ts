/**
 * The EQL abstract syntax tree. Shared contract between the parser (lexer, parser,
 * check, format) and the executor (compile, evaluate, sequence, sample, pipes).
 *
 * Every node carries a `span`: half-open character offsets into the query source.
 * `lib/eql` imports nothing from the rest of the app.
 */

export interface Span {
  /** offset of the first character */
  start: number;
  /** offset after the last character */
  end: number;
}

// ---------------------------------------------------------------- expressions

/** A literal constant. Integers that fit are `number`; larger integers keep `bigint`-free `number` with `numberKind: 'long'`. */
export interface LiteralNode {
  kind: 'literal';
  value: string | number | boolean | null;
  /** for numbers: integer (long) or floating point (double) arithmetic */
  numberKind?: 'long' | 'double';
  /**
   * An integer as written when `value` (a double) does not hold it exactly: beyond 2^53 a long
   * literal is evaluated from this text (exact); beyond the long range it is a double, as
   * Elasticsearch reads it (eql/parser/LiteralBuilder.visitIntegerLiteral).
   */
  text?: string;
  span: Span;
}

/** A field path: `process.name`, `` `my-field` ``, `?user.id`. */
export interface FieldNode {
  kind: 'field';
  /** the dotted name as written, joined with '.', back-quotes removed (`a.b`) */
  name: string;
  /** true for `?field` */
  optional: boolean;
  span: Span;
}

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

export interface ComparisonNode {
  kind: 'comparison';
  op: ComparisonOp;
  left: Expr;
  right: Expr;
  span: Span;
}

export interface ArithmeticNode {
  kind: 'arithmetic';
  op: ArithmeticOp;
  left: Expr;
  right: Expr;
  span: Span;
}

export interface NegateNode {
  kind: 'negate';
  /** unary minus; unary plus is dropped by the parser */
  operand: Expr;
  span: Span;
}

export interface NotNode {
  kind: 'not';
  operand: Expr;
  span: Span;
}

export interface LogicalNode {
  kind: 'and' | 'or';
  /** two or more operands, flattened (`a and b and c` → three) */
  operands: Expr[];
  span: Span;
}

/** `x in (…)`, `x in~ (…)`, `x not in (…)`, `x not in~ (…)` */
export interface InNode {
  kind: 'in';
  value: Expr;
  list: Expr[];
  caseInsensitive: boolean;
  negated: boolean;
  span: Span;
}

/**
 * `x : "p"`, `x like "p"`, `x like~ (…)`, `x regex "r"`, `x regex~ (…)`.
 * `:` is a case-insensitive wildcard match (same as `like~`), kept apart for format().
 */
export interface MatchNode {
  kind: 'match';
  op: ':' | 'like' | 'like~' | 'regex' | 'regex~';
  value: Expr;
  /** literal constants only (the checker enforces strings) */
  patterns: LiteralNode[];
  /** true when written with parentheses: `x : ("a", "b")` (kept for format round-trip) */
  list: boolean;
  span: Span;
}

export interface FunctionNode {
  kind: 'function';
  /** lower-cased canonical name as listed in functions (e.g. 'startswith'), see `displayName` */
  name: string;
  /** the name as written, without `~` */
  displayName: string;
  /** `startsWith~(…)` */
  caseInsensitive: boolean;
  args: Expr[];
  span: Span;
}

/** `( expr )`, kept only so format() can print the user's grouping; evaluation ignores it */
export interface ParenNode {
  kind: 'paren';
  expr: Expr;
  span: Span;
}

export type Expr =
  | LiteralNode
  | FieldNode
  | ComparisonNode
  | ArithmeticNode
  | NegateNode
  | NotNode
  | LogicalNode
  | InNode
  | MatchNode
  | FunctionNode
  | ParenNode;

// ---------------------------------------------------------------- queries

/** `process where …` / `any where …`. `category` is null for `any`. */
export interface EventFilter {
  kind: 'filter';
  category: string | null;
  condition: Expr;
  span: Span;
}

export interface SequenceTerm {
  kind: 'sequenceTerm';
  filter: EventFilter;
  /** per-stage `by` keys */
  by: Expr[];
  /** `with runs=N` (1 when absent) */
  runs: number;
  /** `![ … ]` */
  missing: boolean;
  span: Span;
}

export interface TimeSpan {
  value: number;
  unit: 'ms' | 's' | 'm' | 'h' | 'd';
  /** value in milliseconds */
  millis: number;
  span: Span;
}

export interface EventQuery {
  kind: 'event';
  filter: EventFilter;
  span: Span;
}

export interface SequenceQuery {
  kind: 'sequence';
  /** sequence-level `by` keys */
  by: Expr[];
  maxspan: TimeSpan | null;
  /** whether `with maxspan` was written before `by` (format round-trip only) */
  maxspanFirst: boolean;
  terms: SequenceTerm[];
  until: SequenceTerm | null;
  span: Span;
}

export interface SampleTerm {
  kind: 'sampleTerm';
  filter: EventFilter;
  by: Expr[];
  span: Span;
}

export interface SampleQuery {
  kind: 'sample';
  by: Expr[];
  terms: SampleTerm[];
  span: Span;
}

export interface Pipe {
  kind: 'pipe';
  name: 'head' | 'tail';
  count: number;
  span: Span;
}

export type Query = EventQuery | SequenceQuery | SampleQuery;

/** A whole statement: a query followed by zero or more pipes. */
export interface Statement {
  kind: 'statement';
  query: Query;
  pipes: Pipe[];
  span: Span;
}
