/**
 * The EQL error family. Every failure of the EQL engine is an `EqlError` with a `code` and
 * the `span` of the offending source text; line and column are derived from the span.
 */
import type { Span } from './ast';
import type { Diagnostic, ErrorCode } from './types';

/** 1-based line and column of a character offset (CR, LF and CRLF all end a line). */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** The source line holding `offset`, with its start offset. */
function lineAt(source: string, offset: number): { text: string; start: number } {
  const at = Math.max(0, Math.min(offset, source.length));
  let start = at;
  while (start > 0 && source[start - 1] !== '\n' && source[start - 1] !== '\r') start--;
  let end = at;
  while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
  return { text: source.slice(start, end), start };
}

/** The source line of `span.start` and a caret line under the span (clipped to that line). */
export function caretExcerpt(source: string, span: Span): string {
  const { text, start } = lineAt(source, span.start);
  const from = Math.max(0, span.start - start);
  const to = Math.min(text.length, Math.max(from + 1, span.end - start));
  // keep tabs so the caret lines up under tab-indented source
  const pad = text.slice(0, from).replace(/[^\t]/g, ' ');
  return `${text}\n${pad}${'^'.repeat(Math.max(1, to - from))}`;
}

/** Any error raised by the EQL engine (lexer, parser, checker or evaluator). */
export class EqlError extends Error {
  readonly code: ErrorCode;
  readonly span: Span;
  readonly line: number;
  readonly column: number;
  readonly source?: string;
  /** the message without position, e.g. `expected "where"` */
  readonly detail: string;

  constructor(code: ErrorCode, detail: string, span: Span, source?: string) {
    const pos = source === undefined ? { line: 1, column: span.start + 1 } : lineColumn(source, span.start);
    super(`line ${pos.line}, column ${pos.column}: ${detail}`);
    this.name = 'EqlError';
    this.code = code;
    this.span = { start: span.start, end: span.end };
    this.line = pos.line;
    this.column = pos.column;
    this.detail = detail;
    if (source !== undefined) this.source = source;
  }

  /** `line L, column C: what`, followed by the source line and a caret under the span. */
  format(): string {
    if (this.source === undefined) return this.message;
    return `${this.message}\n${caretExcerpt(this.source, this.span)}`;
  }

  toDiagnostic(): Diagnostic {
    return { code: this.code, message: this.detail, span: this.span, line: this.line, column: this.column };
  }
}

/** Lexical and grammar errors, including syntax that parses in ES but is rejected (`join`, other pipes). */
export class EqlSyntaxError extends EqlError {
  constructor(code: 'lex' | 'syntax' | 'unsupported' | 'invalid_value', detail: string, span: Span, source?: string) {
    super(code, detail, span, source);
    this.name = 'EqlSyntaxError';
  }
}

/** Verification errors: unknown field or function, arity, types, field-to-field comparison. */
export class EqlSemanticError extends EqlError {
  constructor(code: ErrorCode, detail: string, span: Span, source?: string) {
    super(code, detail, span, source);
    this.name = 'EqlSemanticError';
  }
}

/** Errors raised while evaluating a query against events. */
export class EqlRuntimeError extends EqlError {
  constructor(detail: string, span: Span, source?: string) {
    super('runtime', detail, span, source);
    this.name = 'EqlRuntimeError';
  }
}

export function isEqlError(x: unknown): x is EqlError {
  return x instanceof EqlError;
}

/** A diagnostic for `span` of `source` (line/column computed from the span). */
export function makeDiagnostic(code: ErrorCode, message: string, span: Span, source?: string): Diagnostic {
  const pos = source === undefined ? { line: 1, column: span.start + 1 } : lineColumn(source, span.start);
  return { code, message, span: { start: span.start, end: span.end }, line: pos.line, column: pos.column };
}

/** Re-raise an error from a deep helper with the span of the node that caused it. */
export function withSpan<T>(node: { span: Span }, source: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof EqlError) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw new EqlRuntimeError(detail, node.span, source);
  }
}
