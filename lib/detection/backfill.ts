/**
 * Manual backfill: run rules over any past range, in chunks, with progress (done/total
 * chunks, alerts so far). A chunk whose answer filled `max_signals` is split in two and
 * run again (down to one minute), so a busy hour does not hide events past the cap;
 * alerts are deduplicated, so re-running is harmless. Backfill never moves the
 * scheduler's window. Callable from the CLI (`runBackfill`, awaited) and from the rules
 * page (`startBackfill` returns a job id at once; `getBackfillProgress` polls it).
 */
import { randomUUID } from 'node:crypto';
import type { Rule } from '../rules/model';
import type { EventSource, TimeWindow } from '../events/types';
import type { Alert } from './types';
import { buildSearchRequest, runRule, type RunTrigger } from './run';
import { embeddedStoreOf } from '../events/embedded/source';
import { ScanCycle } from './engine/scan';
import { MAX_SCAN_EVENTS } from './engine/cycle';
import { halveWindow, splitRange } from './window';

export interface BackfillProgress {
  id: string;
  ruleIds: string[];
  range: TimeWindow;
  status: 'running' | 'succeeded' | 'partial' | 'failed';
  doneChunks: number;
  totalChunks: number;
  alertsCreated: number;
  /** failed chunks (the range of each is named) */
  errors: { ruleId: string; window: TimeWindow; message: string }[];
  startedAt: string;
  finishedAt: string | null;
}

export interface BackfillOptions {
  source: EventSource;
  /** chunk length (default 1 hour) */
  chunkMs?: number;
  trigger?: RunTrigger;
  now?: () => Date;
  onProgress?: (p: BackfillProgress) => void;
  /** called with the alerts of every chunk as they are created */
  onAlerts?: (alerts: Alert[]) => void;
  sleep?: (ms: number) => Promise<void>;
  /** 'scan' (default; GUIDEPOST_DETECTION_ENGINE=per-rule overrides) or 'per-rule' (see Scheduler) */
  engine?: 'scan' | 'per-rule';
  /** how long to wait for a run of the same rule in progress (default 2 minutes) */
  busyWaitMs?: number;
  signal?: AbortSignal;
}

const MIN_SPLIT_MS = 60_000;
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function validateRange(range: TimeWindow): TimeWindow {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  if (!Number.isFinite(from)) throw new Error(`from: "${range.from}" is not a date`);
  if (!Number.isFinite(to)) throw new Error(`to: "${range.to}" is not a date`);
  if (to < from) throw new Error(`to (${range.to}) is before from (${range.from})`);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/**
 * Run the rules over the range; resolves when done (never throws for a failed chunk).
 * On the embedded store the range is run chunk by chunk, every rule over the chunk, each
 * chunk read once for all rules (lib/detection/engine); elsewhere rule by rule.
 */
export async function runBackfill(rules: Rule[], range: TimeWindow, opts: BackfillOptions, progress?: BackfillProgress): Promise<BackfillProgress> {
  const r = validateRange(range);
  const chunkMs = opts.chunkMs ?? 3_600_000;
  const clock = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? realSleep;
  const chunks = splitRange(r, chunkMs);
  const store = (opts.engine ?? engineFromEnv()) === 'scan' ? embeddedStoreOf(opts.source) : null;
  // one queue per pass: chunk-major with a scan, rule-major without
  const passes: { rule: Rule; window: TimeWindow }[][] = store
    ? chunks.map((w) => rules.map((rule) => ({ rule, window: w })))
    : [rules.flatMap((rule) => chunks.map((w) => ({ rule, window: w })))];
  const p: BackfillProgress = progress ?? newProgress(rules, r, clock);
  p.totalChunks = rules.length * chunks.length;
  opts.onProgress?.({ ...p });
  let cancelled = false;
  for (const queue of passes) {
    if (cancelled) break;
    let source: EventSource = opts.source;
    if (store && queue.length) {
      const cycle = new ScanCycle(opts.source, store);
      for (const q of queue) if (q.rule.type === 'eql') cycle.add(buildSearchRequest(q.rule, q.window, []));
      cycle.prepare({ maxEvents: MAX_SCAN_EVENTS, ...(opts.signal ? { signal: opts.signal } : {}) });
      source = cycle;
    }
    while (queue.length) {
      if (opts.signal?.aborted) {
        p.errors.push({ ruleId: '*', window: r, message: 'backfill cancelled' });
        cancelled = true;
        break;
      }
      const { rule, window } = queue.shift()!;
      let waited = 0;
      let outcome = await runRule(rule, window, { source, trigger: opts.trigger ?? 'backfill', now: clock, attempts: 3, sleep });
      while (outcome.busy && waited < (opts.busyWaitMs ?? 120_000)) {
        await sleep(1000);
        waited += 1000;
        outcome = await runRule(rule, window, { source, trigger: opts.trigger ?? 'backfill', now: clock, attempts: 3, sleep });
      }
      p.doneChunks += 1;
      if (outcome.busy) {
        p.errors.push({ ruleId: rule.rule_id, window, message: 'another run of this rule kept running; chunk not run' });
      } else if (outcome.error) {
        p.errors.push({ ruleId: rule.rule_id, window, message: outcome.error.message });
      } else {
        p.alertsCreated += outcome.created.length;
        if (outcome.created.length) opts.onAlerts?.(outcome.created);
        // the run already splits a capped window down to a second; a chunk whose answer is
        // still capped (a sequence query, or a pile-up the run could not split) is halved here
        const halves = outcome.capped ? halveWindow(window, MIN_SPLIT_MS) : null;
        if (halves) {
          queue.unshift({ rule, window: halves[0] }, { rule, window: halves[1] });
          p.totalChunks += 2;
        }
      }
      opts.onProgress?.({ ...p, errors: [...p.errors] });
    }
  }
  p.status = p.errors.length === 0 ? 'succeeded' : p.errors.length >= p.doneChunks ? 'failed' : 'partial';
  p.finishedAt = clock().toISOString();
  opts.onProgress?.({ ...p, errors: [...p.errors] });
  return p;
}

function engineFromEnv(): 'scan' | 'per-rule' {
  return process.env.GUIDEPOST_DETECTION_ENGINE === 'per-rule' ? 'per-rule' : 'scan';
}

const jobs = new Map<string, BackfillProgress>();
const controllers = new Map<string, AbortController>();

/** A fresh progress record for a backfill of these rules over this range. */
function newProgress(rules: Rule[], range: TimeWindow, clock: () => Date): BackfillProgress {
  return {
    id: randomUUID(),
    ruleIds: rules.map((x) => x.rule_id),
    range,
    status: 'running',
    doneChunks: 0,
    totalChunks: 0,
    alertsCreated: 0,
    errors: [],
    startedAt: clock().toISOString(),
    finishedAt: null,
  };
}

/**
 * Runs a backfill elsewhere (the detection worker, lib/server/workers/detection-driver): gets
 * the job (its id, rules, range, trigger), reports progress snapshots, stops when `signal`
 * aborts, and resolves with the final progress.
 */
export type BackfillRunner = (
  job: { id: string; ruleIds: string[]; range: TimeWindow; trigger: RunTrigger },
  onProgress: (p: BackfillProgress) => void,
  signal: AbortSignal,
) => Promise<BackfillProgress>;

/**
 * Start a backfill in the background; returns its progress record at once (poll it with
 * `getBackfillProgress(id)`). Range errors are thrown here, before anything runs. With
 * `remote`, the chunks run there (off this thread) and the record follows its progress.
 */
export function startBackfill(rules: Rule[], range: TimeWindow, opts: Omit<BackfillOptions, 'onProgress'> & { remote?: BackfillRunner | undefined }): BackfillProgress {
  const r = validateRange(range);
  if (rules.length === 0) throw new Error('no rule to backfill');
  const p = newProgress(rules, r, opts.now ?? (() => new Date()));
  jobs.set(p.id, p);
  // keep the 50 most recent jobs
  if (jobs.size > 50) {
    const oldest = jobs.keys().next().value as string;
    jobs.delete(oldest);
    controllers.delete(oldest);
  }
  const controller = new AbortController();
  controllers.set(p.id, controller);
  opts.signal?.addEventListener('abort', () => controller.abort());
  const { remote, ...local } = opts;
  const follow = (x: BackfillProgress) => void Object.assign(p, { ...x, id: p.id, errors: [...x.errors] });
  const done = remote
    ? remote({ id: p.id, ruleIds: p.ruleIds, range: r, trigger: opts.trigger ?? 'backfill' }, follow, controller.signal).then(follow)
    : runBackfill(rules, r, { ...local, signal: controller.signal }, p);
  void done.catch((e: unknown) => {
    p.status = 'failed';
    p.errors.push({ ruleId: '*', window: r, message: e instanceof Error ? e.message : String(e) });
    p.finishedAt = new Date().toISOString();
  });
  return { ...p };
}

/** Stop a running backfill after its current chunk. False when unknown or already finished. */
export function cancelBackfill(id: string): boolean {
  const p = jobs.get(id);
  const c = controllers.get(id);
  if (!p || !c || p.status !== 'running') return false;
  c.abort();
  return true;
}

/** A copy of a backfill job's progress, or null when unknown (or forgotten after a restart). */
export function getBackfillProgress(id: string): BackfillProgress | null {
  const p = jobs.get(id);
  return p ? { ...p, errors: [...p.errors] } : null;
}

export function listBackfills(): BackfillProgress[] {
  return [...jobs.values()].map((p) => ({ ...p, errors: [...p.errors] })).reverse();
}
