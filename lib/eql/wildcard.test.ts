import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWildcard, compileWildcardList } from './wildcard';

/** Independent reference: a dynamic-programming glob matcher. */
function reference(value: string, pattern: string, ci: boolean): boolean {
  const fold = (s: string): string => (ci ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);
  const v = fold(value);
  const p = fold(pattern);
  const dp: boolean[][] = Array.from({ length: p.length + 1 }, () => new Array<boolean>(v.length + 1).fill(false));
  dp[0]![0] = true;
  for (let i = 1; i <= p.length; i++) {
    const c = p[i - 1];
    for (let j = 0; j <= v.length; j++) {
      if (c === '*') dp[i]![j] = dp[i - 1]![j]! || (j > 0 && dp[i]![j - 1]!);
      else if (j > 0 && (c === '?' || c === v[j - 1])) dp[i]![j] = dp[i - 1]![j - 1]!;
    }
  }
  return dp[p.length]![v.length]!;
}

describe('wildcards', () => {
  it('matches whole values with * and ?', () => {
    expect(compileWildcard('*.exe', true)('CMD.EXE')).toBe(true);
    expect(compileWildcard('*.exe', false)('CMD.EXE')).toBe(false);
    expect(compileWildcard('c?d.exe', false)('cmd.exe')).toBe(true);
    expect(compileWildcard('c?d.exe', false)('cd.exe')).toBe(false);
    expect(compileWildcard('exe', true)('cmd.exe')).toBe(false);
    expect(compileWildcard('*', false)('')).toBe(true);
  });
  it('treats backslash and % literally', () => {
    const m = compileWildcard('*\\MACHINE\\SAM\\*', true);
    expect(m('HKLM\\machine\\sam\\x')).toBe(true);
    expect(m('HKLM/machine/sam/x')).toBe(false);
    expect(compileWildcard('%SystemRoot%*', false)('%SystemRoot%\\x')).toBe(true);
  });
  it('folds ASCII only', () => {
    expect(compileWildcard('é*', true)('É')).toBe(false);
  });
  it('lists match any pattern', () => {
    const m = compileWildcardList(['smss.exe', 'LogonUI.exe', '*.dll', 'a?c'], true);
    expect(m('logonui.exe')).toBe(true);
    expect(m('SMSS.EXE')).toBe(true);
    expect(m('x.DLL')).toBe(true);
    expect(m('abc')).toBe(true);
    expect(m('cmd.exe')).toBe(false);
    expect(compileWildcardList([], false)('x')).toBe(false);
  });
  it('agrees with a reference matcher on random input', () => {
    const alpha = fc.constantFrom('a', 'b', 'A', '*', '?', '\\', '.');
    fc.assert(
      fc.property(fc.string({ unit: alpha, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B', '\\', '.'), maxLength: 10 }), fc.boolean(), (p, v, ci) => {
        expect(compileWildcard(p, ci)(v)).toBe(reference(v, p, ci));
      }),
      { numRuns: 500 },
    );
  });
});
