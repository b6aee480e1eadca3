import { backfillRequestSchema } from '@/lib/contracts/rules';
import { backfillRule, latestBackfillOf } from '@/lib/server/rules';
import { json, parseJsonBody, withRoute } from '../../../_lib/route';

// POST /api/rules/:id/backfill — run the rule over a past range in chunks (progress via GET)
export const POST = withRoute<{ id: string }>(async ({ req, params }) => {
  const range = await parseJsonBody(req, backfillRequestSchema);
  return json(backfillRule(params.id, range), 202);
}, { action: 'rules:manage' });

// GET /api/rules/:id/backfill — the rule's latest backfill (null when none since the server started)
export const GET = withRoute<{ id: string }>(({ params }) => json(latestBackfillOf(params.id)));
