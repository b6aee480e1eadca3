import { describe, expect, it } from 'vitest';
import type { Pipe } from './ast';
import { applyPipes, headLimit } from './pipes';

const span = { start: 0, end: 0 };
const head = (count: number): Pipe => ({ kind: 'pipe', name: 'head', count, span });
const tail = (count: number): Pipe => ({ kind: 'pipe', name: 'tail', count, span });
const xs = [1, 2, 3, 4, 5, 6];

describe('pipes', () => {
  it('without pipes, size keeps the last (tail) or first (head) matches', () => {
    expect(applyPipes(xs, [], 2, 'tail')).toEqual([5, 6]);
    expect(applyPipes(xs, [], 2, 'head')).toEqual([1, 2]);
  });
  it('pipes chain left to right and take precedence over result_position', () => {
    expect(applyPipes(xs, [head(4), tail(2)], 50, 'head')).toEqual([3, 4]);
    expect(applyPipes(xs, [tail(3)], 50, 'head')).toEqual([4, 5, 6]);
  });
  it('size caps the pipe output', () => {
    expect(applyPipes(xs, [head(5)], 2, 'tail')).toEqual([1, 2]);
    expect(applyPipes(xs, [tail(5)], 2, 'head')).toEqual([5, 6]);
    expect(applyPipes(xs, [], 0, 'tail')).toEqual([]);
  });
  it('headLimit only when the first results are enough', () => {
    expect(headLimit([head(3), head(5)], 50, 'tail')).toBe(3);
    expect(headLimit([head(3), tail(1)], 50, 'tail')).toBeNull();
    expect(headLimit([], 7, 'head')).toBe(7);
    expect(headLimit([], 7, 'tail')).toBeNull();
  });
});
