import { dashboardQuerySchema } from '@/lib/contracts/dashboard';
import { dashboardAnswer } from '@/lib/dashboard/answer';
import { jsonAnswer } from '@/lib/store/answer-cache';
import { getDb } from '@/lib/store/db';
import { parseSearchParams, withRoute } from '../_lib/route';

// always per request (documented route segment config): Next then hands the handler the request
// itself, not a proxy that records every read of its URL and headers for static rendering
export const dynamic = 'force-dynamic';

// GET /api/dashboard?period=7d (or from=&to=) — the team-lead dashboard's figures (lead+), cached until the data changes (lib/dashboard/answer)
export const GET = withRoute(({ req }) => jsonAnswer(dashboardAnswer(parseSearchParams(req, dashboardQuerySchema), getDb())), { action: 'dashboard' });
