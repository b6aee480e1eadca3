/**
 * First start and server start-up (called from `instrumentation.ts`).
 *
 * `bootstrap()`: when the event source is the embedded store and it is empty, load the demo
 * data set (lib/demo) and backfill the enabled rules over the demo window, so the demo
 * alerts exist at once. When the store has events but no rule has ever run (first start on
 * a store filled beforehand, or a start interrupted between loading and backfilling), only
 * the backfill runs. Otherwise it does nothing: idempotent. `GUIDEPOST_DEMO_DATA=off`
 * skips the demo load.
 *
 * `startServer()`: validate the event source configuration (each problem logged with its
 * variable; the server starts anyway and health reports the misconfiguration), bootstrap
 * once per process, then start the scheduler (unless `GUIDEPOST_SCHEDULER=off`), with
 * SIGTERM/SIGINT cleanup.
 */
import type { EventSource } from '../events/types';
import { listEnabledRules } from '../detection/rules';
import { runBackfill } from '../detection/backfill';
import { listRuns } from '../store/runs';
import { getDb, closeDb } from '../store/db';

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
}

const DEMO_HOURS_FALLBACK = 73;

export async function bootstrap(opts: BootstrapOptions = {}): Promise<BootstrapResult> {
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
  log(`first start: running ${rules.length} enabled rule(s) over ${range.from} .. ${range.to}…`);
  const p = await runBackfill(rules, range, { source, now: clock });
  for (const e of p.errors) log(`backfill: rule ${e.ruleId} ${e.window.from}..${e.window.to}: ${e.message}`);
  result.backfilled = true;
  result.alertsCreated = p.alertsCreated;
  result.window = range;
  log(`first start: ${p.alertsCreated} alert(s) created`);
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

/** Bootstrap (once per process), then start the scheduler. Never throws: problems are logged. */
export function startServer(): Promise<void> {
  const g = globalThis as G;
  g[STARTED] ??= (async () => {
    await checkEventSourceConfig();
    try {
      // first start: an `admin` with a random password (printed once, written to the data dir)
      const { ensureInitialAdmin } = await import('../auth/users');
      await ensureInitialAdmin();
    } catch (e) {
      console.error(`[guidepost] creating the first admin failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      await bootstrap();
    } catch (e) {
      console.error(`[guidepost] first start failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      // alerts not in an incident yet (demo data, alerts from before incidents existed) join
      // incidents: a few here and now (the first page shows them), a backlog in the detection
      // worker so the web thread answers meanwhile (here too with GUIDEPOST_WORKERS=off)
      const { groupUngroupedAlerts, ungroupedAtLeast, FIRST_GROUPING_IN_THREAD } = await import('../incidents/grouping');
      const { getDb } = await import('../store/db');
      const { workersEnabled } = await import('./workers/spawn');
      if (workersEnabled() && ungroupedAtLeast(getDb(), FIRST_GROUPING_IN_THREAD + 1)) {
        const { groupOffThread } = await import('./workers/detection-driver');
        groupOffThread().catch((e: unknown) => console.error(`[guidepost] grouping alerts into incidents failed: ${e instanceof Error ? e.message : String(e)}`));
      } else groupUngroupedAlerts(getDb());
      // incident webhooks: SLA checks and deliveries every 15 s
      const { startWebhookDispatcher } = await import('../incidents/notify/deliver');
      startWebhookDispatcher();
    } catch (e) {
      console.error(`[guidepost] grouping alerts into incidents failed: ${e instanceof Error ? e.message : String(e)}`);
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
  })();
  return g[STARTED];
}
