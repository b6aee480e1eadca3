/**
 * `| head N` / `| tail N`, `size` and `result_position` over an ordered result list.
 * With pipes, they apply left to right and `size` caps the outcome; without, `size` keeps
 * the first (`head`) or last (`tail`, default) matches. Order is never changed.
 */
import type { Pipe } from './ast';

export function applyPipes<T>(items: T[], pipes: readonly Pipe[], size: number, position: 'head' | 'tail'): T[] {
  let out = items;
  let last: 'head' | 'tail' = position;
  for (const p of pipes) {
    const n = Math.max(0, p.count);
    out = p.name === 'head' ? out.slice(0, n) : n === 0 ? [] : out.slice(-n);
    last = p.name;
  }
  const cap = Math.max(0, size);
  if (out.length <= cap) return out;
  return last === 'head' ? out.slice(0, cap) : cap === 0 ? [] : out.slice(-cap);
}

/** The number of leading results a query needs when only the first ones can survive the pipes. */
export function headLimit(pipes: readonly Pipe[], size: number, position: 'head' | 'tail'): number | null {
  if (pipes.length === 0) return position === 'head' ? size : null;
  let limit: number | null = null;
  for (const p of pipes) {
    if (p.name !== 'head') return null;
    limit = limit === null ? p.count : Math.min(limit, p.count);
  }
  return limit === null ? null : Math.min(limit, size);
}
