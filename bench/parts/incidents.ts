/**
 * Incidents: the grouping's cost per alert (one backfill pass over N alerts, then new alerts
 * arriving 50 at a time), then the incident queue over HTTP as the product serves it: the
 * same app.db (N synthetic alerts grouped into incidents: hosts, users, process trees and an
 * alert storm, spread over 30 days) behind `next start` (the build in .next), 20 clients
 * paging the incident queue (pages of 200, five sorts) at rest and while another connection
 * writes every 250 ms (an incident acknowledged / reopened and an alert's status changed, as
 * a team at work does), and the flat queue grouped by host under the same writes. The HTTP
 * pieces (port, health wait, the 20-client load, CPU per request) are bench/parts/api.ts's.
 * BENCH_INCIDENT_ALERTS sets N (default 100,000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAppDb } from '../../lib/store/db';
import { insertAlerts, type NewAlert } from '../../lib/store/alerts';
import { groupUngroupedAlerts } from '../../lib/incidents/grouping';
import type { BenchContext, BenchRow } from '../types';
import { benchSession, CLIENTS, REQUESTS_PER_CLIENT, WRITE_EVERY_MS, WRITING_PHASE_MS, load, percentile, processTreeCpuMs, startServer, startWriter } from './api';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const START = Date.UTC(2026, 9, 1);

export function syntheticAlerts(n: number, offset: number, seed: number): NewAlert[] {
  const rand = rng(seed);
  const out: NewAlert[] = [];
  for (let i = 0; i < n; i++) {
    const k = offset + i;
    const host = `ws-${Math.floor(rand() * 500)}`;
    const storm = rand() < 0.3;
    const ts = new Date(START + Math.floor(rand() * 30 * 86_400_000)).toISOString();
    const root = `${host}-root-${Math.floor(rand() * 50)}`;
    const self = `${host}-p-${k}`;
    const user = rand() < 0.2 ? 'SYSTEM' : `user${Math.floor(rand() * 300)}`;
    out.push({
      id: `bench-${k}`,
      dedupKey: `bench-${k}`,
      ruleId: storm ? 'noisy' : `r${Math.floor(rand() * 20)}`,
      ruleVersion: 1,
      ruleName: storm ? 'Noisy rule' : `Rule ${Math.floor(rand() * 20)}`,
      severity: (['low', 'medium', 'high', 'critical'] as const)[Math.floor(rand() * 4)]!,
      riskScore: 47,
      mitre: [],
      event: {
        _index: 'logs-bench',
        _id: `e${k}`,
        _source: { '@timestamp': ts, host: { name: host }, user: { name: user, domain: 'CORP' }, process: { entity_id: self, parent: { entity_id: root }, Ext: { ancestry: [root] }, executable: storm ? 'C:\\tools\\noisy.exe' : `C:\\bin\\${k % 97}.exe` } },
      },
      sequenceEvents: null,
      timestamp: ts,
      createdAt: ts,
      runId: 'bench',
      status: 'open',
      verdict: null,
      assignee: k % 3 === 0 ? `analyst${k % 10}` : null,
      hostName: host,
      userName: user,
      processName: null,
      processEntityId: self,
      filePath: null,
      version: 1,
    });
  }
  return out;
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_INCIDENT_ALERTS ?? 100_000);
  const dir = path.join(ctx.outDir, 'incidents-data');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'app.db');
  const db = openAppDb(file);
  const rows: BenchRow[] = [];
  let incidents = 0;
  let token = '';
  try {
    ctx.log(`incidents: inserting ${n} alerts…`);
    for (let i = 0; i < n; i += 5000) db.transaction(() => insertAlerts(db, syntheticAlerts(Math.min(5000, n - i), i, 7 + i)))();
    const t0 = performance.now();
    const report = groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['process', 'host', 'user'] } });
    const backfillMs = performance.now() - t0;
    incidents = db.prepare('SELECT COUNT(*) FROM incidents').pluck().get() as number;
    rows.push({ part: 'incidents', name: `grouping backfill, ${n} alerts`, value: Math.round((backfillMs * 1000) / n), unit: 'µs/alert', notes: `${report.grouped} grouped into ${incidents} incidents in ${Math.round(backfillMs)} ms; load average ${os.loadavg()[0]!.toFixed(2)}` });

    const passes: number[] = [];
    for (let b = 0; b < 20; b++) {
      insertAlerts(db, syntheticAlerts(50, n + b * 50, 1000 + b));
      const t = performance.now();
      groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['process', 'host', 'user'] } });
      passes.push(performance.now() - t);
    }
    rows.push({ part: 'incidents', name: 'grouping pass of 50 new alerts (20 passes)', value: Math.round((percentile(passes, 50) * 1000) / 50), unit: 'µs/alert (p50)', notes: `pass p50 ${percentile(passes, 50).toFixed(1)} ms, p95 ${percentile(passes, 95).toFixed(1)} ms` });
    incidents = db.prepare('SELECT COUNT(*) FROM incidents').pluck().get() as number;
    token = benchSession(db, 'bench.lead', 'lead');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  rows.push(...(await overHttp(ctx, dir, token, n, incidents)));
  return rows;
}

async function overHttp(ctx: BenchContext, dir: string, token: string, alerts: number, incidents: number): Promise<BenchRow[]> {
  const root = process.cwd();
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (!fs.existsSync(path.join(root, distDir, 'BUILD_ID'))) throw new Error(`incidents bench: no production build in ${distDir} — run \`npx next build\` first`);
  const srv = await startServer(dir);
  const base = srv.base;
  const rows: BenchRow[] = [];
  try {
    const cookie = `gp_session=${token}`;
    const sorts = ['last_seen', 'severity', 'first_seen', 'alert_count', 'risk_score'];
    const pageCount = Math.max(1, Math.min(20, Math.ceil(incidents / 200)));
    // the home page's incident view: pages of 200, five sorts, some deep pages (offset)
    const queueUrl = (c: number, i: number) =>
      `/api/incidents?status=open,acknowledged&sort=${sorts[(c + i) % sorts.length]}&order=desc&limit=200&offset=${200 * ((c * 7 + i) % pageCount)}`;
    const groupsUrl = (c: number, i: number) => `/api/incidents/alert-groups?by=${['host', 'rule', 'user'][(c + i) % 3]}&status=open,acknowledged`;
    // the server's request path warmed up first (as api.ts explains: V8 tiers), not measured
    const warm = await load(base, cookie, queueUrl, 50);
    ctx.log(`incidents: warm-up ${warm.latencies.length + warm.errors} requests, ${warm.errors} errors${warm.firstError ? ` (${warm.firstError})` : ''}`);
    const measure = async (name: string, urls: (c: number, i: number) => string, writing: boolean, goal: boolean) => {
      const writer = writing ? startWriter(path.join(dir, 'app.db'), 'incident') : null;
      const cpu0 = srv.pid ? processTreeCpuMs(srv.pid) : NaN;
      // with writes, at least WRITING_PHASE_MS (~120 writes), so the pages rebuilt after them weigh in the p95
      const r = await load(base, cookie, urls, REQUESTS_PER_CLIENT, writing ? WRITING_PHASE_MS : 0);
      const writes = writer?.stop() ?? 0;
      // a write that failed (SQLITE_BUSY after the 5 s busy wait) counts as an error of the phase
      r.errors += writer?.failures.length ?? 0;
      r.firstError ??= writer?.failures[0] ?? null;
      const count = r.latencies.length;
      const cpu = ((srv.pid ? processTreeCpuMs(srv.pid) : NaN) - cpu0) / (count + r.errors);
      const notes = `${alerts} alerts in ${incidents} incidents, ${CLIENTS} concurrent clients, ${count + r.errors} requests, ${r.errors} errors${r.firstError ? ` (first: ${r.firstError})` : ''}${writing ? `, ${writes} writes` : ''}; p50 ${percentile(r.latencies, 50).toFixed(1)} ms; server CPU ${cpu.toFixed(2)} ms/request; load average ${os.loadavg()[0]!.toFixed(2)}`;
      ctx.log(`incidents: ${name}: p95 ${percentile(r.latencies, 95).toFixed(1)} ms; ${notes}`);
      rows.push({ part: 'incidents', name: `${name} p95`, value: Math.round(percentile(r.latencies, 95) * 10) / 10, unit: 'ms', ...(goal ? { goal: '<= 100' } : {}), notes });
      rows.push({ part: 'incidents', name: `${name} errors`, value: r.errors, unit: 'requests', goal: '0' });
    };
    await measure('incident queue GET /api/incidents, at rest', queueUrl, false, false);
    await measure(`incident queue GET /api/incidents, a write every ${WRITE_EVERY_MS} ms`, queueUrl, true, true);
    // each write moves the alert queue's version; a status filter's groups are read from the counts the triggers keep (migration 45)
    await measure(`alert groups GET /api/incidents/alert-groups, a write every ${WRITE_EVERY_MS} ms`, groupsUrl, true, true);
    return rows;
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- server stderr ---\n${srv.stderr()}`);
  } finally {
    await srv.stop();
  }
}
