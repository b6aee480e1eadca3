/**
 * How a detection cycle runs its due rules:
 * - embedded store: `runScanCycle` — the rules' next windows are grouped into scans of at
 *   most MAX_SCAN_SPAN_MS; each scan reads its range once (ScanCycle) and every rule of the
 *   group runs its window against it; a rule's windows still run in order (gap chunks
 *   oldest first); windows longer than a scan (12-hour look-backs) share a scan of their own.
 * - Elasticsearch: `runPool` — up to `concurrency` rules at once, in the order given (most
 *   overdue first).
 * and what the last cycles looked like (`getDetectionHealth`: did the scheduler keep up?).
 */
import { z } from 'zod';
import type { Rule } from '../../rules/model';
import type { EventStore } from '../../events/embedded/store';
import type { EventSource, TimeWindow } from '../../events/types';
import { buildSearchRequest } from '../run';
import { ScanCycle, type ScanStats } from './scan';

export interface PlannedRuleWindow {
  window: TimeWindow;
  gapAfter: TimeWindow | null;
}

/** One due rule in a cycle: its windows (run in order) and how far it got. */
export interface RuleTask {
  rule: Rule;
  now: Date;
  windows: PlannedRuleWindow[];
  /** index of the next window to run */
  next: number;
  /** true once it stopped (all run, a failure, or busy) */
  done: boolean;
  /** end of the rule's covered time before this cycle (ms; -Infinity when never run) */
  coveredTo: number;
}

/** A scan of short windows covers at most this much time (longer windows, e.g. 12 h look-backs, are scanned apart). */
export const MAX_SCAN_SPAN_MS = 3 * 3_600_000;
/** A scan whose range holds more rows than this is not read (its rules go to the store's per-rule search). */
export const MAX_SCAN_EVENTS = 1_500_000;

export interface ScanCycleOptions {
  base: EventSource;
  store: EventStore;
  stopped: () => boolean;
  /** runs the task's next window against the source */
  runWindows: (task: RuleTask, source: EventSource) => Promise<void>;
  maxSpanMs?: number;
  maxEvents?: number;
  /** called with every scan's figures */
  onScan?: (stats: ScanStats, range: TimeWindow) => void;
}

const span = (w: TimeWindow) => Date.parse(w.to) - Date.parse(w.from);

export async function runScanCycle(tasks: RuleTask[], opts: ScanCycleOptions): Promise<void> {
  const maxSpan = opts.maxSpanMs ?? MAX_SCAN_SPAN_MS;
  for (;;) {
    if (opts.stopped()) return;
    const heads = tasks.filter((t) => !t.done && t.windows[t.next]);
    if (heads.length === 0) return;
    // windows longer than a scan (12-hour look-backs): one scan of their own, apart from the
    // short windows (so the short scans stay short)
    const long = heads.filter((t) => span(t.windows[t.next]!.window) > maxSpan);
    const short = heads.filter((t) => !long.includes(t));
    let group: RuleTask[];
    if (long.length) group = long;
    else {
      // the group: every next window inside [earliest start, earliest start + maxSpan]
      const start = Math.min(...short.map((t) => Date.parse(t.windows[t.next]!.window.from)));
      group = short.filter((t) => Date.parse(t.windows[t.next]!.window.to) <= start + maxSpan);
    }
    const cycle = new ScanCycle(opts.base, opts.store);
    for (const t of group) cycle.add(buildSearchRequest(t.rule, t.windows[t.next]!.window, []));
    cycle.prepare({ maxEvents: opts.maxEvents ?? MAX_SCAN_EVENTS });
    for (const t of group) {
      if (opts.stopped()) return;
      await opts.runWindows(t, cycle);
    }
    const r = cycle.scanRange;
    if (r) opts.onScan?.({ ...cycle.stats }, { from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString() });
  }
}

/** Run `work` over the tasks, at most `concurrency` at once, starting them in the given order. */
export async function runPool<T>(tasks: T[], concurrency: number, work: (t: T) => Promise<void>, stopped: () => boolean = () => false): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length && !stopped()) {
      const t = tasks[next++]!;
      await work(t);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
}

const ConcurrencyEnv = z.coerce.number().int().min(1).max(200);

/** GUIDEPOST_RULE_CONCURRENCY (1–200), else 10; a bad value is reported once and ignored. */
export function ruleConcurrencyFromEnv(): number {
  const raw = process.env.GUIDEPOST_RULE_CONCURRENCY;
  if (raw === undefined || raw.trim() === '') return 10;
  const parsed = ConcurrencyEnv.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (!warned) {
    warned = true;
    console.error(`GUIDEPOST_RULE_CONCURRENCY: "${raw}" is not a whole number from 1 to 200; using 10`);
  }
  return 10;
}
let warned = false;

export type CycleEngine = 'scan' | 'pool' | 'per-rule';

export interface CycleRecord {
  startedAt: string;
  durationMs: number;
  /** due rules in the cycle, runs made, runs failed */
  rules: number;
  runs: number;
  failed: number;
  /** the shortest interval among the cycle's rules (null when no rule was due) */
  intervalMs: number | null;
  engine: CycleEngine;
}

export interface DetectionHealth {
  /** the last cycle that ran rules (null before the first) */
  lastCycle: CycleRecord | null;
  /** true when the last cycle took longer than its rules' interval: detection falls behind */
  behind: boolean;
  /** cycles in a row that took longer than their interval */
  behindCycles: number;
  /** a sentence for the rules page and /api/health, null when all is well */
  message: string | null;
}

const HEALTH_KEY = Symbol.for('guidepost.detection.health');
type HealthState = { last: CycleRecord | null; behindCycles: number };
function state(): HealthState {
  const g = globalThis as typeof globalThis & { [HEALTH_KEY]?: HealthState };
  return (g[HEALTH_KEY] ??= { last: null, behindCycles: 0 });
}

/** Record a cycle (cycles with no due rule leave the record as it was). */
export function recordCycle(c: CycleRecord): void {
  if (c.rules === 0) return;
  const s = state();
  s.last = c;
  s.behindCycles = c.intervalMs !== null && c.durationMs > c.intervalMs ? s.behindCycles + 1 : 0;
}

/** Whether the scheduler keeps up: the last cycle's duration against its rules' interval. */
export function getDetectionHealth(): DetectionHealth {
  const s = state();
  const last = s.last;
  const behind = s.behindCycles > 0;
  const message =
    behind && last && last.intervalMs !== null
      ? `detection cannot keep up: the last cycle of ${last.rules} rules took ${Math.round(last.durationMs / 1000)} s, longer than the ${Math.round(last.intervalMs / 1000)} s interval (${s.behindCycles} cycle${s.behindCycles === 1 ? '' : 's'} in a row)`
      : null;
  return { lastCycle: last, behind, behindCycles: s.behindCycles, message };
}

/** Forget the recorded cycles (tests). */
export function resetDetectionHealth(): void {
  const s = state();
  s.last = null;
  s.behindCycles = 0;
}
