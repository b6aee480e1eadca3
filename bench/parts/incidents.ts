/**
 * Incidents: the grouping's cost per alert (one backfill pass over N alerts, then new alerts
 * arriving 50 at a time) and the incident queue's page latency, on an app.db file of
 * synthetic alerts (hosts, users, process trees and an alert storm, spread over 30 days).
 * BENCH_INCIDENT_ALERTS sets N (default 100,000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAppDb } from '../../lib/store/db';
import { insertAlerts, type NewAlert } from '../../lib/store/alerts';
import { groupUngroupedAlerts } from '../../lib/incidents/grouping';
import { listIncidents } from '../../lib/incidents/service';
import type { BenchContext, BenchRow } from '../types';

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
      assignee: null,
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

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_INCIDENT_ALERTS ?? 100_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bench-incidents-'));
  const db = openAppDb(path.join(dir, 'app.db'));
  const rows: BenchRow[] = [];
  try {
    ctx.log(`incidents: inserting ${n} alerts…`);
    for (let i = 0; i < n; i += 5000) db.transaction(() => insertAlerts(syntheticAlerts(Math.min(5000, n - i), i, 7 + i), db))();
    const t0 = performance.now();
    const report = groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['process', 'host', 'user'] } });
    const backfillMs = performance.now() - t0;
    const incidents = db.prepare('SELECT COUNT(*) FROM incidents').pluck().get() as number;
    rows.push({ part: 'incidents', name: `grouping backfill, ${n} alerts`, value: Math.round((backfillMs * 1000) / n), unit: 'µs/alert', notes: `${report.grouped} grouped into ${incidents} incidents in ${Math.round(backfillMs)} ms` });

    const passes: number[] = [];
    for (let b = 0; b < 20; b++) {
      insertAlerts(syntheticAlerts(50, n + b * 50, 1000 + b), db);
      const t = performance.now();
      groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['process', 'host', 'user'] } });
      passes.push(performance.now() - t);
    }
    rows.push({ part: 'incidents', name: 'grouping pass of 50 new alerts (20 passes)', value: Math.round((percentile(passes, 50) * 1000) / 50), unit: 'µs/alert (p50)', notes: `pass p50 ${percentile(passes, 50).toFixed(1)} ms, p95 ${percentile(passes, 95).toFixed(1)} ms` });

    const pages: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      listIncidents({ status: ['open', 'acknowledged'], sort: i % 2 ? 'severity' : 'last_seen', limit: 100, offset: (i % 10) * 100 }, db);
      pages.push(performance.now() - t);
    }
    rows.push({ part: 'incidents', name: `incident queue page (100 rows, ${incidents} incidents)`, value: Number(percentile(pages, 95).toFixed(2)), unit: 'ms (p95)', notes: `p50 ${percentile(pages, 50).toFixed(2)} ms`, goal: '<= 100' });
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
