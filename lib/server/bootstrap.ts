/**
 * First start and server start-up (called from `instrumentation.ts`).
 *
 * `bootstrap()`: when the event source is the embedded store and it is empty, load the demo
 * data set (lib/demo) and backfill the enabled rules over the demo window, so the demo
 * alerts exist at once. When the store has events but no rule has ever run (first start on
 * a store filled beforehand, or a start interrupted between loading and backfilling), only
 * the backfill runs. Otherwise it does nothing: idempotent. `GUIDEPOST_DEMO_DATA=off`
 * skips the demo load. The backfill runs in the detection worker
 * (workers/detection-driver `backfillRunner`), so the web thread never runs the rules; with
 * GUIDEPOST_WORKERS=off (or a test's own source) in this thread. Its progress goes to the log.
 *
 * `startServer()`: validate the event source configuration (each problem logged with its
 * variable; the server starts anyway and health reports the misconfiguration), start the
 * evidence workers (the first triage page does not wait for them), then the first start
 * (bootstrap, incident grouping, webhooks, the scheduler unless `GUIDEPOST_SCHEDULER=off`),
 * with SIGTERM/SIGINT cleanup. With workers, `startServer` resolves before the first start has
 * finished, so the server answers /api/health and pages while the demo is loaded and backfilled.
 */
import { randomUUID } from 'node:crypto';
import type { EventSource } from '../events/types';
import { listEnabledRules } from '../detection/rules';
import { runBackfill, type BackfillProgress, type BackfillRunner } from '../detection/backfill';
import { listRuns } from '../store/runs';
import { getDb, closeDb } from '../store/db';
import { setFirstStartProgress } from './first-start';

export interface BootstrapResult {
  demoLoaded: boolean;
  eventsStored: number;
  backfilled: boolean;
  alertsCreated: number;
  window: { from: string; to: string } | null;
  skipped: string | null;
}

export interface BootstrapOptions {
  now?: () => Date;
  log?: (message: string) => void;
  /** tests: the embedded store / source to use instead of the process-wide ones */
  store?: { count(): number; insert: import('../events/types').EventStoreWriter['insert']; clear: import('../events/types').EventStoreWriter['clear'] };
  source?: EventSource;
  /** demo size (default lib/demo's) */
  demoEvents?: number;
  /**
   * where the backfill runs: default the detection worker, or this thread (null) with
   * GUIDEPOST_WORKERS=off or a `source` of the caller's (a worker reads the data dir's store)
   */
  runner?: BackfillRunner | null;
}

const DEMO_HOURS_FALLBACK = 73;
/** at most one progress line per this many ms */
const PROGRESS_EVERY_MS = 5_000;

async function defaultRunner(opts: BootstrapOptions): Promise<BackfillRunner | null> {
  if (opts.runner !== undefined) return opts.runner;
  if (opts.source) return null;
  const { backfillRunner } = await import('./workers/detection-driver');
  return backfillRunner() ?? null;
}

export async function bootstrap(opts: BootstrapOptions = {}): Promise<BootstrapResult> {
  try {
    return await firstStartSteps(opts);
  } finally {
    setFirstStartProgress(null);
  }
}

async function firstStartSteps(opts: BootstrapOptions): Promise<BootstrapResult> {
  const clock = opts.now ?? (() => new Date());
  const log = opts.log ?? ((m: string) => console.log(`[guidepost] ${m}`));
  const result: BootstrapResult = { demoLoaded: false, eventsStored: 0, backfilled: false, alertsCreated: 0, window: null, skipped: null };
  const events = await import('../events');
  const source = opts.source ?? events.getEventSource();
  if (source.kind !== 'embedded') {
    result.skipped = 'the event source is Elasticsearch: no demo data';
    return result;
  }
  const { getEventStore } = await import('../events/embedded/store');
  const store = opts.store ?? getEventStore();
  const neverRan = listRuns(getDb(), { limit: 1 }).length === 0;
  let window: { from: string; to: string } | null = null;

  if (store.count() === 0) {
    if (process.env.GUIDEPOST_DEMO_DATA === 'off') {
      result.skipped = 'the event store is empty and GUIDEPOST_DEMO_DATA=off';
      return result;
    }
    const { loadDemoData } = await import('../demo');
    setFirstStartProgress({ phase: 'loading', doneChunks: 0, totalChunks: 0, alertsCreated: 0 });
    log('first start: the event store is empty, loading the demo data set…');
    const loaded = await loadDemoData(store, { now: clock(), ...(opts.demoEvents !== undefined ? { events: opts.demoEvents } : {}) });
    result.demoLoaded = true;
    result.eventsStored = loaded.stored + loaded.replaced;
    window = loaded.window;
    log(`demo data: ${result.eventsStored} events, ${loaded.stories.length} stories`);
  } else if (neverRan) {
    const to = clock();
    window = { from: new Date(to.getTime() - DEMO_HOURS_FALLBACK * 3_600_000).toISOString(), to: to.toISOString() };
  } else {
    result.skipped = 'not a first start';
    return result;
  }

  if (!window) return result;
  const rules = listEnabledRules();
  const range = { from: window.from, to: new Date(Math.max(Date.parse(window.to), clock().getTime())).toISOString() };
  const runner = await defaultRunner(opts);
  log(`first start: running ${rules.length} enabled rule(s) over ${range.from} .. ${range.to} ${runner ? 'in the detection worker' : 'in this thread'}…`);
  let lastLine = Date.now();
  setFirstStartProgress({ phase: 'backfilling', doneChunks: 0, totalChunks: 0, alertsCreated: 0 });
  const onProgress = (x: BackfillProgress) => {
    setFirstStartProgress({ phase: 'backfilling', doneChunks: x.doneChunks, totalChunks: x.totalChunks, alertsCreated: x.alertsCreated });
    if (x.status !== 'running' || Date.now() - lastLine < PROGRESS_EVERY_MS) return;
    lastLine = Date.now();
    log(`first start: ${x.doneChunks} of ${x.totalChunks} chunk(s) run, ${x.alertsCreated} alert(s) so far`);
  };
  let p: BackfillProgress | null = null;
  if (rules.length === 0) log('first start: no rule is enabled, nothing to backfill');
  else if (runner) p = await runner({ id: randomUUID(), ruleIds: rules.map((r) => r.rule_id), range, trigger: 'backfill' }, onProgress, new AbortController().signal);
  else p = await runBackfill(rules, range, { source, now: clock, onProgress });
  for (const e of p?.errors ?? []) log(`backfill: rule ${e.ruleId} ${e.window.from}..${e.window.to}: ${e.message}`);
  result.backfilled = true;
  result.alertsCreated = p?.alertsCreated ?? 0;
  result.window = range;
  log(`first start: ${result.alertsCreated} alert(s) created`);
  return result;
}

/**
 * Start-up check of the event source configuration (ELASTICSEARCH_* variables): logs each
 * problem on its own line, naming the variable and what is wrong. Never throws: with a bad
 * configuration the server still starts, its event source fails every call with the same
 * message, and /api/health shows it. Returns the problems found (empty when valid).
 */
export async function checkEventSourceConfig(
  error: (message: string) => void = (m) => console.error(`[guidepost] ${m}`),
): Promise<{ variable: string; message: string }[]> {
  const { validateEventSourceConfig, EventSourceConfigError } = await import('../events');
  try {
    validateEventSourceConfig();
    return [];
  } catch (e) {
    if (e instanceof EventSourceConfigError) {
      error(`event source configuration: ${e.problems.length} problem(s); the server starts, but every event query will fail until they are fixed:`);
      for (const p of e.problems) error(`  ${p.variable}: ${p.message}`);
      return e.problems;
    }
    const message = e instanceof Error ? e.message : String(e);
    error(`event source configuration could not be checked: ${message}`);
    return [{ variable: 'ELASTICSEARCH_*', message }];
  }
}

const STARTED = Symbol.for('guidepost.server.started');
type G = typeof globalThis & { [STARTED]?: Promise<void> };

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Starts the evidence workers now (with workers and the embedded store), so the first triage
 * page does not wait for them to start. Returns whether it started them.
 */
export async function startEvidenceWorkers(): Promise<boolean> {
  const { workersEnabled } = await import('./workers/spawn');
  const { eventSourceKind } = await import('../events');
  if (!workersEnabled() || eventSourceKind() !== 'embedded') return false;
  const { evidenceWorkersReady } = await import('./workers/evidence-pool');
  evidenceWorkersReady().catch((e: unknown) => console.error(`[guidepost] the evidence workers did not start: ${errorText(e)}`));
  return true;
}

/**
 * The first start (demo data and its backfill), then incident grouping, webhooks and detection.
 * Never throws: problems are logged.
 */
async function firstStartThenDetection(): Promise<void> {
  try {
    await bootstrap();
  } catch (e) {
    console.error(`[guidepost] first start failed: ${errorText(e)}`);
  }
  try {
    // alerts not in an incident yet (demo data, alerts from before incidents existed) join
    // incidents: a few here and now (the first page shows them), a backlog in the detection
    // worker so the web thread answers meanwhile (here too with GUIDEPOST_WORKERS=off)
    const { groupUngroupedAlerts, ungroupedAtLeast, FIRST_GROUPING_IN_THREAD } = await import('../incidents/grouping');
    const { workersEnabled } = await import('./workers/spawn');
    if (workersEnabled() && ungroupedAtLeast(getDb(), FIRST_GROUPING_IN_THREAD + 1)) {
      const { groupOffThread } = await import('./workers/detection-driver');
      groupOffThread().catch((e: unknown) => console.error(`[guidepost] grouping alerts into incidents failed: ${errorText(e)}`));
    } else groupUngroupedAlerts(getDb());
    // incident webhooks: SLA checks and deliveries every 15 s
    const { startWebhookDispatcher } = await import('../incidents/notify/deliver');
    startWebhookDispatcher();
  } catch (e) {
    console.error(`[guidepost] grouping alerts into incidents failed: ${errorText(e)}`);
  }
  if (process.env.GUIDEPOST_SCHEDULER === 'off') {
    console.log('[guidepost] scheduler off (GUIDEPOST_SCHEDULER=off)');
    return;
  }
  // each detection cycle runs in the detection worker (its own connections and heap), so the
  // web thread never waits on one; GUIDEPOST_WORKERS=off runs the scheduler in this thread
  const { startDetection, stopDetection } = await import('./workers/detection-driver');
  const where = startDetection({ log: (m) => console.error(`[guidepost] ${m}`) });
  console.log(`[guidepost] detection runs in ${where === 'worker' ? 'a worker thread' : 'the web thread (GUIDEPOST_WORKERS=off)'}`);
  let stopping = false;
  const cleanup = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(0), 5_000);
    timer.unref();
    void stopDetection()
      .catch(() => undefined)
      .finally(() => {
        closeDb();
        clearTimeout(timer);
        // nobody else handles the signal: end the process as it would have ended
        if (process.listenerCount(signal) === 0) process.exit(0);
      });
  };
  process.once('SIGTERM', cleanup);
  process.once('SIGINT', cleanup);
}

const FIRST_START = Symbol.for('guidepost.server.firstStart');
type F = typeof globalThis & { [FIRST_START]?: Promise<void> };

/** The first start begun by `startServer` (resolves when detection has started); null before. */
export function firstStartDone(): Promise<void> | null {
  return (globalThis as F)[FIRST_START] ?? null;
}

/**
 * Start-up, once per process. Never throws: problems are logged. With workers, resolves once
 * the first start is under way (its backfill runs in the detection worker, the server answers
 * meanwhile); with GUIDEPOST_WORKERS=off, once it is done, as before.
 */
export function startServer(): Promise<void> {
  const g = globalThis as G;
  g[STARTED] ??= (async () => {
    await checkEventSourceConfig();
    try {
      // first start: an `admin` with a random password (printed once, written to the data dir)
      const { ensureInitialAdmin } = await import('../auth/users');
      await ensureInitialAdmin();
    } catch (e) {
      console.error(`[guidepost] creating the first admin failed: ${errorText(e)}`);
    }
    let offThread = false;
    try {
      const { workersEnabled } = await import('./workers/spawn');
      offThread = workersEnabled();
      await startEvidenceWorkers();
    } catch (e) {
      console.error(`[guidepost] the evidence workers did not start: ${errorText(e)}`);
    }
    setFirstStartProgress({ phase: 'checking', doneChunks: 0, totalChunks: 0, alertsCreated: 0 }); // bootstrap ends it
    const first = ((globalThis as F)[FIRST_START] = firstStartThenDetection().catch((e: unknown) => {
      console.error(`[guidepost] starting detection failed: ${errorText(e)}`);
    }));
    // with workers the backfill runs in the detection worker: the server answers meanwhile
    // (/api/health says 'starting' with the progress); without, it waits here, as before
    if (!offThread) await first;
  })();
  return g[STARTED];
}
