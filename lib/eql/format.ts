/**
 * EQL formatter: AST → canonical query text. `parse(format(ast))` gives back the same tree
 * (spans aside). Parentheses the user wrote are `paren` nodes and are printed as written;
 * where a tree needs grouping that it does not carry (hand-built ASTs), parentheses are added.
 */
import type { EventFilter, Expr, LiteralNode, Pipe, Query, SampleTerm, SequenceTerm, Statement, TimeSpan } from './ast';
import { EqlSyntaxError } from './errors';
import { KEYWORDS } from './tokens';

const IDENT = /^[A-Za-z_@][A-Za-z0-9_]*$/;

/** Binding strength of each node (higher binds tighter); see docs §3 precedence. */
function level(e: Expr): number {
  switch (e.kind) {
    case 'or':
      return 1;
    case 'and':
      return 2;
    case 'not':
      return 3;
    case 'comparison':
      return 4;
    case 'arithmetic':
      return e.op === '+' || e.op === '-' ? 5 : 6;
    case 'negate':
      return 7;
    case 'in':
    case 'match':
      return 8;
    default:
      return 9;
  }
}

/** A string literal in `"…"` form with the escapes the lexer reads back. */
export function formatString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0xd800 && cp <= 0xdfff)) out += `\\u{${cp.toString(16).padStart(2, '0')}}`;
    else out += ch;
  }
  return `${out}"`;
}

function formatNumber(value: number, kind: LiteralNode['numberKind']): string {
  const isLong = kind === 'long' || (kind === undefined && Number.isInteger(value));
  if (isLong && Number.isInteger(value)) return BigInt(value).toString();
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

function formatLiteral(node: LiteralNode): string {
  const v = node.value;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return node.text ?? formatNumber(v, node.numberKind);
  return formatString(v);
}

function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A field path: plain components as written, others back-quoted (`` `my-field` ``). */
export function formatFieldName(name: string): string {
  const parts = name.split('.');
  if (parts.some((p) => p === '')) return quoteIdent(name);
  return parts.map((p) => (IDENT.test(p) && !KEYWORDS.has(p) ? p : quoteIdent(p))).join('.');
}

function formatCategory(category: string | null): string {
  if (category === null) return 'any';
  return IDENT.test(category) && !KEYWORDS.has(category) ? category : formatString(category);
}

function wrap(e: Expr, minLevel: number): string {
  const text = formatExpr(e);
  return level(e) < minLevel ? `(${text})` : text;
}

/** Canonical text of an expression. */
export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return formatLiteral(e);
    case 'field':
      return `${e.optional ? '?' : ''}${formatFieldName(e.name)}`;
    case 'paren':
      return `(${formatExpr(e.expr)})`;
    case 'or':
      return e.operands.map((o) => wrap(o, 2)).join(' or ');
    case 'and':
      return e.operands.map((o) => wrap(o, 3)).join(' and ');
    case 'not':
      return `not ${wrap(e.operand, 3)}`;
    case 'comparison':
      return `${wrap(e.left, 5)} ${e.op} ${wrap(e.right, 5)}`;
    case 'arithmetic': {
      const own = level(e);
      return `${wrap(e.left, own)} ${e.op} ${wrap(e.right, own + 1)}`;
    }
    case 'negate':
      return `-${wrap(e.operand, 7)}`;
    case 'in':
      return `${wrap(e.value, 9)}${e.negated ? ' not' : ''} in${e.caseInsensitive ? '~' : ''} (${e.list.map(formatExpr).join(', ')})`;
    case 'match': {
      const patterns = e.patterns.map(formatLiteral).join(', ');
      return `${wrap(e.value, 9)} ${e.op} ${e.list ? `(${patterns})` : patterns}`;
    }
    case 'function': {
      const name = IDENT.test(e.displayName) ? e.displayName : e.name;
      return `${name}${e.caseInsensitive ? '~' : ''}(${e.args.map(formatExpr).join(', ')})`;
    }
  }
}

function formatFilter(f: EventFilter): string {
  return `${formatCategory(f.category)} where ${formatExpr(f.condition)}`;
}

const formatKeys = (keys: Expr[]) => (keys.length > 0 ? ` by ${keys.map(formatExpr).join(', ')}` : '');
const formatSpan = (t: TimeSpan) => `${t.value}${t.unit}`;

function formatTerm(t: SequenceTerm | SampleTerm): string {
  const missing = t.kind === 'sequenceTerm' && t.missing;
  const runs = t.kind === 'sequenceTerm' && t.runs !== 1 ? ` with runs=${t.runs}` : '';
  return `${missing ? '!' : ''}[${formatFilter(t.filter)}]${formatKeys(t.by)}${runs}`;
}

function formatQuery(q: Query): string {
  switch (q.kind) {
    case 'event':
      return formatFilter(q.filter);
    case 'sequence': {
      const maxspan = q.maxspan ? ` with maxspan=${formatSpan(q.maxspan)}` : '';
      // the parser records maxspanFirst = true whenever `by` is absent
      const header = q.maxspanFirst || q.by.length === 0 ? `${maxspan}${formatKeys(q.by)}` : `${formatKeys(q.by)}${maxspan}`;
      const terms = q.terms.map((t) => `\n  ${formatTerm(t)}`).join('');
      return `sequence${header}${terms}${q.until ? `\nuntil ${formatTerm(q.until)}` : ''}`;
    }
    case 'sample':
      return `sample${formatKeys(q.by)}${q.terms.map((t) => `\n  ${formatTerm(t)}`).join('')}`;
  }
}

const formatPipe = (p: Pipe) => ` | ${p.name} ${p.count}`;

/** Canonical EQL text of a statement (comments and the user's layout are not kept). */
export function format(stmt: Statement): string {
  if (typeof stmt !== 'object' || stmt === null || (stmt as { kind?: unknown }).kind !== 'statement') {
    throw new EqlSyntaxError('syntax', `format() expects a parsed statement, got ${stmt === null ? 'null' : typeof stmt}`, { start: 0, end: 0 });
  }
  return `${formatQuery(stmt.query)}${stmt.pipes.map(formatPipe).join('')}`;
}

/** A deep copy of an AST without `span` properties (for structural comparison in tests and tools). */
export function stripSpans<T>(node: T): T {
  if (Array.isArray(node)) return node.map((x: unknown) => stripSpans(x)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'span') out[k] = stripSpans(v);
  return out as T;
}
