/**
 * Detection off the web process's thread. `startDetection()` (lib/server/bootstrap) ticks
 * every 15 s like the in-thread scheduler did, but each tick is one request to the detection
 * worker (detection-worker.ts): the cycle — reading events.db, decoding events, running the
 * rules, writing alerts and runs to app.db, grouping the new alerts into incidents — runs on
 * the worker's thread with its own connections and its own heap (capped with
 * GUIDEPOST_DETECTION_HEAP_MB, MiB; V8's default otherwise), so the web thread never waits
 * on a cycle; it only records the answer's cycle for /api/health and the rules page. A tick that finds the previous cycle still running
 * waits for the next one. A worker that crashes (or runs out of heap) fails that cycle
 * only: the next tick starts a fresh one, and the interrupted run's window is run again (a
 * run's alerts, record and window advance commit together).
 *
 * `runDetectionCycle(req)` runs one cycle in the worker and answers what ran (run-rules);
 * `runRuleOffThread` ("run now") and `backfillRunner` (rules page backfills) run there too.
 * GUIDEPOST_WORKERS=off keeps the scheduler in the web thread (lib/detection/scheduler).
 */
import { z } from 'zod';
import { recordCycle } from '@/lib/detection/engine/cycle';
import { startScheduler, stopScheduler } from '@/lib/detection/scheduler';
import { groupUngroupedAlertsPaced } from '@/lib/incidents/grouping';
import { getEventSource } from '@/lib/events';
import { runRule } from '@/lib/detection/run';
import type { BackfillRunner } from '@/lib/detection/backfill';
import type { Rule } from '@/lib/rules/model';
import type { TimeWindow } from '@/lib/events/types';
import { getDb } from '@/lib/store/db';
import { getRun, type StoredRuleRun } from '@/lib/store/runs';
import { spawnWorker, workersEnabled, type WorkerPool } from './spawn';
import { backfillProgressSchema, detectionRequestSchema, detectionResponseSchema, type CycleResponse, type DetectionRequest, type DetectionResponse } from './detection-protocol';

export type { DetectionRequest, DetectionResponse, CycleResponse } from './detection-protocol';

function intSetting(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const v = z.coerce.number().int().min(min).max(max).safeParse(raw.trim());
  if (!v.success) throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return v.data;
}

type Pool = WorkerPool<DetectionRequest, DetectionResponse>;
const KEY = Symbol.for('guidepost.detection.worker');
interface State {
  pool: Pool | null;
  timer: ReturnType<typeof setInterval> | null;
  inFlight: Promise<unknown> | null;
  mode: 'worker' | 'thread' | null;
}
function state(): State {
  const g = globalThis as typeof globalThis & { [KEY]?: State };
  return (g[KEY] ??= { pool: null, timer: null, inFlight: null, mode: null });
}

function pool(): Pool {
  const s = state();
  s.pool ??= spawnWorker({
    name: 'detection',
    module: 'lib/server/workers/detection-worker.ts',
    request: detectionRequestSchema,
    response: detectionResponseSchema,
    size: 1,
    // a cycle of 1,000+ rules or a long catch-up takes minutes; a stuck one is replaced
    timeoutMs: intSetting('GUIDEPOST_DETECTION_TIMEOUT_MS', 30 * 60_000, 1_000, 24 * 3_600_000),
    restartOnTimeout: true,
    // a heap cap only when asked: the incident grouping of a busy day can need more than the
    // detection itself, and a worker that runs out of heap loses its cycle's grouping each time
    ...(process.env.GUIDEPOST_DETECTION_HEAP_MB ? { resourceLimits: { maxOldGenerationSizeMb: intSetting('GUIDEPOST_DETECTION_HEAP_MB', 4096, 256, 65_536) } } : {}),
  });
  return s.pool;
}

function unexpected(kind: string): Error {
  return new Error(`the detection worker answered a ${kind} request with another kind of answer`);
}

/** Run one detection cycle in the worker; its record joins the web process's detection health. */
export async function runDetectionCycle(req: Omit<Extract<DetectionRequest, { type: 'cycle' }>, 'type'> = {}): Promise<CycleResponse> {
  const res = await pool().request({ type: 'cycle', ...req });
  if (res.kind !== 'cycle') throw unexpected('cycle');
  if (res.cycle) recordCycle(res.cycle);
  return res;
}

/**
 * Run one rule over one window ("run now"), in the worker (in this thread with
 * GUIDEPOST_WORKERS=off). The run record is read back here.
 */
export async function runRuleOffThread(rule: Rule, window: TimeWindow): Promise<{ run: StoredRuleRun | null; created: { id: string }[]; busy: boolean; error: { message: string } | null }> {
  if (!workersEnabled()) return runRule(rule, window, { source: getEventSource(), trigger: 'manual' });
  const res = await pool().request({ type: 'run', ruleId: rule.rule_id, window });
  if (res.kind !== 'run') throw unexpected('run');
  return { run: res.runId ? getRun(getDb(), res.runId) : null, created: res.created, busy: res.busy, error: res.error === null ? null : { message: res.error } };
}

/** Group the alerts not in an incident yet in the worker (the server's first start); how many it placed. */
export async function groupOffThread(): Promise<number> {
  const res = await pool().request({ type: 'group' });
  if (res.kind !== 'group') throw unexpected('group');
  return res.grouped;
}

/**
 * Where a backfill started from the web process runs its chunks: the detection worker (its
 * progress follows the job record here; cancelling sends a cancel); undefined with
 * GUIDEPOST_WORKERS=off (startBackfill then runs it in this thread).
 */
export function backfillRunner(): BackfillRunner | undefined {
  if (!workersEnabled()) return undefined;
  return async (job, onProgress, signal) => {
    const onAbort = () => void pool().request({ type: 'cancel-backfill', id: job.id }).catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await pool().request({ type: 'backfill', ...job }, {
        timeoutMs: 0,
        onProgress: (v: unknown) => {
          const x = backfillProgressSchema.safeParse(v);
          if (x.success) onProgress(x.data);
        },
      });
      if (res.kind !== 'backfill') throw unexpected('backfill');
      const { kind: _kind, ...progress } = res;
      return progress;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}

/**
 * Start detection: in the worker (default), or in this thread when GUIDEPOST_WORKERS=off.
 * Idempotent. Returns where it runs.
 */
export function startDetection(opts: { log?: (message: string) => void; tickMs?: number } = {}): 'worker' | 'thread' {
  const s = state();
  if (s.mode) return s.mode;
  const log = opts.log ?? ((m: string) => console.error(`[guidepost] ${m}`));
  if (!workersEnabled()) {
    startScheduler({ source: () => getEventSource(), log, groupAlerts: groupUngroupedAlertsPaced });
    return (s.mode = 'thread');
  }
  const tick = () => {
    if (s.inFlight) return; // the last cycle is still running: this tick waits for the next
    s.inFlight = runDetectionCycle()
      .then((r) => {
        const failed = r.runs.filter((x) => x.error).length;
        if (failed) log(`detection: ${failed} of ${r.runs.length} run(s) failed in the cycle at ${r.at}`);
      })
      .catch((e: unknown) => log(`detection: the cycle failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        s.inFlight = null;
      });
  };
  s.timer = setInterval(tick, opts.tickMs ?? 15_000);
  s.timer.unref?.();
  tick();
  return (s.mode = 'worker');
}

/** Stop detection: waits up to `waitMs` for the cycle in progress, then ends the worker. */
export async function stopDetection(waitMs = 3_000): Promise<void> {
  const s = state();
  const mode = s.mode;
  s.mode = null;
  if (mode === 'thread') return stopScheduler();
  if (s.timer) clearInterval(s.timer);
  s.timer = null;
  if (s.inFlight) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([s.inFlight, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }
  const p = s.pool;
  s.pool = null;
  if (p) await p.close();
}
