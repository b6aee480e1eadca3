/**
 * Writing EQL text from values: string literals, field names and exact-value conditions,
 * safely escaped. Values come from events (attacker-controlled): whatever they hold, the
 * query must parse and must match that value only.
 */

/**
 * An EQL double-quoted string literal: escapes `\`, `"`, newlines, tabs and other control
 * characters. The lexer takes `\u{X…}` with 2 to 8 hex digits (lib/eql/lexer.ts lexString),
 * so a control character is written with at least two (`\u{00}`, not `\u{0}`).
 */
export function eqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16).padStart(2, '0')}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A field name, backquoted when it is not a plain dotted identifier (e.g. `@timestamp`). */
export function eqlField(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * "`field` holds exactly `value`, in any letter case": `field in~ ("value")`. Not `:`, whose
 * `*` and `?` are wildcards with no escape (docs/eql-semantics.md §4.3), so a value from an
 * event holding them would widen the search. Elasticsearch builds `in~` as an OR of
 * InsensitiveEquals (exact, case-insensitive, no wildcards) and `:` as InsensitiveWildcardEquals:
 * elastic/elasticsearch x-pack/plugin/eql/src/main/java/org/elasticsearch/xpack/eql/parser/
 * ExpressionBuilder.java, visitValueExpressionDefault, `case EqlBaseParser.IN_INSENSITIVE` / `case EqlBaseParser.SEQ`.
 */
export function eqlSameText(field: string, value: string): string {
  return `${eqlField(field)} in~ (${eqlString(value)})`;
}

const RESERVED = new Set(['and', 'or', 'not', 'in', 'like', 'regex', 'where', 'by', 'with', 'until', 'sequence', 'sample', 'join', 'of', 'true', 'false', 'null', 'any', 'maxspan', 'runs']);
