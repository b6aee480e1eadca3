/**
 * Tokens of the EQL lexer.
 */
import type { Span } from './ast';

export type TokenKind =
  /** `process`, `@timestamp`, `startsWith` */
  | 'identifier'
  /** `` `my-field` `` (value: the name with doubled back-quotes undone) */
  | 'quotedIdentifier'
  /** a function name glued to `~`: `startsWith~` (value: the name without `~`) */
  | 'tildeIdentifier'
  /** reserved words, including `in~`, `like~`, `regex~` */
  | 'keyword'
  /** `"…"` or `"""…"""` (value: the decoded string) */
  | 'string'
  | 'integer'
  | 'decimal'
  /** operators and punctuation: `==`, `![`, `(`, … */
  | 'punct'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** decoded value: identifier name, string contents, keyword or punctuation text, number text */
  value: string;
  /** the raw source text */
  text: string;
  span: Span;
}

/**
 * Reserved words. Elasticsearch's lexer matches them in lower case only (its ANTLR grammar
 * has `AND: 'and'` … and the parser reads the query through a plain, case-preserving char
 * stream), so `AND` or `WHERE` are ordinary identifiers and `process WHERE x` is a syntax
 * error there; we do the same. `runs`, `head` and `tail` are not reserved.
 */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'any',
  'by',
  'false',
  'in',
  'join',
  'like',
  'maxspan',
  'not',
  'null',
  'of',
  'or',
  'regex',
  'sample',
  'sequence',
  'true',
  'until',
  'where',
  'with',
]);

/** Keywords that take a glued `~` (case-insensitive forms). */
export const TILDE_KEYWORDS: ReadonlySet<string> = new Set(['in', 'like', 'regex']);
