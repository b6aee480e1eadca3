import { describe, expect, it } from 'vitest';
import { compileRegex, luceneToJs, RegexSyntaxError } from './regex';

describe('Lucene regex', () => {
  it('is anchored', () => {
    expect(compileRegex('cmd', false)('cmd.exe')).toBe(false);
    expect(compileRegex('cmd.*', false)('cmd.exe')).toBe(true);
  });
  it('supports classes, repetition, alternation, quoted text', () => {
    expect(compileRegex('[a-z]+[0-9]{2}', false)('abc12')).toBe(true);
    expect(compileRegex('(foo|bar)baz', false)('barbaz')).toBe(true);
    expect(compileRegex('"a.b"c', false)('a.bc')).toBe(true);
    expect(compileRegex('"a.b"c', false)('axbc')).toBe(false);
    expect(compileRegex('[^ ]+', false)('a b')).toBe(false);
  });
  it('has no predefined classes: \\s is the letter s', () => {
    expect(compileRegex('a\\sb', false)('asb')).toBe(true);
    expect(compileRegex('a\\sb', false)('a b')).toBe(false);
  });
  it('regex~ is case-insensitive', () => {
    expect(compileRegex('CMD\\.exe', true)('cmd.EXE')).toBe(true);
    expect(compileRegex('CMD\\.exe', false)('cmd.EXE')).toBe(false);
  });
  it('accepts .*? and rejects broken patterns', () => {
    expect(compileRegex('.*?x', false)('abx')).toBe(true);
    expect(() => luceneToJs('(ab')).toThrow(RegexSyntaxError);
    expect(() => luceneToJs('[ab')).toThrow(RegexSyntaxError);
  });
});
