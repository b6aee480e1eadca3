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
  it('indexOf: null when not found, start clamps at 0, past the end gives null', () => {
    expect(indexOf('hello', 'l', null, false, false)).toBe(2);
    expect(indexOf('hello', 'l', 3, true, false)).toBe(3);
    expect(indexOf('hello', 'z', null, false, false)).toBeNull();
    expect(indexOf('hello', 'h', -5, true, false)).toBe(0);
    expect(indexOf('hello', 'h', 10, true, false)).toBeNull();
    expect(indexOf('hello', '', 2, true, false)).toBe(2);
    expect(indexOf('hello', 'h', null, true, false)).toBeNull();
    expect(indexOf('HELLO', 'l', null, false, true)).toBe(2);
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
  it('number: bases, 0x prefix, whitespace, errors', () => {
    expect(toNumber('32', 16, true)).toBe(50);
    expect(toNumber(' 42 ', null, false)).toBe(42);
    expect(toNumber('0x1F', null, true)).toBe(31);
    expect(toNumber('-1.5', null, false)).toBe(-1.5);
    expect(toNumber(null, null, false)).toBeNull();
    expect(() => toNumber('', null, false)).toThrow(FunctionError);
    expect(() => toNumber('abc', null, false)).toThrow(FunctionError);
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
