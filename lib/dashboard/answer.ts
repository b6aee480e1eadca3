import 'server-only';
import type { z } from 'zod';
import { periodHours, type dashboardQuerySchema } from '../contracts/dashboard';
import { guideStepsOf } from '../cases';
import { alertWorkers } from '../auth/users';
import { getDb, type AppDb } from '../store/db';
import { cached, dataVersion, JsonBody, lifecycleVersion, queueVersion } from '../store/answer-cache';
import { computeDashboardCounts, computeDashboardPeriod, computeDashboardProgress, mergeDashboard, mergeDashboardNow } from './metrics';

/**
 * Any change of the app database recomputes at once; without changes only the ages and SLA
 * overdue minutes move, so the answer may be up to a minute old (the page refetches every 5 s;
 * an unchanged database answers from the cache).
 * The figures of now are shared by every period and kept in two parts: the progress (per
 * analyst, the open investigations) is recomputed on any change; the counts (by status,
 * severity, age, SLA breaches) only when a column the queue lists changes (migration 10). A
 * period's figures only when an alert's lifecycle changes (acknowledged, closed, reassigned,
 * deleted, or created already acknowledged or closed: a new open alert changes none of them,
 * migration 48). So a ticked checklist step recomputes the progress alone.
 */
const DASHBOARD_MAX_AGE_MS = 60_000;

/** The team-lead dashboard for a period (or from/to), as JSON kept in the answer cache. */
export function dashboardAnswer(q: z.infer<typeof dashboardQuerySchema>, db: AppDb, at = Date.now()): JsonBody {
  const slot = q.from && q.to ? `${q.from}|${q.to}` : q.period;
  const version = dataVersion(db);
  return cached(`dashboard|${slot}`, version, () => {
    const counts = cached('dashboard-counts', queueVersion(db), () => computeDashboardCounts({ now: new Date(at), db }), at, DASHBOARD_MAX_AGE_MS);
    const progress = cached('dashboard-progress', version, () => computeDashboardProgress({ now: new Date(at), stepsTotal: stepsTotalOnce(), db }), at, DASHBOARD_MAX_AGE_MS);
    const figures = cached(`dashboard-period|${slot}`, lifecycleVersion(db), () => {
      const period =
        q.from && q.to
          ? { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() }
          : { from: new Date(at - periodHours[q.period] * 3_600_000).toISOString(), to: new Date(at).toISOString() };
      return computeDashboardPeriod({ period, db });
    }, at, DASHBOARD_MAX_AGE_MS);
    return new JsonBody(JSON.stringify(mergeDashboard(mergeDashboardNow(counts, progress), figures, alertWorkers(getDb()))));
  }, at, DASHBOARD_MAX_AGE_MS);
}

/**
 * Steps per rule version (an alert keeps the guide of the version that raised it), counted once
 * per version and computation (the guide model is parsed once per rule version).
 */
function stepsTotalOnce(): (ruleId: string, ruleVersion: number) => number {
  const totals = new Map<string, number>();
  return (ruleId, ruleVersion) => {
    const key = `${ruleId}\u0000${ruleVersion}`;
    let n = totals.get(key);
    if (n === undefined) totals.set(key, (n = guideStepsOf(ruleId, ruleVersion).length));
    return n;
  };
}
