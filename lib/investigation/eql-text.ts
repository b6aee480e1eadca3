/**
 * Writing EQL text from values: string literals and field names, safely escaped.
 */

/** An EQL double-quoted string literal: escapes `\`, `"`, newlines, tabs and other control characters. */
export function eqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A field name, backquoted when it is not a plain dotted identifier (e.g. `@timestamp`). */
export function eqlField(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  return `\`${name.replace(/`/g, '``')}\``;
}

const RESERVED = new Set(['and', 'or', 'not', 'in', 'like', 'regex', 'where', 'by', 'with', 'until', 'sequence', 'sample', 'join', 'of', 'true', 'false', 'null', 'any', 'maxspan', 'runs']);
