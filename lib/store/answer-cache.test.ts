import { describe, expect, it } from 'vitest';
import { versionMemo } from './answer-cache';
import { openAppDb } from './db';

describe('versionMemo', () => {
  it('keeps an answer per connection and key while the version stays, makes it anew when it moves, and holds at most `limit` keys', () => {
    const remember = versionMemo(2);
    const a = openAppDb(':memory:');
    const b = openAppDb(':memory:');
    let made = 0;
    const make = () => ++made;
    expect(remember(a, 'k', 1, make)).toBe(1);
    expect(remember(a, 'k', 1, make)).toBe(1);
    expect(remember.peek(a, 'k', 1)).toBe(1);
    expect(remember.peek(a, 'k', 2)).toBeUndefined();
    expect(remember(b, 'k', 1, make)).toBe(2); // another connection keeps its own
    expect(remember(a, 'k', 2, make)).toBe(3); // the version moved
    remember(a, 'x', 1, make); // 4
    remember(a, 'y', 1, make); // 5: a third key drops the oldest written, 'k'
    expect(remember.peek(a, 'k', 2)).toBeUndefined();
    expect(remember.peek(a, 'x', 1)).toBe(4);
    expect(remember.peek(a, 'y', 1)).toBe(5);
    a.close();
    b.close();
  });
});
