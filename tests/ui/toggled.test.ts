import { describe, expect, it } from 'vitest';
import { toggled } from '@/components/ui/toggled';

describe('toggled', () => {
  it('adds a missing key and removes a present one, leaving the original set alone', () => {
    const start = new Set(['a', 'b']);
    expect([...toggled(start, 'c')]).toEqual(['a', 'b', 'c']);
    expect([...toggled(start, 'a')]).toEqual(['b']);
    expect([...start]).toEqual(['a', 'b']);
  });
});
