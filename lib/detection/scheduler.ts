/**
 * The rule scheduler: every enabled rule runs every `interval` over `[now + from, now]`.
 *
 * No window is ever skipped: `rule_state.last_success_end` holds the end of the last
 * successful scheduled window and only moves forward in the transaction that stores that
 * window's alerts. When runs were missed (server down) or failed (source unreachable), the
 * missed range `[last_success_end, now + from]` is run in bounded chunks (at most
 * `maxChunksPerTick` per tick, oldest first) before the normal window; while it is pending,
 * `listRulesWithStatus()` shows it as a gap. Runs never overlap for one rule (in-process
 * lock + lease row), transient failures are retried with backoff, and a run interrupted by
 * a crash is marked failed at the next start and its window run again (alerts are
 * deduplicated by rule + event, so nothing is duplicated).
 */
import type { Rule } from '../rules/model';
import { durationMs } from '../rules/model';
import type { EventSource, TimeWindow } from '../events/types';
import { getRuleState, initCoverage, recordAttempt, setGap, type RuleState } from '../store/rule-state';
import { failInterruptedRuns, pruneRuns } from '../store/runs';
import { EventSourceError } from '../events/errors';
import { failingSource } from '../events/failing-source';
import { listEnabledRules } from './rules';
import { runRule, PROCESS_OWNER, type RunOutcome } from './run';
import { resolveDate, splitRange } from './window';
import { embeddedStoreOf } from '../events/embedded/source';
import { getDb } from '../store/db';
import { recordCycle, ruleConcurrencyFromEnv, runPool, runScanCycle, type CycleEngine, type CycleRecord, type RuleTask, type ScanCycleOptions } from './engine/cycle';

export interface SchedulerOptions {
  /** the event source (resolved at each tick) */
  source: () => EventSource | Promise<EventSource>;
  /** the rules to run (default: the enabled EQL rules of the catalogue) */
  rules?: () => Rule[] | Promise<Rule[]>;
  /** the clock (default real time); tests drive it */
  now?: () => Date;
  /** how often `start()` ticks (default 15 s) */
  tickMs?: number;
  /** missed-range chunks run per rule per tick (default 12) */
  maxChunksPerTick?: number;
  /** chunk length for a missed range (default: the rule's look-back, e.g. 9m) */
  chunkMs?: (rule: Rule) => number;
  /** attempts per window for retryable failures (default 3) and the backoff between them */
  attempts?: number;
  backoffMs?: (attempt: number) => number;
  sleep?: (ms: number) => Promise<void>;
  /** lease owner (default: this process) and lease length (default 10 min) */
  owner?: string;
  leaseMs?: number;
  /** run records older than this are deleted (default 30 days; checked hourly) */
  runRetentionMs?: number;
  /**
   * 'scan' (default; GUIDEPOST_DETECTION_ENGINE=per-rule overrides): on the embedded store a
   * cycle reads its time range once for all rules (lib/detection/engine); 'per-rule': every
   * rule searches the store on its own.
   */
  engine?: 'scan' | 'per-rule';
  /** the scan engine's limits (default MAX_SCAN_SPAN_MS, MAX_SCAN_EVENTS) and a report of every scan */
  scan?: { maxSpanMs?: number; maxEvents?: number; onScan?: ScanCycleOptions['onScan'] };
  /** Elasticsearch: rules run at once (default GUIDEPOST_RULE_CONCURRENCY, else 10) */
  concurrency?: number;
  /** Elasticsearch: a run's search is abandoned after this long (default GUIDEPOST_RULE_TIMEOUT_MS, else the rule's interval, at most 5 minutes) */
  runTimeoutMs?: number;
  /**
   * Incident grouping (lib/incidents/grouping) of the alerts the cycles created: false turns it
   * off (the caller groups); otherwise once per cycle — after a tick that created alerts when
   * every due rule is caught up (no gap chunk left for a later tick) or `everyMs` (default: the
   * shortest interval of the rules) has passed since the last grouping — not after every tick
   * of a catch-up. `onGrouped` gets each grouping's duration.
   */
  grouping?: false | { everyMs?: number; onGrouped?: (ms: number, alerts: number, cpuMs: number) => void };
  /**
   * What joins the alerts the cycles created into incidents: the server and the detection worker
   * pass lib/incidents' `groupUngroupedAlertsPaced` (short transactions with pauses between
   * them, awaited), the CLI `groupUngroupedAlerts` (detection does not depend on incidents);
   * without it the scheduler groups nothing.
   */
  groupAlerts?: (db: ReturnType<typeof getDb>) => unknown;
  /** called after every run */
  onRun?: (rule: Rule, window: TimeWindow, outcome: RunOutcome) => void;
  log?: (message: string) => void;
}

export interface PlannedWindow {
  window: TimeWindow;
  /** the gap still pending once this window is stored */
  gapAfter: TimeWindow | null;
}

export interface RulePlan {
  due: boolean;
  windows: PlannedWindow[];
  /** the whole missed range before the normal window, when there is one */
  gap: TimeWindow | null;
}

/** What a rule should run at `now`, given its state. Pure. */
export function planRule(rule: Rule, state: RuleState | null, now: Date, opts: { maxChunks: number; chunkMs: number }): RulePlan {
  const normal: TimeWindow = { from: resolveDate(rule.from, now).toISOString(), to: now.toISOString() };
  const interval = durationMs(rule.interval);
  const nowIso = now.toISOString();
  if (!state || !state.lastSuccessEnd) {
    const due =
      !state ||
      (state.consecutiveFailures > 0
        ? !state.nextRetryAt || state.nextRetryAt <= nowIso
        : !state.lastAttemptAt || Date.parse(state.lastAttemptAt) + interval <= now.getTime());
    return { due, windows: [{ window: normal, gapAfter: null }], gap: null };
  }
  const lastEnd = state.lastSuccessEnd;
  const gap: TimeWindow | null = lastEnd < normal.from ? { from: lastEnd, to: normal.from } : null;
  let due: boolean;
  if (state.consecutiveFailures > 0) due = !state.nextRetryAt || state.nextRetryAt <= nowIso;
  else if (gap) due = true;
  else due = !state.lastAttemptAt || Date.parse(state.lastAttemptAt) + interval <= now.getTime();
  if (lastEnd >= nowIso) due = false;
  if (!gap) return { due, windows: [{ window: normal, gapAfter: null }], gap: null };
  const chunks = splitRange(gap, opts.chunkMs);
  const take = chunks.slice(0, opts.maxChunks);
  const windows: PlannedWindow[] = take.map((c) => ({ window: c, gapAfter: c.to < gap.to ? { from: c.to, to: gap.to } : null }));
  if (take.length === chunks.length) windows.push({ window: normal, gapAfter: null });
  return { due, windows, gap };
}

/** A source that fails every search with `cause` (recorded on the runs it blocks). */
function unavailableSource(cause: unknown): EventSource {
  const message = `event source unavailable: ${cause instanceof Error ? cause.message : String(cause)}`;
  return failingSource('embedded', () => new EventSourceError({ kind: 'unreachable', message, retryable: false, cause }));
}

export interface TickReport {
  at: string;
  runs: { ruleId: string; window: TimeWindow; outcome: RunOutcome }[];
  interrupted: number;
  /** the cycle's record (null when no rule was due) */
  cycle: CycleRecord | null;
}

export class Scheduler {
  private timer: ReturnType<typeof setInterval> | null = null;
  private ticking: Promise<TickReport> | null = null;
  private stopped = false;
  private lastPrune = 0;
  private readonly opts: Required<Pick<SchedulerOptions, 'tickMs' | 'maxChunksPerTick' | 'attempts'>> & SchedulerOptions;

  constructor(opts: SchedulerOptions) {
    this.opts = { tickMs: 15_000, maxChunksPerTick: 12, attempts: 3, ...opts };
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }

  /**
   * Run every due rule once (sequentially). Concurrent calls share the tick in progress.
   * `force`: run every rule now whether due or not (what `run-rules` does by default).
   */
  tick(opts: { force?: boolean } = {}): Promise<TickReport> {
    if (!this.ticking) {
      this.ticking = this.doTick(opts.force ?? false).finally(() => {
        this.ticking = null;
      });
    }
    return this.ticking;
  }

  private async doTick(force: boolean): Promise<TickReport> {
    const startedAt = this.now();
    const startedMs = Date.now();
    const report: TickReport = { at: startedAt.toISOString(), runs: [], interrupted: failInterruptedRuns(getDb(), startedAt.toISOString()), cycle: null };
    if (startedAt.getTime() - this.lastPrune >= 3_600_000) {
      this.lastPrune = startedAt.getTime();
      pruneRuns(getDb(), new Date(startedAt.getTime() - (this.opts.runRetentionMs ?? 30 * 86_400_000)).toISOString());
    }
    const rules = (await (this.opts.rules ? this.opts.rules() : listEnabledRules())).filter((r) => r.type === 'eql');
    // every rule is planned at one `now`, so the rules of a cycle share their windows
    const tasks: RuleTask[] = [];
    for (const rule of rules) {
      if (this.stopped) break;
      try {
        const task = this.planDue(rule, startedAt, force);
        if (task) tasks.push(task);
      } catch (e) {
        this.opts.log?.(`scheduler: rule ${rule.rule_id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // fair order: the rule whose covered time ends earliest (the most overdue) first
    tasks.sort((a, b) => a.coveredTo - b.coveredTo || (a.rule.rule_id < b.rule.rule_id ? -1 : a.rule.rule_id > b.rule.rule_id ? 1 : 0));
    let engine: CycleEngine = 'per-rule';
    if (tasks.length) {
      let source: EventSource;
      try {
        source = await this.opts.source();
      } catch (e) {
        // no source (bad configuration…): every due run fails with the reason, visibly
        source = unavailableSource(e);
      }
      const store = this.engineChoice() === 'scan' ? embeddedStoreOf(source) : null;
      if (store) {
        engine = 'scan';
        await runScanCycle(tasks, { ...this.opts.scan, base: source, store, stopped: () => this.stopped, runWindows: (t, src) => this.runWindows(t, src, report) });
      } else {
        const concurrency = source.kind === 'elasticsearch' ? this.concurrency() : 1;
        engine = concurrency > 1 ? 'pool' : 'per-rule';
        await runPool(tasks, concurrency, (t) => this.runWindows(t, source, report, t.windows.length), () => this.stopped);
      }
    }
    const cycle: CycleRecord = {
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedMs,
      rules: tasks.length,
      runs: report.runs.length,
      failed: report.runs.filter((r) => r.outcome.error).length,
      intervalMs: tasks.length ? Math.min(...tasks.map((t) => durationMs(t.rule.interval))) : null,
      engine,
    };
    recordCycle(cycle);
    if (tasks.length) report.cycle = cycle;
    // the alerts of this cycle join incidents (lib/incidents/grouping), once per cycle
    this.ungrouped += report.runs.reduce((n, r) => n + r.outcome.created.length, 0);
    // caught up: every due rule ran its normal window (no gap chunk left for a later tick)
    const caughtUp = tasks.every((t) => t.next >= t.windows.length && t.windows[t.windows.length - 1]?.gapAfter === null);
    const interval = tasks.length ? Math.min(...tasks.map((t) => durationMs(t.rule.interval))) : 0;
    if (this.shouldGroup(startedAt.getTime(), caughtUp, interval)) await this.group(startedAt.getTime());
    return report;
  }

  private ungrouped = 0;
  private lastGrouping = -Infinity;

  private shouldGroup(now: number, caughtUp: boolean, interval: number): boolean {
    const g = this.opts.grouping;
    if (g === false || !this.opts.groupAlerts || this.ungrouped === 0) return false;
    const every = g?.everyMs ?? interval;
    return caughtUp || now - this.lastGrouping >= every;
  }

  /** Group the alerts created since the last grouping (lib/incidents/grouping; awaited when it paces itself). */
  private async group(now: number): Promise<void> {
    const g = this.opts.grouping;
    const alerts = this.ungrouped;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    try {
      await this.opts.groupAlerts?.(getDb());
      this.ungrouped = 0;
      this.lastGrouping = now;
    } catch (e) {
      this.opts.log?.(`scheduler: grouping alerts into incidents failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (g) {
      const cpu = process.cpuUsage(cpu0);
      g.onGrouped?.(performance.now() - t0, alerts, (cpu.user + cpu.system) / 1000);
    }
  }

  private engineChoice(): 'scan' | 'per-rule' {
    const e = this.opts.engine ?? (process.env.GUIDEPOST_DETECTION_ENGINE === 'per-rule' ? 'per-rule' : 'scan');
    return e;
  }

  private concurrency(): number {
    if (this.opts.concurrency !== undefined) return Math.max(1, Math.floor(this.opts.concurrency));
    return ruleConcurrencyFromEnv();
  }

  /** The windows a rule runs now (null when not due). */
  private planDue(rule: Rule, now: Date, force: boolean): RuleTask | null {
    if (!getRuleState(getDb(), rule.rule_id)?.lastSuccessEnd) initCoverage(getDb(), rule.rule_id, resolveDate(rule.from, now).toISOString());
    const state = getRuleState(getDb(), rule.rule_id);
    const lookback = now.getTime() - resolveDate(rule.from, now).getTime();
    const chunkMs = this.opts.chunkMs ? this.opts.chunkMs(rule) : Math.max(lookback, 60_000);
    const plan = planRule(rule, state, now, { maxChunks: this.opts.maxChunksPerTick, chunkMs });
    if (!plan.due && !force) return null;
    if (plan.gap) setGap(getDb(), rule.rule_id, plan.gap.from, plan.gap.to);
    const coveredTo = state?.lastSuccessEnd ? Date.parse(state.lastSuccessEnd) : -Infinity;
    return { rule, now, windows: plan.windows, next: 0, done: false, coveredTo };
  }

  /**
   * Run the task's next `count` windows in order (all by default); stops at a failure (the
   * rest waits for the retry) or when another run of the rule holds it.
   */
  private async runWindows(task: RuleTask, source: EventSource, report: TickReport, count = 1): Promise<void> {
    try {
      await this.runWindowsOf(task, source, report, count);
    } catch (e) {
      // one rule's trouble (its state row, a bad date…) stops that rule, not the cycle
      task.done = true;
      this.opts.log?.(`scheduler: rule ${task.rule.rule_id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async runWindowsOf(task: RuleTask, source: EventSource, report: TickReport, count: number): Promise<void> {
    const { rule, now } = task;
    for (let n = 0; n < count && !task.done; n++) {
      const planned = task.windows[task.next];
      if (!planned || this.stopped) {
        task.done = true;
        return;
      }
      task.next += 1;
      if (task.next >= task.windows.length) task.done = true;
      const outcome = await runRule(rule, planned.window, {
        source,
        trigger: 'scheduled',
        now: () => this.now(),
        advanceState: true,
        gapAfter: planned.gapAfter,
        owner: this.opts.owner ?? PROCESS_OWNER,
        leaseMs: this.opts.leaseMs,
        attempts: this.opts.attempts,
        backoffMs: this.opts.backoffMs,
        sleep: this.opts.sleep,
        ...(source.kind === 'elasticsearch' ? { signal: AbortSignal.timeout(this.runTimeoutMs(rule)) } : {}),
      });
      if (outcome.busy) {
        task.done = true;
        return;
      }
      report.runs.push({ ruleId: rule.rule_id, window: planned.window, outcome });
      this.opts.onRun?.(rule, planned.window, outcome);
      if (outcome.error) {
        task.done = true;
        const failures = (getRuleState(getDb(), rule.rule_id)?.consecutiveFailures ?? 0) + 1;
        const wait = Math.min(durationMs(rule.interval), 15_000 * 2 ** Math.min(failures - 1, 10));
        recordAttempt(getDb(), rule.rule_id, now.toISOString(), { failed: true, nextRetryAt: new Date(now.getTime() + wait).toISOString() });
        this.opts.log?.(`scheduler: rule ${rule.rule_id} window ${planned.window.from}..${planned.window.to} failed: ${outcome.error.message}`);
        return;
      }
      recordAttempt(getDb(), rule.rule_id, now.toISOString(), { failed: false });
    }
  }

  private runTimeoutMs(rule: Rule): number {
    if (this.opts.runTimeoutMs !== undefined) return this.opts.runTimeoutMs;
    const env = Number(process.env.GUIDEPOST_RULE_TIMEOUT_MS);
    if (Number.isFinite(env) && env > 0) return env;
    return Math.min(durationMs(rule.interval), 5 * 60_000);
  }

  /** Tick every `tickMs` (first tick at once). Idempotent. */
  start(): void {
    if (this.timer) return;
    this.stopped = false;
    const run = () => {
      this.tick().catch((e: unknown) => this.opts.log?.(`scheduler: tick failed: ${e instanceof Error ? e.message : String(e)}`));
    };
    this.timer = setInterval(run, this.opts.tickMs);
    this.timer.unref?.();
    run();
  }

  /** Stop ticking and wait for the tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.ticking) await this.ticking.catch(() => undefined);
  }

  get running(): boolean {
    return this.timer !== null;
  }
}

const GLOBAL_KEY = Symbol.for('guidepost.scheduler');
type GlobalWithScheduler = typeof globalThis & { [GLOBAL_KEY]?: Scheduler };

/** The process-wide scheduler, if started. */
export function getScheduler(): Scheduler | null {
  return (globalThis as GlobalWithScheduler)[GLOBAL_KEY] ?? null;
}

/**
 * Start the process-wide scheduler (guarded: a second call returns the running one).
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const g = globalThis as GlobalWithScheduler;
  const existing = g[GLOBAL_KEY];
  if (existing) return existing;
  const scheduler = new Scheduler({ log: (m) => console.error(m), ...opts });
  g[GLOBAL_KEY] = scheduler;
  scheduler.start();
  return scheduler;
}

/** Stop the process-wide scheduler (waits for the tick in progress). */
export async function stopScheduler(): Promise<void> {
  const g = globalThis as GlobalWithScheduler;
  const s = g[GLOBAL_KEY];
  delete g[GLOBAL_KEY];
  if (s) await s.stop();
}
