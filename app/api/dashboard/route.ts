import { dashboardQuerySchema, periodHours } from '@/lib/contracts/dashboard';
import { computeDashboard } from '@/lib/dashboard/metrics';
import { guideStepsOf } from '@/lib/cases';
import { getDb } from '@/lib/store/db';
import { parseSearchParams, withRoute } from '../_lib/route';
import { cached, dataVersion, jsonAnswer, JsonBody } from './cache';

/**
 * Any change of the app database recomputes at once; without changes only the ages and SLA
 * overdue minutes move, so the answer may be up to a minute old (the page refetches every 30 s).
 */
const DASHBOARD_MAX_AGE_MS = 60_000;

// GET /api/dashboard?period=7d (or from=&to=) — the team-lead dashboard's figures (lead+)
export const GET = withRoute(
  ({ req }) => {
    const q = parseSearchParams(req, dashboardQuerySchema);
    const db = getDb();
    const slot = q.from && q.to ? `${q.from}|${q.to}` : q.period;
    return jsonAnswer(
      cached(slot, dataVersion(db), () => {
        const now = new Date();
        const period =
          q.from && q.to
            ? { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() }
            : { from: new Date(now.getTime() - periodHours[q.period] * 3_600_000).toISOString(), to: now.toISOString() };
        // steps per rule, once per rule and request (the guide model is parsed once per rule version)
        const totals = new Map<string, number>();
        const stepsTotal = (ruleId: string) => {
          let n = totals.get(ruleId);
          if (n === undefined) totals.set(ruleId, (n = guideStepsOf(ruleId).length));
          return n;
        };
        return new JsonBody(JSON.stringify(computeDashboard({ period, now, stepsTotal, db })));
      }, Date.now(), DASHBOARD_MAX_AGE_MS),
    );
  },
  { action: 'dashboard' },
);
