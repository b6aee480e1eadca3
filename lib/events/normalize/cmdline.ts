/**
 * A Windows command line split into arguments as `CommandLineToArgvW` (shell32) does —
 * what `process.args` holds in Elastic's Windows documents.
 *
 * The rules (Microsoft's "Parsing C command-line arguments" and the behaviour of
 * CommandLineToArgvW that Wine documents from tests on Windows):
 * - arguments are separated by runs of spaces and tabs (only those two);
 * - the first argument is the program name and follows its own rule: when the line starts
 *   with `"`, it runs to the next `"` (no escapes: a path holds no quote), and the next
 *   argument starts right after that quote; otherwise it runs to the first space or tab,
 *   quotes and backslashes included as they are (so a line that starts with a space has an
 *   empty program name);
 * - in the other arguments, `"` opens or closes a quoted part, in which spaces and tabs are
 *   ordinary characters; a quoted part may sit inside an argument (`a"b c"d` is `ab cd`);
 * - 2n backslashes before a `"` give n backslashes, and the quote opens or closes;
 *   2n+1 backslashes before a `"` give n backslashes and a literal `"`;
 *   backslashes anywhere else are literal;
 * - inside a quoted part, `""` gives a literal `"` and ends the quoted part (the rule that
 *   CommandLineToArgvW kept; the 2008+ C runtime continues the quoted part instead);
 * - `""` alone is an empty argument; an unterminated quote runs to the end of the line.
 *
 * Linear in the length of the line. Works on UTF-16 code units: the characters that matter
 * are ASCII and never part of a surrogate pair, so any other text passes through unchanged.
 */

import { setPath, type Doc } from './util';

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The arguments of a command line (the program name first); `[]` for an empty line. */
export function splitCommandLine(line: string): string[] {
  const n = line.length;
  if (n === 0) return [];
  const args: string[] = [];
  let i = 0;
  // the program name
  if (line.charCodeAt(0) === QUOTE) {
    const end = line.indexOf('"', 1);
    if (end < 0) return [line.slice(1)];
    args.push(line.slice(1, end));
    i = end + 1;
  } else {
    while (i < n && !isBlank(line.charCodeAt(i))) i++;
    args.push(line.slice(0, i));
  }
  // the other arguments
  for (;;) {
    while (i < n && isBlank(line.charCodeAt(i))) i++;
    if (i >= n) break;
    let arg = '';
    let runStart = i; // start of the stretch of ordinary characters not yet copied
    let inQuotes = false;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c === BACKSLASH) {
        let j = i;
        while (j < n && line.charCodeAt(j) === BACKSLASH) j++;
        if (j < n && line.charCodeAt(j) === QUOTE) {
          const slashes = j - i;
          arg += line.slice(runStart, i) + '\\'.repeat(slashes >> 1);
          if (slashes & 1) {
            arg += '"';
            i = j + 1;
            runStart = i;
            continue;
          }
          i = j; // the quote is a delimiter: handled below
          runStart = i;
        } else {
          i = j; // literal backslashes: part of the stretch
          continue;
        }
      }
      const d = line.charCodeAt(i);
      if (d === QUOTE) {
        arg += line.slice(runStart, i);
        if (inQuotes && i + 1 < n && line.charCodeAt(i + 1) === QUOTE) {
          arg += '"';
          i += 2;
          inQuotes = false;
        } else {
          inQuotes = !inQuotes;
          i += 1;
        }
        runStart = i;
        continue;
      }
      if (!inQuotes && isBlank(d)) break;
      i++;
    }
    arg += line.slice(runStart, i);
    args.push(arg);
  }
  return args;
}

/** `<prefix>.command_line` with its `args` and `args_count` (as Elastic's pipelines split it). */
export function setCommandLine(doc: Doc, prefix: string, cmd: string): void {
  setPath(doc, `${prefix}.command_line`, cmd);
  const a = argsFields(cmd);
  if (a) {
    setPath(doc, `${prefix}.args`, a.args);
    setPath(doc, `${prefix}.args_count`, a.args_count);
  }
}

/** `process.args` and `process.args_count` of a command line (nothing for an empty one). */
export function argsFields(line: string | undefined): { args: string[]; args_count: number } | undefined {
  if (line === undefined || line === '') return undefined;
  const args = splitCommandLine(line);
  return args.length ? { args, args_count: args.length } : undefined;
}
