import { describe, expect, it } from 'vitest';
import {
  arithmetic,
  between,
  cidrMatch,
  concat,
  endsWith,
  FunctionError,
  indexOf,
  length,
  startsWith,
  stringContains,
  substring,
  toNumber,
} from './functions';

describe('functions (ES semantics, semantics doc §8)', () => {
  it('between: first left, next right; greedy takes the last right; not found gives ""', () => {
    expect(between('System Idle Process', 's', 'e', false, false)).toBe('t');
    expect(between('System Idle Process', 's', 'e', false, true)).toBe('yst');
    expect(between('System Idle Process', 's', 'e', true, true)).toBe('ystem Idle Proc');
    expect(between('abc', 'x', 'c', false, false)).toBe('');
    expect(between('', 'a', 'b', false, false)).toBe('');
    expect(between(null, 'a', 'b', false, false)).toBeNull();
  });
  it('indexOf (IndexOfFunctionProcessor): a null start is 0; Java indexOf clamps; empty needle past the end is the length', () => {
    expect(indexOf('hello', 'l', null, false, false)).toBe(2);
    expect(indexOf('hello', 'l', 3, true, false)).toBe(3);
    expect(indexOf('hello', 'z', null, false, false)).toBeNull();
    expect(indexOf('hello', 'h', -5, true, false)).toBe(0);
    expect(indexOf('hello', 'h', 10, true, false)).toBeNull();
    expect(indexOf('hello', '', 2, true, false)).toBe(2);
    expect(indexOf('hello', '', 10, true, false)).toBe(5);
    expect(indexOf('hello', 'h', null, true, false)).toBe(0);
    expect(indexOf('hello', 'l', 2.9, true, false)).toBe(2);
    expect(indexOf('HELLO', 'l', null, false, true)).toBe(2);
    expect(indexOf('ÄBC', 'äb', null, false, true)).toBe(0); // toLowerCase(Locale.ROOT), not ASCII-only
  });
  it('substring is a Python-style slice', () => {
    expect(substring('start_abc_end', -4, null, false)).toBe('_end');
    expect(substring('start_abc_end', -4, -1, true)).toBe('_en');
    expect(substring('start', 3, 1, true)).toBe('');
    expect(substring('start', 10, null, false)).toBe('');
    expect(substring('start', 0, 2, true)).toBe('st');
  });
  it('string predicates and their ~ forms', () => {
    expect(startsWith('', '', false)).toBe(true);
    expect(endsWith('', '', false)).toBe(true);
    expect(stringContains('', '', false)).toBe(false);
    expect(stringContains('regsvr32.exe', 'Regsvr32', true)).toBe(true);
    expect(stringContains('regsvr32.exe', 'Regsvr32', false)).toBe(false);
    expect(startsWith('CMD.exe', 'cmd', true)).toBe(true);
    expect(startsWith('CMD.exe', 'cmd', false)).toBe(false);
    expect(length('')).toBe(0);
    expect(length(null)).toBeNull();
  });
  it('concat: null argument gives null; numbers in decimal', () => {
    expect(concat(['a', 1, true])).toBe('a1true');
    expect(concat(['a', null])).toBeNull();
  });
  it('number (ToNumberFunctionProcessor): 0x means base 16, base 10 is DecimalFormat, others Integer.parseInt', () => {
    expect(toNumber('32', 16, true)).toBe(50);
    expect(toNumber('0x1F', null, true)).toBe(31);
    expect(toNumber('0x1F', 16, true)).toBe(31);
    expect(toNumber('-1.5', null, false)).toBe(-1.5);
    expect(toNumber('2.', null, false)).toBe(2);
    expect(toNumber('-ff', 16, true)).toBe(-255);
    expect(toNumber(null, null, false)).toBeNull();
    for (const bad of ['', 'abc', ' 42 ', '+5', '1e3', '0X1F', '1,000']) {
      expect(() => toNumber(bad, null, false), bad).toThrow(FunctionError);
    }
    expect(() => toNumber('0x1F', 10, true)).toThrow(FunctionError);
    expect(() => toNumber('80000000', 16, true)).toThrow(FunctionError); // beyond Integer.parseInt
    expect(() => toNumber('1', 37, true)).toThrow(FunctionError);
  });
  it('between (eql StringUtils.between): empty bounds give the source; a greedy right before the start fails', () => {
    expect(between('abc', '', 'c', false, false)).toBe('abc');
    expect(between('abc', 'a', '', false, false)).toBe('abc');
    expect(between('abcabc', 'b', 'a', false, false)).toBe('c');
    expect(() => between('abca', 'c', 'b', true, false)).toThrow(FunctionError);
    expect(between('ÄxÖ', 'ä', 'ö', false, true)).toBe('x');
  });
  it('substring (SubstringFunctionProcessor): a null start gives the source, a null end the length', () => {
    expect(substring('abc', null, 2, true)).toBe('abc');
    expect(substring('abc', 1, null, true)).toBe('bc');
  });
  it('stringContains as a script: an empty needle is false (StringUtils.stringContains); ~ lower-cases Unicode', () => {
    expect(stringContains('abc', '', false)).toBe(false);
    expect(stringContains('ÄBC', 'äb', true)).toBe(true);
    expect(endsWith('xÄ', 'ä', true)).toBe(true);
    expect(startsWith('Äx', 'ä', true)).toBe(true);
  });
  it('arithmetic: integer division truncates, modulo takes the sign of the dividend', () => {
    expect(arithmetic('/', 4, 3, 'long', 'long')).toBe(1);
    expect(arithmetic('/', -7, 2, 'long', 'long')).toBe(-3);
    expect(arithmetic('/', 4, 3, 'double', 'long')).toBeCloseTo(1.3333, 3);
    expect(arithmetic('%', 10, -6, 'long', 'long')).toBe(4);
    expect(arithmetic('%', -10, -6, 'long', 'long')).toBe(-4);
    expect(arithmetic('+', 1, null, 'long', 'long')).toBeNull();
    expect(() => arithmetic('/', 1, 0, 'long', 'long')).toThrow(FunctionError);
  });
  it('cidrMatch', () => {
    expect(cidrMatch('10.6.48.157', ['192.168.0.0/16', '10.0.0.0/8'])).toBe(true);
    expect(cidrMatch('10.6.48.157', ['192.168.0.0/16'])).toBe(false);
    expect(cidrMatch(null, ['10.0.0.0/8'])).toBeNull();
    expect(() => cidrMatch('10.0.0.1', ['nope'])).toThrow(FunctionError);
  });
});

describe('string() of floats (ToStringFunctionProcessor: Java toString of the value)', () => {
  it('non-integral numbers print as Java doubles, whatever produced them', async () => {
    const { compileCondition } = await import('./compile');
    const { parseExpression } = await import('./parser');
    const f = (q: string) => compileCondition(parseExpression(q), { timestampField: '@timestamp' })({});
    expect(f('string(number("12345678.5")) == "1.23456785E7"')).toBe(true);
    expect(f('string(number("2")) == "2"')).toBe(true);
    expect(f('concat("v", number("0.0001")) == "v1.0E-4"')).toBe(true);
  });
});

describe('quoting exported for EQL text writers', () => {
  it('quoteString/quoteField read back through the lexer', async () => {
    const { quoteString, quoteField, parseExpression } = await import('./index');
    const value = 'a"b\\c\u0000\nd😀';
    const e = parseExpression(`${quoteField('my-field.runs')} == ${quoteString(value)}`);
    expect(e).toMatchObject({ kind: 'comparison', left: { kind: 'field', name: 'my-field.runs' }, right: { value } });
  });
});

describe('integer overflow (ql Arithmetics: Math.*Exact)', () => {
  it('long arithmetic past the long range fails instead of wrapping', () => {
    expect(() => arithmetic('*', 2 ** 62, 4, 'long', 'long')).toThrow(FunctionError);
    expect(() => arithmetic('+', 2 ** 63 - 1024, 4096, 'long', 'long')).toThrow(FunctionError);
    expect(arithmetic('*', 2 ** 62, 4, 'double', 'long')).toBe(2 ** 64);
  });
  it('int literals overflow at 32 bits when folded', async () => {
    const { compileCondition } = await import('./compile');
    const { parseExpression } = await import('./parser');
    const { EqlError } = await import('./errors');
    const c = (q: string) => compileCondition(parseExpression(q), { timestampField: '@timestamp' });
    expect(() => c('n == 2147483647 + 1')).toThrow(EqlError);
    expect(c('n == 2147483648 + 1')({ n: 2147483649 })).toBe(true);
  });
});

describe('cidrMatch with IPv4-mapped IPv6 (InetAddresses.parseCidr)', () => {
  it('a mapped address with a prefix is an invalid block; mapped values still match v4 blocks', () => {
    expect(() => cidrMatch('10.0.0.1', ['::ffff:10.0.0.0/104'])).toThrow(FunctionError);
    expect(() => cidrMatch('10.0.0.1', ['::ffff:0:0/96'])).toThrow(FunctionError);
    expect(cidrMatch('::ffff:10.0.0.1', ['10.0.0.0/8'])).toBe(true);
    expect(cidrMatch('::fffe:a00:1', ['::fffe:0:0/95'])).toBe(true);
  });
});
