/**
 * Under-load bench (issue 11): the production server (`next start` over the build in .next,
 * as the api part runs it) with the app data of the api part (100k alerts, a lead's
 * session) plus an admin session, the 1,081 rules of ../shared/rules/eql-rules.jsonl
 * imported (disabled) and the scheduler on. In one run:
 *
 *   1. baseline: 20 clients polling the queue (GET /api/alerts) and the dashboard
 *      (GET /api/dashboard) for BENCH_LOAD_BASELINE_S seconds (default 20), a checklist write
 *      every 250 ms from another connection;
 *   2. upload alone: a 100k-event file (the bench generator's events with data_stream fields,
 *      times moved into the last minutes) through POST /api/ingest, timed to its job's end;
 *   3. under load: the same clients and writes, while a second 100k-event file is uploaded
 *      and all rules are enabled (POST /api/rules {all, enabled}), so the scheduler's next
 *      tick (≤ 15 s) runs a detection cycle of all 1,081 rules over the stored events; until
 *      both the upload and that cycle are done.
 *
 * Reported: errors (goal 0: failed requests, each listed with its time into the phase, route
 * and cause, and failed checklist writes), queue p95 under load (goal ≤ 300 ms) beside the
 * baseline's, dashboard p95, the longest checklist write (it waits for any app.db write
 * transaction of detection and grouping), the server's CPU over the loaded phase, upload time
 * under load vs alone, the detection cycle's duration. The event
 * store starts with a few events so both uploads take the same (non-empty store) path.
 * BENCH_LOAD_EVENTS changes the upload size (default 100,000).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { openAppDb } from '../../lib/store/db';
import { openEventStore } from '../../lib/events/embedded/store';
import type { BenchContext, BenchRow } from '../types';
import { benchSession, CLIENTS, percentile, processTreeCpuMs, seed, startServer, startWriter, WRITE_EVERY_MS } from './api';

const envInt = (name: string, def: number) => {
  const v = z.coerce.number().int().positive().safeParse(process.env[name] ?? def);
  if (!v.success) throw new Error(`${name} must be a positive whole number (got ${JSON.stringify(process.env[name])})`);
  return v.data;
};

const LOAD_EVENTS = envInt('BENCH_LOAD_EVENTS', 100_000);
const BASELINE_S = envInt('BENCH_LOAD_BASELINE_S', 20);
/** the loaded phase ends at the latest after this long */
const MAX_LOADED_S = envInt('BENCH_LOAD_MAX_S', 900);

const loadAvg = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/**
 * The first `n` events of the bench file with data_stream fields (so they land in
 * logs-endpoint.events.<category>-default, where the rules look), their times spread over
 * the `spanMs` before now, and `tag` in labels (so two files hold different documents).
 */
async function uploadFile(src: string, out: string, n: number, tag: string, spanMs: number): Promise<number> {
  const rl = readline.createInterface({ input: fs.createReadStream(src, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  const w = fs.createWriteStream(out);
  const start = Date.now() - spanMs;
  let i = 0;
  let buf: string[] = [];
  for await (const line of rl) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as Record<string, unknown> & { event: { category: string } };
    e['@timestamp'] = new Date(start + Math.floor((i * spanMs) / n)).toISOString();
    e.data_stream = { type: 'logs', dataset: `endpoint.events.${e.event.category}`, namespace: 'default' };
    e.labels = { bench: tag };
    buf.push(JSON.stringify(e));
    if (buf.length >= 5000) {
      if (!w.write(buf.join('\n') + '\n')) await new Promise<void>((r) => w.once('drain', () => r()));
      buf = [];
    }
    if (++i >= n) break;
  }
  rl.close();
  if (buf.length) w.write(buf.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => w.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return fs.statSync(out).size;
}

const jobSchema = z.object({ job: z.object({ id: z.string(), state: z.string(), error: z.string().nullable(), report: z.object({ stored: z.number(), read: z.number() }).nullable() }) });

/** Uploads a file as an admin and waits for its ingest job to end: ms from the first byte sent to the job's end. */
async function upload(base: string, cookie: string, file: string): Promise<{ ms: number; receivedMs: number; stored: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/ingest?format=auto&name=${encodeURIComponent(path.basename(file))}`, {
    method: 'POST',
    headers: { cookie, origin: base, 'content-type': 'application/x-ndjson', 'content-length': String(fs.statSync(file).size) },
    body: Readable.toWeb(fs.createReadStream(file, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  const receivedMs = performance.now() - t0; // the body is in the server's temporary file
  if (res.status !== 202) throw new Error(`upload of ${file}: HTTP ${res.status} ${text.slice(0, 300)}`);
  const id = jobSchema.parse(JSON.parse(text)).job.id;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const r = await fetch(`${base}/api/ingest?job=${encodeURIComponent(id)}`, { headers: { cookie } });
    const { job } = jobSchema.parse(await r.json());
    if (job.state === 'done') return { ms: performance.now() - t0, receivedMs, stored: job.report?.stored ?? 0 };
    if (job.state !== 'ingesting' && job.state !== 'receiving') throw new Error(`upload of ${file}: job ${job.state}: ${job.error ?? ''}`);
  }
}

interface PollResult {
  queue: number[];
  dashboard: number[];
  requests: number;
  errors: number;
  firstError: string | null;
  /** every failed request (the first 20): seconds into the phase, the request, what failed */
  failures: string[];
  /** the slowest answer (ms): a stalled server shows here first; when it was asked (s into the phase) and what */
  maxMs: number;
  maxAt: string;
}

/** What a failed fetch says: fetch's own message is "fetch failed", its cause names the reason (a reset, a socket the server closed, a timeout …). */
function failureOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (${(err.cause as Error & { code?: string }).code ?? err.cause.name}: ${err.cause.message})` : '';
  return `${err.name === 'TimeoutError' ? 'timeout' : err.message}${cause}`;
}

/** CLIENTS clients, each asking for a queue page then a dashboard, over and over, until `until()` says stop. */
async function poll(base: string, cookie: string, until: () => boolean): Promise<PollResult> {
  const r: PollResult = { queue: [], dashboard: [], requests: 0, errors: 0, firstError: null, failures: [], maxMs: 0, maxAt: '' };
  const sorts = ['timestamp', 'severity', 'risk_score', 'host_name'];
  const periods = ['24h', '7d', '30d'];
  const start = performance.now();
  const fail = (t0: number, url: string, what: string) => {
    r.errors++;
    const line = `+${((t0 - start) / 1000).toFixed(1)} s ${url.split('?')[0]} after ${Math.round(performance.now() - t0)} ms: ${what}`;
    r.firstError ??= line;
    if (r.failures.length < 20) r.failures.push(line);
  };
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; !until(); i++) {
        const dash = (c + i) % 2 === 1;
        const url = dash
          ? `/api/dashboard?period=${periods[(c + i) % periods.length]}`
          : `/api/alerts?status=open,acknowledged&sort=${sorts[(c + i) % sorts.length]}&pageSize=100&page=${1 + ((c * 7 + i) % 20)}`;
        const t0 = performance.now();
        r.requests++;
        try {
          const res = await fetch(`${base}${url}`, { headers: { cookie, accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
          const body = await res.text();
          const ms = performance.now() - t0;
          if (ms > r.maxMs) {
            r.maxMs = ms;
            r.maxAt = `+${((t0 - start) / 1000).toFixed(1)} s ${url.split('?')[0]}`;
          }
          if (res.status !== 200) fail(t0, url, `HTTP ${res.status} ${body.slice(0, 200)}`);
          else (dash ? r.dashboard : r.queue).push(ms);
        } catch (err) {
          fail(t0, url, failureOf(err));
        }
      }
    }),
  );
  return r;
}

const cycleSchema = z.object({ startedAt: z.string(), durationMs: z.number(), rules: z.number(), runs: z.number(), failed: z.number(), engine: z.string() });
type Cycle = z.infer<typeof cycleSchema>;
const healthSchema = z.object({ detection: z.object({ lastCycle: cycleSchema.nullable() }).optional() });

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const root = process.cwd();
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (!fs.existsSync(path.join(root, distDir, 'BUILD_ID'))) throw new Error(`load bench: no production build in ${distDir} — run \`npx next build\` first`);
  const rulesFile = path.join(ctx.sharedDir, 'rules', 'eql-rules.jsonl');
  if (!fs.existsSync(rulesFile)) throw new Error(`load bench: ${rulesFile} not found`);
  const dir = path.join(ctx.outDir, 'load-data');
  const leadToken = seed(dir, ctx.log);
  const adminToken = (() => {
    // uploads and rule changes are an admin's
    const db = openAppDb(path.join(dir, 'app.db'));
    try {
      return benchSession(db, 'bench.admin', 'admin');
    } finally {
      db.close();
    }
  })();
  // the rule set, imported (disabled) before the server starts
  const imported = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['bin/cli.ts', 'rules', 'import', rulesFile], {
    cwd: root,
    env: { ...process.env, GUIDEPOST_DATA_DIR: dir, ELASTICSEARCH_URL: '' },
    encoding: 'utf8',
  });
  if (imported.status !== 0) throw new Error(`rules import failed: ${imported.stderr || imported.stdout}`);
  ctx.log(`load: ${imported.stdout.trim().split('\n')[0]}`);
  // a few old events, so both uploads go into a non-empty store (the same path)
  const source = await ctx.eventsFile();
  {
    const store = openEventStore({ dataDir: dir });
    store.insert([{ _index: 'logs-bench-seed', _id: 'seed-1', _source: { '@timestamp': '2020-01-01T00:00:00Z', event: { category: ['process'] } } }]);
    store.close();
  }
  const srv = await startServer(dir, { scheduler: true });
  const base = srv.base;
  const rows: BenchRow[] = [];
  try {
    const lead = `gp_session=${leadToken}`;
    const admin = `gp_session=${adminToken}`;
    const lastCycle = async (): Promise<Cycle | null> => {
      const res = await fetch(`${base}/api/health`, { headers: { cookie: admin } });
      return healthSchema.parse(await res.json()).detection?.lastCycle ?? null;
    };
    // warm-up (route modules loaded, V8 past its first tiers), not measured
    const warmEnd = Date.now() + 10_000;
    const warm = await poll(base, lead, () => Date.now() > warmEnd);
    ctx.log(`load: warm-up ${warm.requests} requests, ${warm.errors} errors`);

    // 1. baseline: the clients and the writes, nothing else
    let writer = startWriter(path.join(dir, 'app.db'), 'checklist');
    const baseEnd = Date.now() + BASELINE_S * 1000;
    const baseline = await poll(base, lead, () => Date.now() > baseEnd);
    let writes = writer.stop();
    const baseWrites = { failures: writer.failures, longestMs: writer.longestMs() };
    const baseLoad = loadAvg();
    ctx.log(`load: baseline ${baseline.requests} requests, queue p95 ${percentile(baseline.queue, 95).toFixed(1)} ms, ${baseline.errors} errors, ${writes} writes (${baseWrites.failures.length} failed, longest ${Math.round(baseWrites.longestMs)} ms); load ${baseLoad}`);

    // 2. the upload alone
    const spanMs = 4 * 60_000;
    const u1 = path.join(ctx.outDir, 'load-upload-1.ndjson');
    const bytes = await uploadFile(source, u1, LOAD_EVENTS, 'u1', spanMs);
    const alone = await upload(base, admin, u1);
    ctx.log(`load: upload alone ${LOAD_EVENTS} events (${(bytes / 1024 / 1024).toFixed(1)} MiB): ${Math.round(alone.ms)} ms, ${alone.stored} stored; load ${loadAvg()}`);

    // 3. everything at once
    const u2 = path.join(ctx.outDir, 'load-upload-2.ndjson');
    await uploadFile(source, u2, LOAD_EVENTS, 'u2', spanMs);
    const before = await lastCycle();
    writer = startWriter(path.join(dir, 'app.db'), 'checklist');
    const cpu0 = srv.pid ? processTreeCpuMs(srv.pid) : NaN;
    const wall0 = performance.now();
    const phaseStart = Date.now();
    let uploadDone: Awaited<ReturnType<typeof upload>> | null = null;
    let cycle: Cycle | null = null;
    const t0 = Date.now();
    const deadline = t0 + MAX_LOADED_S * 1000;
    const enabled = await fetch(`${base}/api/rules`, {
      method: 'POST',
      headers: { cookie: admin, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ all: true, enabled: true }),
    });
    if (enabled.status !== 200) throw new Error(`enabling all rules: HTTP ${enabled.status} ${(await enabled.text()).slice(0, 300)}`);
    const uploading = upload(base, admin, u2).then((u) => {
      uploadDone = u;
    });
    const watching = (async () => {
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        const c = await lastCycle().catch(() => null);
        if (c && c.rules >= 1000 && c.startedAt !== before?.startedAt) {
          cycle = c;
          return;
        }
      }
    })();
    const loaded = await poll(base, lead, () => (uploadDone !== null && cycle !== null) || Date.now() > deadline);
    await Promise.all([uploading, watching]);
    writes = writer.stop();
    // the server's CPU (web thread, detection, ingest and evidence workers: one process) beside the phase's wall time
    const serverCpuS = ((srv.pid ? processTreeCpuMs(srv.pid) : NaN) - cpu0) / 1000;
    const loadedWallS = (performance.now() - wall0) / 1000;
    // an analyst's write that failed is an error too
    const writeFailures = writer.failures;
    const longestWriteMs = writer.longestMs();
    const longestWriteAt = `+${((writer.longestAt() - phaseStart) / 1000).toFixed(1)} s`;
    const loadedErrors = loaded.errors + writeFailures.length;
    const loadedLoad = loadAvg();
    const finished = cycle as Cycle | null;
    const under = uploadDone as Awaited<ReturnType<typeof upload>> | null;
    ctx.log(`load: under load ${loaded.requests} requests, queue p95 ${percentile(loaded.queue, 95).toFixed(1)} ms (slowest ${Math.round(loaded.maxMs)} ms, asked at ${loaded.maxAt}), ${loadedErrors} errors; ${writes} checklist writes (${writeFailures.length} failed, longest ${Math.round(longestWriteMs)} ms at ${longestWriteAt}; the rules were enabled at +0 s); server CPU ${serverCpuS.toFixed(1)} s in ${loadedWallS.toFixed(1)} s; upload ${under ? Math.round(under.ms) : '—'} ms; cycle ${finished ? `${finished.rules} rules in ${finished.durationMs} ms (${finished.engine}), started at +${((Date.parse(finished.startedAt) - phaseStart) / 1000).toFixed(1)} s` : 'not seen'}; load ${loadedLoad}`);

    for (const f of [...loaded.failures, ...writeFailures.map((w) => `checklist write ${w}`)]) ctx.log(`load: failed: ${f}`);
    if (loadedErrors > 0) ctx.log(`load: server stderr (last 4,000 characters):\n${srv.stderr()}`);
    else for (const line of srv.stderr().split('\n').filter((l) => l.includes('write lock'))) ctx.log(`load: server: ${line}`);
    const phaseNotes = (p: PollResult, load: string) =>
      `${CLIENTS} clients (queue and dashboard alternately), ${p.requests} requests, ${p.errors} errors${p.failures.length ? ` (${p.failures.slice(0, 3).join('; ')})` : ''}; queue p50 ${percentile(p.queue, 50).toFixed(1)} ms, dashboard p50 ${percentile(p.dashboard, 50).toFixed(1)} ms, slowest answer ${Math.round(p.maxMs)} ms (${p.maxAt}); load average ${load}`;
    const loadedNotes = `${phaseNotes(loaded, loadedLoad)}; a checklist write every ${WRITE_EVERY_MS} ms (${writes}, ${writeFailures.length} failed${writeFailures[0] ? `: ${writeFailures[0]}` : ''}; longest ${Math.round(longestWriteMs)} ms, at ${longestWriteAt}; all rules enabled at +0 s); server CPU ${serverCpuS.toFixed(1)} s over the phase's ${loadedWallS.toFixed(1)} s; upload of ${LOAD_EVENTS} events; detection cycle ${finished ? `of ${finished.rules} rules (${finished.runs} runs, ${finished.failed} failed, engine ${finished.engine})` : 'NOT SEEN before the deadline'}`;
    const r1 = (x: number) => Math.round(x * 10) / 10;
    rows.push(
      { part: 'load', name: 'errors under load (clients, writes, upload, detection)', value: loadedErrors, unit: 'requests', goal: '0', notes: loadedNotes },
      {
        part: 'load',
        name: 'queue GET /api/alerts p95 under load',
        value: r1(percentile(loaded.queue, 95)),
        unit: 'ms',
        baseline: { value: r1(percentile(baseline.queue, 95)), unit: 'ms', source: `same clients and writes, no upload or detection (${BASELINE_S} s, same run)` },
        goal: '<= 300',
        notes: loadedNotes,
      },
      {
        part: 'load',
        name: 'dashboard GET /api/dashboard p95 under load',
        value: r1(percentile(loaded.dashboard, 95)),
        unit: 'ms',
        baseline: { value: r1(percentile(baseline.dashboard, 95)), unit: 'ms', source: 'same clients and writes, no upload or detection (same run)' },
      },
      { part: 'load', name: 'queue p95, baseline (no upload, no detection)', value: r1(percentile(baseline.queue, 95)), unit: 'ms', notes: phaseNotes(baseline, baseLoad) },
      { part: 'load', name: 'errors, baseline', value: baseline.errors + baseWrites.failures.length, unit: 'requests', goal: '0' },
      {
        part: 'load',
        name: 'longest checklist write under load (an analyst\'s write while detection and grouping write app.db)',
        value: Math.round(longestWriteMs),
        unit: 'ms',
        baseline: { value: Math.round(baseWrites.longestMs), unit: 'ms', source: 'the same writes, no upload or detection (same run)' },
        notes: `${writes} writes, ${writeFailures.length} failed; app.db's busy wait is 5,000 ms (lib/store/db.ts), so a write transaction of the detection worker held longer than that fails the analyst's write`,
      },
    );
    if (under) {
      rows.push({
        part: 'load',
        name: `upload of ${LOAD_EVENTS} events under load (to its job's end)`,
        value: Math.round(under.ms),
        unit: 'ms',
        baseline: { value: Math.round(alone.ms), unit: 'ms', source: 'the same upload alone, same run' },
        notes: `${(bytes / 1024 / 1024).toFixed(1)} MiB; received in ${Math.round(under.receivedMs)} ms, then ingested in ${Math.round(under.ms - under.receivedMs)} ms (alone: ${Math.round(alone.receivedMs)} + ${Math.round(alone.ms - alone.receivedMs)} ms); stored ${under.stored} (alone: ${alone.stored})`,
      });
    }
    if (finished) {
      rows.push({ part: 'load', name: `detection cycle of ${finished.rules} rules under load`, value: finished.durationMs, unit: 'ms', notes: `${finished.runs} runs, ${finished.failed} failed, engine ${finished.engine}; over ${LOAD_EVENTS} to ${2 * LOAD_EVENTS} events of the last minutes` });
    } else {
      rows.push({ part: 'load', name: 'detection cycle of all rules under load', value: NaN, unit: 'ms', notes: `not finished within ${MAX_LOADED_S} s` });
    }
    return rows;
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- server stderr ---\n${srv.stderr()}`);
  } finally {
    await srv.stop();
  }
}
