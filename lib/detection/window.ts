/** Detection windows: date math (`now-9m`) and splitting a range into bounded chunks. */
import datemath from '@elastic/datemath';
import moment from 'moment';
import type { TimeWindow } from '../events/types';

/** Resolve date math (`now-9m`, `now-48h/h`) or an ISO date against `now`. */
export function resolveDate(expr: string, now: Date, roundUp = false): Date {
  const text = expr.trim();
  if (!text.startsWith('now') && !text.includes('||')) {
    // a plain date: ISO-8601 (a date alone is UTC midnight)
    const t = Date.parse(text);
    if (!Number.isFinite(t)) throw new Error(`invalid date or date math "${expr}"`);
    return new Date(t);
  }
  const m = datemath.parse(expr, { forceNow: now, roundUp, momentInstance: moment });
  if (!m || !m.isValid()) throw new Error(`invalid date or date math "${expr}"`);
  return m.toDate();
}

/** The window a scheduled run covers at `now`: `[now + from, now]` (from = "now-9m"). */
export function scheduledWindow(from: string, now: Date): TimeWindow {
  return { from: resolveDate(from, now).toISOString(), to: now.toISOString() };
}

/** Split [from, to] into consecutive windows of at most `chunkMs` (the last may be shorter). */
export function splitRange(range: TimeWindow, chunkMs: number): TimeWindow[] {
  const start = Date.parse(range.from);
  const end = Date.parse(range.to);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`invalid range ${range.from} .. ${range.to}`);
  if (end < start) throw new Error(`range ends (${range.to}) before it starts (${range.from})`);
  if (chunkMs <= 0) throw new Error('chunk size must be positive');
  const out: TimeWindow[] = [];
  for (let t = start; t < end; t += chunkMs) {
    out.push({ from: new Date(t).toISOString(), to: new Date(Math.min(t + chunkMs, end)).toISOString() });
  }
  if (out.length === 0) out.push({ from: new Date(start).toISOString(), to: new Date(end).toISOString() });
  return out;
}

/**
 * Halve a window whose answer filled its cap: `[from, mid]` and `[mid, to]` (both ends are
 * inclusive, so an event at `mid` is in both; alert dedup keeps it once). Null when the
 * window is shorter than `2 * minMs` and is not split further.
 */
export function halveWindow(window: TimeWindow, minMs: number): [TimeWindow, TimeWindow] | null {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const span = to - from;
  if (!Number.isFinite(span) || span < 2 * minMs) return null;
  const mid = new Date(from + Math.floor(span / 2)).toISOString();
  return [
    { from: window.from, to: mid },
    { from: mid, to: window.to },
  ];
}
