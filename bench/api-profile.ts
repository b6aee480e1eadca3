/**
 * In-process profile of the API bench's work (no HTTP, no Next): per-request CPU time of
 * the queue listing and the dashboard computed straight from the lib functions, on the
 * app.db the API bench seeded (bench/out/api-data/app.db; run `BENCH_PARTS=api npm run
 * bench` once first), with each page query's plan.
 *
 *   npx tsx bench/api-profile.ts [path/to/app.db]
 *
 * The database is copied to a temp dir first, so the bench's copy stays as it was.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alertListQuerySchema } from '../lib/contracts/alerts';
import { queueFilter } from '../lib/contracts/export';
import { getDb, openAppDb, setDb } from '../lib/store/db';
import { alertPageQuery, countAlertsMatching, listAlertPage, type AlertFilter } from '../lib/store/alerts';
import { computeDashboard, computeDashboardCounts, computeDashboardNow, computeDashboardPeriod, computeDashboardProgress } from '../lib/dashboard/metrics';
import { authenticate } from '../lib/auth/request';
import { createSession } from '../lib/auth/sessions';

const source = path.resolve(process.argv[2] ?? 'bench/out/api-data/app.db');
if (!fs.existsSync(source)) {
  console.error(`${source}: not found (run BENCH_PARTS=api npm run bench once first)`);
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-api-profile-'));
for (const suffix of ['', '-wal', '-shm']) {
  if (fs.existsSync(source + suffix)) fs.copyFileSync(source + suffix, path.join(dir, `app.db${suffix}`));
}
process.env.GUIDEPOST_DATA_DIR = dir;
const t0 = performance.now();
const db = setDb(openAppDb(path.join(dir, 'app.db')));
console.log(`open + migrate: ${(performance.now() - t0).toFixed(0)} ms`);

/** CPU milliseconds (user + system) per call of fn, over n calls after one warm-up call. */
function cpuMs(n: number, fn: () => unknown): number {
  fn();
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / n;
}

function plan(sql: string, params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
}

/** The plan of the queue's page query for a filter. */
function planOf(filter: AlertFilter): string {
  const { sql, params } = alertPageQuery(filter);
  return plan(sql, params);
}

// the bench's queue URLs (bench/parts/api.ts) and the page's default request
const sorts = ['timestamp', 'severity', 'risk_score', 'host_name'];
const urls: string[] = ['status=open,acknowledged&sort=timestamp&order=desc&page=1&pageSize=100'];
for (const sort of sorts) {
  for (const page of [1, 10, 20]) urls.push(`status=open,acknowledged&sort=${sort}&pageSize=100&page=${page}`);
  urls.push(`status=open,acknowledged&sort=${sort}&pageSize=100&page=5&assignee=analyst5`);
}
urls.push('status=open,acknowledged&sort=rule_name&order=asc&pageSize=100&page=1', 'host=host-7&pageSize=100&page=1', 'pageSize=100&page=200');

const rows: string[][] = [['request', 'parse ms', 'page ms', 'count ms', 'serialize ms', 'total ms', 'plan']];
for (const qs of urls) {
  const params = new URLSearchParams(qs);
  const raw = Object.fromEntries(params);
  const parse = () => alertListQuerySchema.parse(raw);
  const q = parse();
  const assignee = params.get('assignee') ?? undefined;
  const filter: AlertFilter = { ...queueFilter(q, assignee), limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
  const page = () => listAlertPage(db, filter);
  const count = () => countAlertsMatching(db, filter);
  const items = page();
  const total = count();
  const serialize = () => JSON.stringify({ items, total, page: q.page, pageSize: q.pageSize });
  const p = cpuMs(50, parse);
  const l = cpuMs(10, page);
  const c = cpuMs(10, count);
  const s = cpuMs(50, serialize);
  rows.push([qs, p.toFixed(3), l.toFixed(2), c.toFixed(2), s.toFixed(2), (p + l + c + s).toFixed(2), planOf(filter)]);
}

// the dashboard: the figures of now (counts: recomputed when a queue column changes; progress:
// on any change), each period's figures (when an alert's lifecycle changes), the whole answer
const dash: string[][] = [['dashboard part', 'compute ms']];
dash.push(['now: counts (status, severity, age, SLA breaches)', cpuMs(5, () => computeDashboardCounts({ now: new Date(), db })).toFixed(1)]);
dash.push(['now: progress (analysts, investigations)', cpuMs(5, () => computeDashboardProgress({ now: new Date(), stepsTotal: () => 8, db })).toFixed(1)]);
dash.push(['now, both parts (any period)', cpuMs(5, () => computeDashboardNow({ now: new Date(), stepsTotal: () => 8, db })).toFixed(1)]);
for (const hours of [24, 168, 720]) {
  const now = new Date();
  const period = { from: new Date(now.getTime() - hours * 3_600_000).toISOString(), to: now.toISOString() };
  dash.push([`period ${hours}h`, cpuMs(3, () => computeDashboardPeriod({ period, db })).toFixed(1)]);
  dash.push([`whole, serialized, ${hours}h`, cpuMs(3, () => JSON.stringify(computeDashboard({ period, now, stepsTotal: () => 8, db }))).toFixed(1)]);
}

// authentication: a session of the bench's lead
const lead = db.prepare("SELECT id FROM users WHERE name = 'bench.lead'").get() as { id: number } | undefined;
const token = lead ? createSession(getDb(), lead.id).token : null;
const authMs = token ? cpuMs(200, () => authenticate(new Headers({ cookie: `gp_session=${token}` }))) : NaN;
const versionMs = cpuMs(1000, () => {
  db.prepare('SELECT total_changes() AS n').get();
  db.pragma('data_version', { simple: true });
});

const table = (t: string[][]) => t.map((r) => r.join(' | ')).join('\n');
console.log(table(rows));
console.log();
console.log(table(dash));
console.log();
console.log(`authenticate (sha256 + session + user): ${Number.isNaN(authMs) ? 'no bench.lead user' : authMs.toFixed(3) + ' ms'}; data version check ${versionMs.toFixed(3)} ms`);

fs.rmSync(dir, { recursive: true, force: true });
