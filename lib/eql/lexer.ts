/**
 * EQL lexer: source text → tokens (whitespace and comments dropped).
 */
import { EqlSyntaxError } from './errors';
import { KEYWORDS, TILDE_KEYWORDS, type Token } from './tokens';

const isDigit = (c: string) => c >= '0' && c <= '9';
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isIdentStart = (c: string) => isLetter(c) || c === '_' || c === '@';
/** [A-Za-z0-9_] by char code (hot loop) */
const isIdentCode = (k: number) => (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95;
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '![']);
const ONE_CHAR = new Set(['<', '>', '=', ':', '+', '-', '*', '/', '%', '.', ',', '[', ']', '(', ')', '|', '?']);

/** Split an EQL query into tokens; the last token is always `eof`. Throws `EqlSyntaxError` (code `lex`). */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  const fail = (detail: string, start: number, end = start + 1): never => {
    throw new EqlSyntaxError('lex', detail, { start, end: Math.min(Math.max(end, start + 1), Math.max(n, start + 1)) }, source);
  };
  const push = (kind: Token['kind'], value: string, start: number, end: number) => {
    tokens.push({ kind, value, text: source.slice(start, end), span: { start, end } });
  };

  while (i < n) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    const start = i;
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n' && source[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      // block comments nest, as in the ES grammar (BRACKETED_COMMENT is recursive)
      let depth = 0;
      while (i < n) {
        if (source[i] === '/' && source[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (source[i] === '*' && source[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      if (depth !== 0) fail('unterminated comment: "/*" has no matching "*/"', start, start + 2);
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentCode(source.charCodeAt(i))) i++;
      const word = source.slice(start, i);
      // TILDE_IDENTIFIER starts with a letter: `_f~` or `@f~` are not function names
      if (source[i] === '~' && isLetter(c)) {
        i++;
        if (TILDE_KEYWORDS.has(word)) push('keyword', `${word}~`, start, i);
        else push('tildeIdentifier', word, start, i);
      } else if (KEYWORDS.has(word)) push('keyword', word, start, i);
      else push('identifier', word, start, i);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1] ?? ''))) {
      let decimal = false;
      while (i < n && isDigit(source[i])) i++;
      if (source[i] === '.' && !isIdentStart(source[i + 1] ?? '') && source[i + 1] !== '`') {
        decimal = true;
        i++;
        while (i < n && isDigit(source[i])) i++;
      }
      if (source[i] === 'e' || source[i] === 'E') {
        let j = i + 1;
        if (source[j] === '+' || source[j] === '-') j++;
        if (isDigit(source[j] ?? '')) {
          decimal = true;
          i = j;
          while (i < n && isDigit(source[i])) i++;
        }
      }
      const text = source.slice(start, i);
      push(decimal ? 'decimal' : 'integer', text, start, i);
      continue;
    }
    if (c === '"') {
      if (source.startsWith('"""', i)) {
        // ES: '"""' (~[\r\n])*? '"""' '"'? '"'? — one line, and up to two quotes may end the value
        let close = source.indexOf('"""', i + 3);
        const lineEnd = source.slice(i + 3, close < 0 ? n : close).search(/[\r\n]/);
        if (lineEnd >= 0) fail('line break inside a raw string """…""": raw strings must fit on one line', start, i + 3 + lineEnd);
        if (close < 0) fail('unterminated raw string: """ has no closing """', start, start + 3);
        let extra = 0;
        while (extra < 2 && source[close + 3 + extra] === '"') extra++;
        close += extra;
        i = close + 3;
        push('string', source.slice(start + 3, close), start, i);
        continue;
      }
      i = lexString(source, i, fail, (value, end) => push('string', value, start, end));
      continue;
    }
    if (c === '`') {
      let name = '';
      i++;
      for (;;) {
        if (i >= n) fail('unterminated quoted identifier: "`" has no closing "`"', start);
        if (source[i] === '`') {
          if (source[i + 1] === '`') {
            name += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += source[i++];
      }
      if (name === '') fail('empty quoted identifier', start, i);
      push('quotedIdentifier', name, start, i);
      continue;
    }
    if (c === "'") fail("single-quoted strings are not supported; use double quotes (\"…\")", start);
    if (c === '?' && (source[i + 1] === '"' || source[i + 1] === "'")) {
      fail('?"…" raw strings are not supported; use """…""" for raw strings', start, start + 2);
    }
    const two = source.slice(i, i + 2);
    if (TWO_CHAR.has(two)) {
      i += 2;
      push('punct', two, start, i);
      continue;
    }
    if (ONE_CHAR.has(c)) {
      i++;
      push('punct', c, start, i);
      continue;
    }
    if (c === '!') fail('unexpected "!": use "not" for negation, "!=" for inequality or "![" for a missing event', start);
    if (c === '~') fail('unexpected "~": it must follow a function name or in/like/regex directly', start);
    const cp = source.codePointAt(i) ?? 0;
    fail(`unexpected character ${JSON.stringify(String.fromCodePoint(cp))} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`, start, start + (cp > 0xffff ? 2 : 1));
  }
  tokens.push({ kind: 'eof', value: '', text: '', span: { start: n, end: n } });
  return tokens;
}

/**
 * A `"…"` string starting at `start`. Escapes: `\n \r \t \\ \"` and `\u{X…}` (2–8 hex digits),
 * as documented. `\b`, `\f` and `\'` are also accepted: the ES lexer's escape class has them,
 * and a prebuilt Elastic rule (83bf249e-…) writes `\'`, although the docs say `'` needs no escape.
 * Any other escape, and a raw line break, are errors.
 */
function lexString(
  source: string,
  start: number,
  fail: (detail: string, start: number, end?: number) => never,
  done: (value: string, end: number) => void,
): number {
  const n = source.length;
  let i = start + 1;
  let value = '';
  for (;;) {
    if (i >= n) fail('unterminated string: missing closing "', start);
    const c = source[i];
    if (c === '"') {
      i++;
      break;
    }
    if (c === '\n' || c === '\r') fail('line break inside a string: close the string or write \\n', start, i);
    if (c !== '\\') {
      // copy the run of plain characters in one slice
      let j = i + 1;
      for (; j < n; j++) {
        const k = source.charCodeAt(j);
        if (k === 34 || k === 92 || k === 10 || k === 13) break;
      }
      value += source.slice(i, j);
      i = j;
      continue;
    }
    const e = source[i + 1];
    switch (e) {
      case 'n': value += '\n'; break;
      case 'r': value += '\r'; break;
      case 't': value += '\t'; break;
      case 'b': value += '\b'; break;
      case 'f': value += '\f'; break;
      case '\\': value += '\\'; break;
      case '"': value += '"'; break;
      case "'": value += "'"; break;
      case 'u': {
        if (source[i + 2] !== '{') fail('invalid unicode escape: expected \\u{X…} with 2 to 8 hex digits', i, i + 2);
        let j = i + 3;
        while (j < n && isHex(source[j])) j++;
        const digits = source.slice(i + 3, j);
        if (source[j] !== '}' || digits.length < 2 || digits.length > 8) {
          fail('invalid unicode escape: expected \\u{X…} with 2 to 8 hex digits', i, Math.min(j + 1, n));
        }
        const cp = parseInt(digits, 16);
        if (cp > 0x10ffff) fail(`invalid unicode escape: code point ${digits} is above 10FFFF`, i, j + 1);
        value += String.fromCodePoint(cp);
        i = j + 1;
        continue;
      }
      case undefined:
        fail('unterminated string: missing closing "', start);
        break;
      default:
        fail(`invalid escape sequence "\\${e}" (allowed: \\n \\r \\t \\\\ \\" \\u{…})`, i, i + 2);
    }
    i += 2;
  }
  done(value, i);
  return i;
}

export type HighlightKind = 'keyword' | 'identifier' | 'function' | 'string' | 'number' | 'operator' | 'comment' | 'error';

export interface HighlightToken {
  kind: HighlightKind;
  span: { start: number; end: number };
}

/**
 * Tokens for syntax highlighting in an editor: comments included, never throws. Text from the
 * first lexical error on is one `error` token.
 */
export function highlightTokens(source: string): HighlightToken[] {
  let end = source.length;
  let tokens: Token[] = [];
  for (;;) {
    try {
      tokens = tokenize(source.slice(0, end));
      break;
    } catch (e) {
      const at = e instanceof EqlSyntaxError ? e.span.start : 0;
      end = Math.min(at, end - 1);
      if (end <= 0) {
        end = 0;
        tokens = [];
        break;
      }
    }
  }
  const out: HighlightToken[] = [];
  let pos = 0;
  const gap = (upTo: number) => {
    // anything but whitespace between two tokens is a comment
    const text = source.slice(pos, upTo);
    const first = text.search(/\S/);
    if (first >= 0) out.push({ kind: 'comment', span: { start: pos + first, end: pos + text.trimEnd().length } });
  };
  tokens.forEach((t, i) => {
    if (t.kind === 'eof') return;
    gap(t.span.start);
    const next = tokens[i + 1];
    const kind: HighlightKind =
      t.kind === 'keyword'
        ? 'keyword'
        : t.kind === 'string'
          ? 'string'
          : t.kind === 'integer' || t.kind === 'decimal'
            ? 'number'
            : t.kind === 'punct'
              ? 'operator'
              : t.kind === 'tildeIdentifier' || (t.kind === 'identifier' && next?.kind === 'punct' && next.value === '(')
                ? 'function'
                : 'identifier';
    out.push({ kind, span: t.span });
    pos = t.span.end;
  });
  gap(end);
  if (end < source.length) out.push({ kind: 'error', span: { start: end, end: source.length } });
  return out;
}
