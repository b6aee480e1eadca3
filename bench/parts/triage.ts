/**
 * Triage bench: time to assemble the complete triage view (process tree with prevalence,
 * related alerts, activity, logons, file evidence, osquery, investigate plans) for 100
 * alerts of the seed rule on an embedded store of ctx.events events; p50 / p95.
 *
 * The store is built once from the generated events file into bench/out/triage-store and
 * reused while its event count matches. The alerts are the seed rule's first 100 hits. They
 * are written to an app.db of their own with ALERTS_AROUND other alerts spread over the same
 * time range, and related alerts are read the way the server reads them (lib/server/triage
 * listAlertsIn over SQLite), not filtered in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createEmbeddedSource, openEventStore } from '../../lib/events/embedded/store';
import type { EventSource } from '../../lib/events/types';
import { assembleTriage } from '../../lib/investigation/triage';
import { listAlertsIn } from '../../lib/server/triage';
import { closeDb, openAppDb, setDb } from '../../lib/store/db';
import { insertAlerts } from '../../lib/store/alerts';
import { buildGuide } from '../../lib/rules/guide';
import type { BenchContext, BenchRow } from '../types';
import { percentile } from './api';
import { alertOfHit, ensureEventStore, seedRuleHits } from '../seed-rule';

const ALERTS = 100;
/** Other alerts in the app database around the measured ones (the related-alerts query reads past them). */
const ALERTS_AROUND = Number(process.env.BENCH_TRIAGE_ALERTS_AROUND ?? 20_000);

function peakMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const dir = path.join(ctx.outDir, 'triage-store');
  await ensureEventStore(ctx, dir, 'triage');
  const store = openEventStore({ dataDir: dir });
  try {
    const source = createEmbeddedSource(store);
    const { rule, events, window } = await seedRuleHits(store, ALERTS);
    const guide = buildGuide(rule.note ?? '');
    const alerts = events.map((e, i) => alertOfHit(e, rule, `bench-${i}`, 'bench'));
    // the production path for related alerts: an app.db of its own, read by listAlertsIn
    const appDir = path.join(ctx.outDir, 'triage-app');
    fs.rmSync(appDir, { recursive: true, force: true });
    fs.mkdirSync(appDir, { recursive: true });
    const appDb = setDb(openAppDb(path.join(appDir, 'app.db')));
    const t0 = Date.parse(window.from);
    const span = Math.max(1, Date.parse(window.to) - t0);
    const around = Array.from({ length: ALERTS_AROUND }, (_, i) => {
      const a = alerts[i % alerts.length]!;
      const ts = new Date(t0 + Math.floor((i * 7919) % span)).toISOString();
      return { ...a, id: `around-${i}`, dedupKey: `around-${i}`, timestamp: ts, createdAt: ts, hostName: `host-${i % 500}`, userName: `user-${i % 300}`, processEntityId: `around-${i}` };
    });
    appDb.transaction(() => insertAlerts(appDb, [...alerts, ...around])).immediate();
    const listAlerts = listAlertsIn;

    // warm-up (statement cache, JIT)
    await assembleTriage(alerts[0], { source, listAlerts, guide });
    const ms: number[] = [];
    const parts: Record<string, number[]> = {};
    let treeNodes = 0;
    let activityEvents = 0;
    for (const a of alerts) {
      const t0 = performance.now();
      const ev = await assembleTriage(a, { source, listAlerts, guide });
      ms.push(performance.now() - t0);
      if (ev.errors.length > 0) throw new Error(`triage of ${a.id}: ${ev.errors.map((e) => `${e.part}: ${e.message}`).join('; ')}`);
      for (const [k, v] of Object.entries(ev.timings)) (parts[k] ??= []).push(v);
      treeNodes += (ev.processTree?.ancestors.length ?? 0) + 1 + (ev.processTree?.descendants.length ?? 0);
      activityEvents += ev.activity?.total ?? 0;
    }
    // the same without the logon query, to show what the rest costs (the embedded
    // authenticationEvents has no host index and scans the table: see the report)
    const noLogons: EventSource = {
      kind: source.kind,
      eqlSearch: (r) => source.eqlSearch(r),
      getEvents: (r) => source.getEvents(r),
      findProcessesByEntityIds: (r) => source.findProcessesByEntityIds(r),
      childProcesses: (r) => source.childProcesses(r),
      entityEvents: (r) => source.entityEvents(r),
      authenticationEvents: async () => ({ items: [], truncated: false }),
      executablePrevalence: (r) => source.executablePrevalence(r),
      health: () => source.health(),
    };
    const msNoLogons: number[] = [];
    for (const a of alerts) {
      const t0 = performance.now();
      await assembleTriage(a, { source: noLogons, listAlerts, guide });
      msNoLogons.push(performance.now() - t0);
    }
    const partP95 = Object.entries(parts)
      .map(([k, v]) => `${k} ${percentile(v, 95).toFixed(0)}`)
      .join(', ');
    const common = {
      part: 'triage',
      unit: 'ms',
      goal: '<= 300',
      peakMemoryMiB: Math.round(peakMiB()),
    };
    const n = store.count().toLocaleString('en');
    return [
      {
        ...common,
        name: `assemble the full triage view, ${alerts.length} seed-rule alerts, ${n} stored events: p50`,
        value: Math.round(percentile(ms, 50)),
        goal: undefined,
        notes: `mean ${(ms.reduce((x, y) => x + y, 0) / ms.length).toFixed(0)} ms; ${(treeNodes / alerts.length).toFixed(1)} tree nodes and ${(activityEvents / alerts.length).toFixed(0)} activity events per alert`,
      },
      {
        ...common,
        name: `assemble the full triage view, ${alerts.length} seed-rule alerts, ${n} stored events: p95`,
        value: Math.round(percentile(ms, 95)),
        notes: `p95 per part (ms, parts overlap): ${partP95}`,
      },
      {
        ...common,
        name: `the same without the logons query (embedded authenticationEvents): p95`,
        value: Math.round(percentile(msNoLogons, 95)),
        notes: `p50 ${percentile(msNoLogons, 50).toFixed(0)} ms`,
      },
    ];
  } finally {
    store.close();
    closeDb();
  }
}
