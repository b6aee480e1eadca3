import { dashboardQuerySchema, periodHours } from '@/lib/contracts/dashboard';
import { computeDashboardCounts, computeDashboardPeriod, computeDashboardProgress, mergeDashboard, mergeDashboardNow } from '@/lib/dashboard/metrics';
import { guideStepsOf } from '@/lib/cases';
import { getDb } from '@/lib/store/db';
import { alertWorkers } from '@/lib/auth/users';
import { parseSearchParams, withRoute } from '../_lib/route';
import { cached, dataVersion, jsonAnswer, JsonBody, lifecycleVersion, queueVersion } from '../_lib/answer-cache';

/**
 * Any change of the app database recomputes at once; without changes only the ages and SLA
 * overdue minutes move, so the answer may be up to a minute old (the page refetches every 5 s;
 * an unchanged database answers from the cache).
 * The figures of now are shared by every period and kept in two parts: the progress (per
 * analyst, the open investigations) is recomputed on any change; the counts (by status,
 * severity, age, SLA breaches) only when a column the queue lists changes (migration 10). A
 * period's figures only when an alert's lifecycle changes (created, acknowledged, closed,
 * reassigned, deleted). So a ticked checklist step recomputes the progress alone.
 */
const DASHBOARD_MAX_AGE_MS = 60_000;

// always per request (documented route segment config): Next then hands the handler the request
// itself, not a proxy that records every read of its URL and headers for static rendering
export const dynamic = 'force-dynamic';

// GET /api/dashboard?period=7d (or from=&to=) — the team-lead dashboard's figures (lead+)
export const GET = withRoute(
  ({ req }) => {
    const q = parseSearchParams(req, dashboardQuerySchema);
    const db = getDb();
    const slot = q.from && q.to ? `${q.from}|${q.to}` : q.period;
    const version = dataVersion(db);
    const at = Date.now();
    return jsonAnswer(
      cached(`dashboard|${slot}`, version, () => {
        const counts = cached('dashboard-counts', queueVersion(db), () => computeDashboardCounts({ now: new Date(at), db }), at, DASHBOARD_MAX_AGE_MS);
        const progress = cached('dashboard-progress', version, () => {
          // steps per rule version (an alert keeps the guide of the version that raised it), once
          // per version and computation (the guide model is parsed once per rule version)
          const totals = new Map<string, number>();
          const stepsTotal = (ruleId: string, ruleVersion: number) => {
            const key = `${ruleId}\u0000${ruleVersion}`;
            let n = totals.get(key);
            if (n === undefined) totals.set(key, (n = guideStepsOf(ruleId, ruleVersion).length));
            return n;
          };
          return computeDashboardProgress({ now: new Date(at), stepsTotal, db });
        }, at, DASHBOARD_MAX_AGE_MS);
        const current = mergeDashboardNow(counts, progress);
        const figures = cached(`dashboard-period|${slot}`, lifecycleVersion(db), () => {
          const period =
            q.from && q.to
              ? { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() }
              : { from: new Date(at - periodHours[q.period] * 3_600_000).toISOString(), to: new Date(at).toISOString() };
          return computeDashboardPeriod({ period, db });
        }, at, DASHBOARD_MAX_AGE_MS);
        return new JsonBody(JSON.stringify(mergeDashboard(current, figures, alertWorkers())));
      }, at, DASHBOARD_MAX_AGE_MS),
    );
  },
  { action: 'dashboard' },
);
