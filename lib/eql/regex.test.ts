/**
 * Lucene regular expressions as Elasticsearch runs them (lib/eql/SEMANTICS.md §6).
 * Grammar: apache/lucene lucene/core/src/java/org/apache/lucene/util/automaton/RegExp.java
 * (parseUnionExp … parseSimpleExp, matchPredefinedCharacterClass, toCaseInsensitiveChar,
 * makeInterval) and Automata.makeDecimalInterval; flags: Elasticsearch passes RegExp.ALL
 * (| DEPRECATED_COMPLEMENT on Lucene 10), case-insensitive = ASCII_CASE_INSENSITIVE.
 */
import { describe, expect, it } from 'vitest';
import { compileRegex, RegexSyntaxError } from './regex';

const m = (p: string, s: string, ci = false): boolean => compileRegex(p, ci)(s);

describe('Lucene regex', () => {
  it('is anchored', () => {
    expect(m('cmd', 'cmd.exe')).toBe(false);
    expect(m('cmd.*', 'cmd.exe')).toBe(true);
    expect(m('', '')).toBe(true);
    expect(m('', 'a')).toBe(false);
  });
  it('supports classes, repetition, alternation, quoted text', () => {
    expect(m('[a-z]+[0-9]{2}', 'abc12')).toBe(true);
    expect(m('(foo|bar)baz', 'barbaz')).toBe(true);
    expect(m('"a.b"c', 'a.bc')).toBe(true);
    expect(m('"a.b"c', 'axbc')).toBe(false);
    expect(m('[^ ]+', 'a b')).toBe(false);
    expect(m('a{2,3}', 'aaaa')).toBe(false);
    expect(m('a{2,}', 'aaaa')).toBe(true);
    expect(m('a{3,2}', 'aa')).toBe(false); // Operations.repeat with min > max: empty language
    expect(m('()a', 'a')).toBe(true);
    expect(m('[.]', '.')).toBe(true);
    expect(m('[.]', 'x')).toBe(false);
  });
  it('has the predefined classes \\d \\s \\w and their negations (matchPredefinedCharacterClass)', () => {
    expect(m('a\\sb', 'a b')).toBe(true);
    expect(m('a\\sb', 'asb')).toBe(false);
    expect(m('\\d+', '123')).toBe(true);
    expect(m('\\D', '1')).toBe(false);
    expect(m('\\w+', 'a_Z9')).toBe(true);
    expect(m('\\W', '-')).toBe(true);
    expect(m('[\\d-]+', '1-2')).toBe(true);
    expect(m('\\.', '.')).toBe(true);
    expect(m('\\\\', '\\')).toBe(true);
    expect(() => compileRegex('\\n', false)).toThrow(RegexSyntaxError);
  });
  it('a leading * or | is a literal character, as Lucene parses it', () => {
    expect(m('*a', '*a')).toBe(true);
    expect(() => compileRegex('a|', false)).toThrow(RegexSyntaxError);
  });
  it('intersection &, complement ~, any string @, empty language #', () => {
    expect(m('.*a.*&.*b.*', 'xaxbx')).toBe(true);
    expect(m('.*a.*&.*b.*', 'xax')).toBe(false);
    expect(m('~(.*exe)', 'a.dll')).toBe(true);
    expect(m('~(.*exe)', 'a.exe')).toBe(false);
    expect(m('~a', '')).toBe(true);
    expect(m('@', 'anything')).toBe(true);
    expect(m('a@', 'abc')).toBe(true);
    expect(m('#', '')).toBe(false);
    expect(m('a|#', 'a')).toBe(true);
    expect(m('cmd~(\\.exe)', 'cmd.com')).toBe(true);
    expect(m('cmd~(\\.exe)', 'cmd.exe')).toBe(false);
  });
  it('numeric intervals <n-m> (Automata.makeDecimalInterval)', () => {
    expect(m('port<1-1024>', 'port80')).toBe(true);
    expect(m('port<1-1024>', 'port1025')).toBe(false);
    expect(m('port<1-1024>', 'port0080')).toBe(true); // different widths: any leading zeros
    expect(m('<01-10>', '05')).toBe(true); // same widths: fixed width
    expect(m('<01-10>', '5')).toBe(false);
    expect(m('<10-1>', '7')).toBe(true); // bounds are swapped
    expect(m('<0-5>', '0')).toBe(true);
    expect(() => compileRegex('<name>', false)).toThrow(RegexSyntaxError); // no named automata in ES
  });
  it('. is one code point, also outside the BMP', () => {
    expect(m('.', '😀')).toBe(true);
    expect(m('..', '😀')).toBe(false);
    expect(m('a.b', 'a😀b')).toBe(true);
    expect(m('[😀-😂]', '😁')).toBe(true);
  });
  it('regex~ folds ASCII literals only, not ranges or non-ASCII (RegExp.toCaseInsensitiveChar)', () => {
    expect(m('CMD\\.exe', 'cmd.EXE', true)).toBe(true);
    expect(m('CMD\\.exe', 'cmd.EXE', false)).toBe(false);
    expect(m('"ABC"', 'abc', true)).toBe(true);
    expect(m('[abc]+', 'ABC', true)).toBe(true);
    expect(m('[a-c]+', 'ABC', true)).toBe(false);
    expect(m('é', 'É', true)).toBe(false);
    expect(m('[^a]', 'A', true)).toBe(false);
  });
  it('rejects broken patterns', () => {
    for (const p of ['(ab', '[ab', 'a{', 'a{x}', '"ab', '[b-a]', '<1-x>', 'a)']) {
      expect(() => compileRegex(p, false), p).toThrow(RegexSyntaxError);
    }
    expect(() => compileRegex('a'.repeat(1001), false)).toThrow(RegexSyntaxError);
    expect(() => compileRegex('((a{100}){100}){100}', false)).toThrow(RegexSyntaxError);
    expect(m('(a{100}){100}', 'a'.repeat(10000))).toBe(true);
  });
  it('runs in linear time on patterns that make backtracking engines explode', () => {
    const cases: Array<[string, string]> = [
      ['(a+)+b', 'a'.repeat(20000)],
      ['(a|aa)*c', 'a'.repeat(20000)],
      ['(.*a){12}', 'a'.repeat(5000) + 'b'],
      ['(a|b)*a(a|b){12}', 'ab'.repeat(10000)],
      ['~(.*x.*)&(.*a.*)+', 'a'.repeat(20000)],
    ];
    for (const [p, s] of cases) {
      const f = compileRegex(p, false);
      const t0 = performance.now();
      f(s);
      f(s);
      expect(performance.now() - t0, p).toBeLessThan(1500);
    }
  });
});
