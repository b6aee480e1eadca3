/**
 * Rule-set bench: all 1,081 EQL rules of ../shared/rules/eql-rules.jsonl.
 *
 * (a) Embedded store, scan-once engine: the bench file (BENCH_EVENTS, default 1M) with
 *     data_stream fields added so each event lands in logs-endpoint.events.<category>-default
 *     is stored on disk; then the scheduler runs a simulated day — a cycle every 5 minutes of
 *     the data's own time (the file spans 100 events/s, so 1M events are ~2.8 h of it) with
 *     each rule's schedule and look-back (9 minutes for most; hourly rules look back 2 h),
 *     alerts written to an app database on disk. Figure: events of the windows (rows each
 *     cycle's scans read) ÷ engine time (the cycles' wall time, without the incidents
 *     grouping that follows a tick), and the peak RSS of the detection process (a child
 *     process reads the stored events, so loading them does not count).
 *     Baseline, same child process: one cycle of the per-rule engine over the first 3 minutes.
 * (b) Elasticsearch: one cycle of the 1,081 rules against a stand-in cluster on 127.0.0.1
 *     that answers every _eql/search after 100 ms (no hits): cycle time with the default
 *     pool (GUIDEPOST_RULE_CONCURRENCY, 10), and with 1 (the old one-after-another) as the
 *     baseline, computed from the first 50 rules.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Client } from '@elastic/elasticsearch';
import { loadCorpus } from '../../lib/rules/load';
import type { Rule } from '../../lib/rules/model';
import { openEventStore, type PreparedEvent } from '../../lib/events/embedded/store';
import { createEmbeddedSource } from '../../lib/events/embedded/source';
import { createElasticsearchSource } from '../../lib/events/elasticsearch/source';
import { openAppDb, setDb, type AppDb } from '../../lib/store/db';
import { Scheduler } from '../../lib/detection/scheduler';
import { groupUngroupedAlertsPaced, PAUSE_MS } from '../../lib/incidents/grouping';
import { getDetectionHealth, MAX_SCAN_SPAN_MS } from '../../lib/detection/engine/cycle';
import type { BenchContext, BenchRow } from '../types';

const MIN = 60_000;

function peakMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function load(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(' ');
}

async function storeBenchFile(file: string, dir: string, log: (m: string) => void) {
  const store = openEventStore({ dataDir: dir });
  const bulk = store.beginBulkLoad();
  let batch: PreparedEvent[] = [];
  let n = 0;
  const rl = readline.createInterface({ input: fs.createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    const src = JSON.parse(line) as Record<string, unknown> & { event: { category: string } };
    const cat = src.event.category;
    src.data_stream = { type: 'logs', dataset: `endpoint.events.${cat}`, namespace: 'default' };
    batch.push({ _index: `logs-endpoint.events.${cat}-default`, _id: `bench-${n}`, _source: src });
    n++;
    if (batch.length >= 20_000) {
      store.insert(batch);
      batch = [];
      if (n % 200_000 === 0) log(`ruleset: stored ${n} events`);
    }
  }
  if (batch.length) store.insert(batch);
  if (bulk) store.endBulkLoad();
  return { store, n };
}

const DayResult = z.object({
  n: z.number(),
  baseEvents: z.number(),
  perSecs: z.number(),
  perRuns: z.number(),
  scanned: z.number(),
  scans: z.number(),
  handed: z.number(),
  scanMs: z.number(),
  engineSecs: z.number(),
  tickSecs: z.number(),
  cpuSecs: z.number(),
  slowest: z.number(),
  cycles: z.number(),
  runs: z.number(),
  failed: z.number(),
  alerts: z.number(),
  maxRssMiB: z.number(),
  groupingSecs: z.number(),
  groupingCpuSecs: z.number(),
  windowEvents: z.number(),
  covered: z.number(),
  detectionRssMiB: z.number(),
  groupings: z.number(),
  grouped: z.number(),
  groupingSteps: z.number(),
  longestGroupingTxMs: z.number(),
  longestTxMs: z.number(),
});
type DayResult = z.infer<typeof DayResult>;

/**
 * Every write transaction of `db` (detection's runs, the grouping's steps) reports its length
 * (ms, from BEGIN to COMMIT: how long another writer of app.db can wait on it).
 */
function timeTransactions(db: AppDb, record: (ms: number) => void): AppDb {
  const original = db.transaction.bind(db);
  const timed =
    <A extends unknown[], R>(run: (...args: A) => R) =>
    (...args: A): R => {
      const t0 = performance.now();
      try {
        return run(...args);
      } finally {
        record(performance.now() - t0);
      }
    };
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = original(fn);
    return Object.assign(timed(tx), { default: timed(tx.default), deferred: timed(tx.deferred), immediate: timed(tx.immediate), exclusive: timed(tx.exclusive) });
  }) as AppDb['transaction'];
  return db;
}

/**
 * The detection side, in a fresh process over the stored events (so its peak RSS is the
 * detection's, not the loading's): the per-rule baseline cycle, then the day.
 */
async function day(dir: string, rulesFile: string): Promise<DayResult> {
  const rules = loadCorpus(rulesFile).rules.filter((r) => r.type === 'eql');
  // fresh app databases (a kept BENCH_RULESET_DIR holds the last run's)
  for (const f of fs.readdirSync(dir)) if (f.startsWith('app-')) fs.rmSync(path.join(dir, f), { force: true });
  const store = openEventStore({ dataDir: dir });
  const n = store.count();
  const source = createEmbeddedSource(store);
  const b = store.db.prepare('SELECT min(ts) AS a, max(ts) AS b FROM events').get() as { a: number; b: number };

  // ---- baseline: one per-rule cycle over the first 3 minutes of the data (BENCH_RULESET_BASELINE=off skips it)
  let baseEvents = 0;
  let perSecs = 0;
  let perRuns = 0;
  if (process.env.BENCH_RULESET_BASELINE !== 'off') {
    setDb(openAppDb(path.join(dir, 'app-per-rule.db')));
    const baseNow = b.a + 3 * MIN;
    baseEvents = store.countWindow(b.a, baseNow);
    console.error(`[bench] ruleset: baseline, one per-rule cycle over ${baseEvents} events …`);
    const per = new Scheduler({ source: () => source, rules: () => rules, now: () => new Date(baseNow), engine: 'per-rule', log: () => {} });
    const t0 = process.hrtime.bigint();
    perRuns = (await per.tick()).runs.length;
    perSecs = Number(process.hrtime.bigint() - t0) / 1e9;
  }
  // BENCH_RULESET_CYCLES: stop after that many cycles (a shorter, still representative run: the
  // 10-minute and hourly long-look-back rules are due in the first cycle and every 2nd / 12th)
  const maxCycles = z.coerce.number().int().positive().catch(Number.MAX_SAFE_INTEGER).parse(process.env.BENCH_RULESET_CYCLES ?? Number.MAX_SAFE_INTEGER);

  // ---- the scan-once engine over a simulated day of 5-minute cycles
  let t = b.a + 9 * MIN;
  const r = { n, baseEvents, perSecs, perRuns, scanned: 0, scans: 0, handed: 0, scanMs: 0, engineSecs: 0, tickSecs: 0, cpuSecs: 0, slowest: 0, cycles: 0, runs: 0, failed: 0, alerts: 0, maxRssMiB: 0, groupingSecs: 0, groupingCpuSecs: 0, groupings: 0, grouped: 0, groupingSteps: 0, longestGroupingTxMs: 0, longestTxMs: 0, windowEvents: 0, covered: 0, detectionRssMiB: 0 };
  setDb(timeTransactions(openAppDb(path.join(dir, 'app-scan.db')), (ms) => (r.longestTxMs = Math.max(r.longestTxMs, ms))));
  const scheduler = new Scheduler({
    source: () => source,
    rules: () => rules,
    now: () => new Date(t),
    engine: 'scan',
    log: (m) => console.error(`[bench] ${m}`),
    // as the detection worker groups: short transactions with pauses between them
    groupAlerts: (db) =>
      groupUngroupedAlertsPaced(db, {
        onTransaction: (ms) => {
          r.groupingSteps++;
          r.longestGroupingTxMs = Math.max(r.longestGroupingTxMs, ms);
        },
      }),
    // BENCH_RULESET_GROUPING=off: no incident grouping (profiling the engine alone)
    grouping:
      process.env.BENCH_RULESET_GROUPING === 'off'
        ? false
        : {
            onGrouped: (ms, alerts, cpuMs) => {
              r.groupingSecs += ms / 1000;
              r.groupingCpuSecs += cpuMs / 1000;
              r.groupings++;
              r.grouped += alerts;
            },
          },
    scan: {
      onScan: (s) => {
        r.scanned += s.events;
        // the detection's own memory: sampled after each scan's runs (the grouping comes after)
        r.detectionRssMiB = Math.max(r.detectionRssMiB, Math.round(process.memoryUsage().rss / 1048576));
        r.handed += s.handed;
        r.scanMs += s.scanMs;
        r.scans++;
      },
    },
  });
  const cpu0 = process.cpuUsage();
  for (; t <= b.b + MIN && r.cycles < maxCycles; t += 5 * MIN) {
    const c0 = process.hrtime.bigint();
    const report = await scheduler.tick();
    r.tickSecs += Number(process.hrtime.bigint() - c0) / 1e9;
    // the cycle's own duration (the incidents grouping after it is not detection)
    const secs = (getDetectionHealth().lastCycle?.durationMs ?? 0) / 1000;
    r.engineSecs += secs;
    r.slowest = Math.max(r.slowest, secs);
    r.cycles++;
    r.runs += report.runs.length;
    // events of the cycle's windows: the stored events in the span of its due rules' windows
    // (windows up to MAX_SCAN_SPAN_MS; the 12-hour look-backs counted apart, as the old scans did)
    const spans = report.runs.map((x) => x.window).filter((w) => Date.parse(w.to) - Date.parse(w.from) <= MAX_SCAN_SPAN_MS);
    if (spans.length) r.windowEvents += store.countWindow(Math.min(...spans.map((w) => Date.parse(w.from))), Math.max(...spans.map((w) => Date.parse(w.to))));
    for (const x of report.runs) {
      r.alerts += x.outcome.created.length;
      if (x.outcome.error) r.failed++;
    }
    r.covered = store.countWindow(b.a, t);
    if (r.cycles % 6 === 0) console.error(`[bench] ruleset: ${r.cycles} cycles, ${r.windowEvents} events of the windows, ${r.scanned} rows read, ${r.engineSecs.toFixed(1)} s`);
  }
  const cpu = process.cpuUsage(cpu0);
  // the detection's CPU time (the incidents grouping apart)
  r.cpuSecs = (cpu.user + cpu.system) / 1e6 - r.groupingCpuSecs;
  r.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  store.close();
  return r;
}

async function embedded(ctx: BenchContext, rules: Rule[], rows: BenchRow[]): Promise<void> {
  const file = await ctx.eventsFile();
  // BENCH_RULESET_DIR: store the events there once and keep them (later runs reuse them)
  const keep = process.env.BENCH_RULESET_DIR;
  const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bench-ruleset-'));
  try {
    let n: number;
    const reuse = keep ? storedCount(dir) : null;
    if (reuse !== null && reuse === ctx.events) {
      n = reuse;
      ctx.log(`ruleset: reusing the ${n} events stored in ${dir}`);
    } else {
      if (keep) fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      ctx.log(`ruleset: storing ${file} with data_stream fields …`);
      const stored = await storeBenchFile(file, dir, ctx.log);
      stored.store.close();
      n = stored.n;
    }
    const rulesFile = path.join(ctx.sharedDir, 'rules', 'eql-rules.jsonl');
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, GP_RULESET_DAY_DIR: dir, GP_RULESET_RULES: rulesFile },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`the detection process failed (exit ${child.status ?? child.signal})`);
    const r = DayResult.parse(JSON.parse(child.stdout.trim().split('\n').pop() ?? ''));
    const simulatedHours = (r.cycles * 5) / 60;
    rows.push({
      part: 'ruleset',
      name: `${rules.length} EQL rules, scan-once engine, ${r.cycles} cycles of 5 min (${simulatedHours.toFixed(1)} h of data, ${n.toLocaleString('en')} events)`,
      value: Math.round(r.windowEvents / r.engineSecs),
      unit: 'events/s',
      ...(r.perSecs > 0 ? { baseline: { value: Math.round(r.baseEvents / r.perSecs), unit: 'events/s', source: `per-rule engine, one cycle over ${r.baseEvents.toLocaleString('en')} events (${r.perSecs.toFixed(1)} s, ${r.perRuns} runs)` } } : {}),
      goal: '>= 20000',
      peakMemoryMiB: r.maxRssMiB,
      notes:
        `events of the windows ${r.windowEvents.toLocaleString('en')} (each cycle: the stored events in the span of its due rules' windows up to 3 h); ` +
        `rows read by ${r.scans} scans ${r.scanned.toLocaleString('en')}; engine time ${r.engineSecs.toFixed(1)} s (scans ${(r.scanMs / 1000).toFixed(1)} s, slowest cycle ${r.slowest.toFixed(1)} s); ` +
        `incident grouping once per cycle: ${r.groupings} groupings of ${r.grouped.toLocaleString('en')} alerts in ${r.groupingSecs.toFixed(1)} s (${((r.groupingSecs * 1e6) / Math.max(1, r.grouped)).toFixed(0)} µs/alert wall, of which ${r.groupingSteps} write transactions of at most ${Math.round(r.longestGroupingTxMs)} ms and ${((r.groupingSteps * PAUSE_MS) / 1000).toFixed(1)} s of pauses between them; CPU ${r.groupingCpuSecs.toFixed(1)} s, ${((r.groupingCpuSecs * 1e6) / Math.max(1, r.grouped)).toFixed(0)} µs/alert); ` +
        `longest app.db write transaction of the day (a run's alerts, a grouping step) ${Math.round(r.longestTxMs)} ms; ` +
        `${r.runs} runs, ${r.failed} failed, ${r.alerts} alerts; ${(r.handed / Math.max(1, r.scanned)).toFixed(1)} rule hand-overs per row read; ` +
        `keeps up with ${Math.round(r.covered / r.engineSecs).toLocaleString('en')} ingested events/s (the ${r.covered.toLocaleString('en')} distinct events covered ÷ engine time); ` +
        `detection CPU ${r.cpuSecs.toFixed(1)} s: ${Math.round(r.windowEvents / r.cpuSecs).toLocaleString('en')} events of the windows per CPU-second (the machine is shared: wall time stretches with the load); ` +
        `peak RSS is the detection process's with the incident grouping (events stored by the parent; goal <= 2048 MiB); RSS after the scans' runs at most ${r.detectionRssMiB} MiB; load average ${load()}`,
    });
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** events already stored in `dir` (null: none) */
function storedCount(dir: string): number | null {
  if (!fs.existsSync(path.join(dir, 'events.db'))) return null;
  const store = openEventStore({ dataDir: dir });
  try {
    return store.count();
  } finally {
    store.close();
  }
}

async function standInCluster(delayMs: number): Promise<{ url: string; searches: () => number; close: () => Promise<void> }> {
  let searches = 0;
  const body = JSON.stringify({ took: delayMs, timed_out: false, is_partial: false, is_running: false, hits: { total: { value: 0, relation: 'eq' }, events: [] } });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.includes('/_eql/search')) searches++;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end(body);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('stand-in cluster: no port');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    searches: () => searches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function elasticsearch(ctx: BenchContext, rules: Rule[], rows: BenchRow[]): Promise<void> {
  const cluster = await standInCluster(100);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bench-ruleset-es-'));
  try {
    const client = new Client({ node: cluster.url, maxRetries: 0 });
    const source = createElasticsearchSource(client, {});
    const cycle = async (set: Rule[], concurrency: number | undefined, db: string) => {
      setDb(openAppDb(path.join(dir, db)));
      const s = new Scheduler({ source: () => source, rules: () => set, ...(concurrency ? { concurrency } : {}), log: () => {} });
      const t0 = process.hrtime.bigint();
      const report = await s.tick({ force: true });
      return { secs: Number(process.hrtime.bigint() - t0) / 1e9, report };
    };
    ctx.log('ruleset: Elasticsearch stand-in, one cycle of every rule …');
    const before = cluster.searches();
    const pooled = await cycle(rules, undefined, 'app-es.db');
    const searched = cluster.searches() - before;
    const failed = pooled.report.runs.filter((r) => r.outcome.error);
    const sample = rules.slice(0, 50);
    const serial = await cycle(sample, 1, 'app-es-serial.db');
    const serialFull = (serial.secs / sample.length) * rules.length;
    rows.push({
      part: 'ruleset',
      name: `Elasticsearch cycle of ${rules.length} rules, stand-in cluster answering each EQL search after 100 ms`,
      value: Number(pooled.secs.toFixed(1)),
      unit: 's',
      baseline: { value: Number(serialFull.toFixed(1)), unit: 's', source: `one rule at a time (50 rules took ${serial.secs.toFixed(1)} s)` },
      goal: '<= 60',
      peakMemoryMiB: Math.round(peakMiB()),
      notes: `pool of ${process.env.GUIDEPOST_RULE_CONCURRENCY ?? 10}; ${pooled.report.runs.length} runs, ${searched} searches, ${failed.length} failed${failed[0] ? ` (${failed[0].outcome.error?.message})` : ''}; load average ${load()}`,
    });
    await client.close();
  } finally {
    await cluster.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.GP_RULESET_DAY_DIR && process.env.GP_RULESET_RULES) {
  // the child process of `embedded`: one JSON line on stdout
  day(process.env.GP_RULESET_DAY_DIR, process.env.GP_RULESET_RULES).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exitCode = 1;
    },
  );
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const corpus = loadCorpus(path.join(ctx.sharedDir, 'rules', 'eql-rules.jsonl'));
  for (const e of corpus.errors) ctx.log(`ruleset: ${e.message}`);
  const rules = corpus.rules.filter((r) => r.type === 'eql');
  const rows: BenchRow[] = [];
  const only = process.env.BENCH_RULESET?.split(',').map((s) => s.trim());
  if (!only || only.includes('es')) await elasticsearch(ctx, rules, rows);
  if (!only || only.includes('embedded')) await embedded(ctx, rules, rows);
  return rows;
}
