import { dashboardQuerySchema, periodHours } from '@/lib/contracts/dashboard';
import { computeDashboard } from '@/lib/dashboard/metrics';
import { guideStepsOf } from '@/lib/cases';
import { json, parseSearchParams, withRoute } from '../_lib/route';

// GET /api/dashboard?period=7d (or from=&to=) — the team-lead dashboard's figures (lead+)
export const GET = withRoute(
  ({ req }) => {
    const q = parseSearchParams(req, dashboardQuerySchema);
    const now = new Date();
    const period =
      q.from && q.to
        ? { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() }
        : { from: new Date(now.getTime() - periodHours[q.period] * 3_600_000).toISOString(), to: now.toISOString() };
    return json(computeDashboard({ period, now, stepsTotal: (ruleId) => guideStepsOf(ruleId).length }));
  },
  { action: 'dashboard' },
);
