import { afterEach, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { cliCommand } from './args';

afterEach(() => vi.restoreAllMocks());

function stderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  return lines;
}

test('an unknown option is a usage error: exit 2, the command named, the usage after it', () => {
  const err = stderr();
  const cli = cliCommand('thing', 'usage: guidepost thing [--n N]');
  expect(cli.parse(['--nope'], { strings: ['n'] })).toBe(2);
  expect(err).toHaveLength(1);
  expect(err[0]).toMatch(/^guidepost thing: Unknown option '--nope'/);
  expect(err[0]!.endsWith('\nusage: guidepost thing [--n N]')).toBe(true);
});

test('good arguments come back parsed, each by its kind', () => {
  const parsed = cliCommand('thing', 'usage').parse(['--n', '3', 'x', '--f', '--l', 'a', '--l', 'b'], { positionals: true, strings: ['n'], booleans: ['f'], lists: ['l'] });
  expect(parsed).toEqual({ values: { n: '3', f: true, l: ['a', 'b'] }, positionals: ['x'] });
});

test('a positional is a usage error unless the command takes them; a flag given a value too', () => {
  stderr();
  const cli = cliCommand('thing', 'usage');
  expect(cli.parse(['x'], { strings: ['n'] })).toBe(2);
  expect(cli.parse(['--f=yes'], { booleans: ['f'] })).toBe(2);
});

test('--help and -h print the usage on stdout and exit 0', () => {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const cli = cliCommand('thing', 'usage: guidepost thing');
  expect(cli.parse(['--help'], { strings: ['n'] })).toBe(0);
  expect(cli.parse(['-h'], {})).toBe(0);
  expect(out).toEqual(['usage: guidepost thing', 'usage: guidepost thing']);
});

test('a zod error names each issue, after its argument when asked; fail can leave the usage out', () => {
  const err = stderr();
  const cli = cliCommand('thing', 'U');
  const bad = z.object({ n: z.string().regex(/^\d+$/, 'not a number'), m: z.string() }).safeParse({ n: 'x' });
  expect(bad.success).toBe(false);
  if (bad.success) return;
  expect(cli.invalid(bad.error, true)).toBe(2);
  expect(cli.invalid(bad.error)).toBe(2);
  expect(cli.fail('plain', { usage: false })).toBe(2);
  expect(err[0]).toMatch(/^guidepost thing: n: not a number; m: .+\nU$/);
  expect(err[1]).toMatch(/^guidepost thing: not a number; .+\nU$/);
  expect(err[2]).toBe('guidepost thing: plain');
});
