/**
 * Rule-set bench: all 1,081 EQL rules of ../shared/rules/eql-rules.jsonl.
 *
 * (a) Embedded store, scan-once engine: the bench file (BENCH_EVENTS, default 1M) with
 *     data_stream fields added so each event lands in logs-endpoint.events.<category>-default
 *     is stored on disk; then the scheduler runs a simulated day — a cycle every 5 minutes of
 *     the data's own time (the file spans 100 events/s, so 1M events are ~2.8 h of it) with
 *     each rule's schedule and look-back (9 minutes for most; hourly rules look back 2 h),
 *     alerts written to an app database on disk. Figure: events of the windows (rows each
 *     cycle's scans read) ÷ engine time (the cycles' wall time), and peak RSS.
 *     Baseline, same process: one cycle of the per-rule engine over the first 3 minutes.
 * (b) Elasticsearch: one cycle of the 1,081 rules against a stand-in cluster on 127.0.0.1
 *     that answers every _eql/search after 100 ms (no hits): cycle time with the default
 *     pool (GUIDEPOST_RULE_CONCURRENCY, 10), and with 1 (the old one-after-another) as the
 *     baseline, computed from the first 50 rules.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Client } from '@elastic/elasticsearch';
import { loadCorpus } from '../../lib/rules/load';
import type { Rule } from '../../lib/rules/model';
import { openEventStore, type PreparedEvent } from '../../lib/events/embedded/store';
import { createEmbeddedSource } from '../../lib/events/embedded/source';
import { createElasticsearchSource } from '../../lib/events/elasticsearch/source';
import { openAppDb, setDb } from '../../lib/store/db';
import { Scheduler } from '../../lib/detection/scheduler';
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

async function embedded(ctx: BenchContext, rules: Rule[], rows: BenchRow[]): Promise<void> {
  const file = await ctx.eventsFile();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bench-ruleset-'));
  try {
    ctx.log(`ruleset: storing ${file} with data_stream fields …`);
    const { store, n } = await storeBenchFile(file, dir, ctx.log);
    const source = createEmbeddedSource(store);
    const b = store.db.prepare('SELECT min(ts) AS a, max(ts) AS b FROM events').get() as { a: number; b: number };

    // ---- baseline: one per-rule cycle over the first 3 minutes of the data
    setDb(openAppDb(path.join(dir, 'app-per-rule.db')));
    const baseNow = b.a + 3 * MIN;
    const baseEvents = store.countWindow(b.a, baseNow);
    ctx.log(`ruleset: baseline, one per-rule cycle over ${baseEvents} events …`);
    const per = new Scheduler({ source: () => source, rules: () => rules, now: () => new Date(baseNow), engine: 'per-rule', log: () => {} });
    const t0 = process.hrtime.bigint();
    const perReport = await per.tick();
    const perSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    const baseline = baseEvents / perSecs;

    // ---- the scan-once engine over a simulated day of 5-minute cycles
    setDb(openAppDb(path.join(dir, 'app-scan.db')));
    let t = b.a + 9 * MIN;
    let scanned = 0;
    let scans = 0;
    let handed = 0;
    let scanMs = 0;
    const scheduler = new Scheduler({
      source: () => source,
      rules: () => rules,
      now: () => new Date(t),
      engine: 'scan',
      log: (m) => ctx.log(m),
      scan: {
        onScan: (s) => {
          scanned += s.events;
          handed += s.handed;
          scanMs += s.scanMs;
          scans++;
        },
      },
    });
    let engineSecs = 0;
    const cpu0 = process.cpuUsage();
    let cycles = 0;
    let runs = 0;
    let alerts = 0;
    let failed = 0;
    let slowest = 0;
    for (; t <= b.b + MIN; t += 5 * MIN) {
      const c0 = process.hrtime.bigint();
      const report = await scheduler.tick();
      const secs = Number(process.hrtime.bigint() - c0) / 1e9;
      engineSecs += secs;
      slowest = Math.max(slowest, secs);
      cycles++;
      runs += report.runs.length;
      for (const r of report.runs) {
        alerts += r.outcome.created.length;
        if (r.outcome.error) failed++;
      }
      if (cycles % 6 === 0) ctx.log(`ruleset: ${cycles} cycles, ${scanned} events scanned, ${engineSecs.toFixed(1)} s`);
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    const simulatedHours = (cycles * 5) / 60;
    rows.push({
      part: 'ruleset',
      name: `${rules.length} EQL rules, scan-once engine, ${cycles} cycles of 5 min (${simulatedHours.toFixed(1)} h of data, ${n.toLocaleString('en')} events)`,
      value: Math.round(scanned / engineSecs),
      unit: 'events/s',
      baseline: { value: Math.round(baseline), unit: 'events/s', source: `per-rule engine, one cycle over ${baseEvents.toLocaleString('en')} events (${perSecs.toFixed(1)} s, ${perReport.runs.length} runs)` },
      goal: '>= 20000',
      peakMemoryMiB: Math.round(peakMiB()),
      notes:
        `events of the windows ${scanned.toLocaleString('en')} in ${scans} scans; engine time ${engineSecs.toFixed(1)} s (scans ${(scanMs / 1000).toFixed(1)} s, slowest cycle ${slowest.toFixed(1)} s); ` +
        `${runs} runs, ${failed} failed, ${alerts} alerts; ${(handed / Math.max(1, scanned)).toFixed(1)} rule hand-overs per event; ` +
        `keeps up with ${Math.round(n / engineSecs).toLocaleString('en')} ingested events/s (distinct events ÷ engine time); ` +
        `CPU ${cpuSecs.toFixed(1)} s: ${Math.round(scanned / cpuSecs).toLocaleString('en')} events of the windows per CPU-second (the machine is shared); load average ${load()}; goal RSS <= 2048 MiB`,
    });
    store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
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
