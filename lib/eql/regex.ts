/**
 * `regex` / `regex~`: Lucene regular-expression syntax, anchored to the whole value.
 * Translated once into a JavaScript RegExp. Supported: literals, `.`, `*`, `+`, `?`,
 * `{n}`, `{n,}`, `{n,m}`, `|`, grouping `( )`, classes `[a-z]` / `[^…]`, `\` escapes,
 * `"…"` quoted literals, `@` (any string), `#` (empty language). Lucene has no predefined
 * classes: `\s` is just `s`, `\d` just `d`.
 */
export class RegexSyntaxError extends Error {}

const JS_SPECIAL = /[\\^$.*+?()[\]{}|/-]/;

function lit(ch: string): string {
  return JS_SPECIAL.test(ch) ? `\\${ch}` : ch;
}

/** Translates a Lucene regular expression into the source of an equivalent JS RegExp. */
export function luceneToJs(pattern: string): string {
  let out = '';
  let i = 0;
  const n = pattern.length;
  let depth = 0;
  while (i < n) {
    const ch = pattern[i]!;
    switch (ch) {
      case '\\': {
        if (i + 1 >= n) throw new RegexSyntaxError(`regex "${pattern}": trailing backslash`);
        out += lit(pattern[i + 1]!);
        i += 2;
        continue;
      }
      case '.':
        out += '[\\s\\S]';
        break;
      case '@':
        out += '[\\s\\S]*';
        break;
      case '#':
        out += '(?!)';
        break;
      case '"': {
        const end = pattern.indexOf('"', i + 1);
        if (end < 0) throw new RegexSyntaxError(`regex "${pattern}": unterminated quoted text`);
        for (const c of pattern.slice(i + 1, end)) out += lit(c);
        i = end + 1;
        continue;
      }
      case '(':
        depth++;
        out += '(?:';
        break;
      case ')':
        if (depth === 0) throw new RegexSyntaxError(`regex "${pattern}": unbalanced ")"`);
        depth--;
        out += ')';
        break;
      case '[': {
        let j = i + 1;
        let cls = '[';
        if (pattern[j] === '^') {
          cls += '^';
          j++;
        }
        let first = true;
        while (j < n && (pattern[j] !== ']' || first)) {
          const c = pattern[j]!;
          if (c === '\\' && j + 1 < n) {
            cls += lit(pattern[j + 1]!);
            j += 2;
          } else if (c === '-' && !first && pattern[j + 1] !== ']') {
            cls += '-';
            j++;
          } else {
            cls += c === '-' ? '\\-' : lit(c);
            j++;
          }
          first = false;
        }
        if (j >= n) throw new RegexSyntaxError(`regex "${pattern}": unterminated character class`);
        out += `${cls}]`;
        i = j + 1;
        continue;
      }
      case '{': {
        const end = pattern.indexOf('}', i);
        const body = end > 0 ? pattern.slice(i + 1, end) : '';
        if (end < 0 || !/^\d+(,\d*)?$/.test(body)) {
          throw new RegexSyntaxError(`regex "${pattern}": bad repetition at offset ${i}`);
        }
        out += `{${body}}`;
        i = end + 1;
        continue;
      }
      case '*':
      case '+':
      case '?':
      case '|':
        out += ch;
        break;
      case '~':
      case '&':
      case '<':
      case '>':
        out += lit(ch);
        break;
      default:
        out += lit(ch);
    }
    i++;
  }
  if (depth !== 0) throw new RegexSyntaxError(`regex "${pattern}": unbalanced "("`);
  return out;
}

/** Compiles an anchored matcher; `caseInsensitive` for `regex~`. Throws RegexSyntaxError. */
export function compileRegex(pattern: string, caseInsensitive: boolean): (s: string) => boolean {
  const src = `^(?:${luceneToJs(pattern)})$`;
  let re: RegExp;
  try {
    re = new RegExp(src, caseInsensitive ? 'i' : '');
  } catch (e) {
    throw new RegexSyntaxError(`regex "${pattern}": ${e instanceof Error ? e.message : String(e)}`);
  }
  return (s) => re.test(s);
}
