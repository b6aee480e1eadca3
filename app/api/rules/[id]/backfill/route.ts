import { backfillRequestSchema } from '@/lib/contracts/rules';
import { getRule } from '@/lib/detection/rules';
import { listBackfills, startBackfill } from '@/lib/detection/backfill';
import { getEventSource } from '@/lib/events';
import { json, parseJsonBody, RouteError, withRoute } from '../../../_lib/route';

// POST /api/rules/:id/backfill — run the rule over a past range in chunks (progress via GET)
export const POST = withRoute<{ id: string }>(async ({ req, params }) => {
  const range = await parseJsonBody(req, backfillRequestSchema);
  const rule = getRule(params.id);
  if (!rule) throw new RouteError('not_found', `no rule with rule_id ${params.id}`);
  return json({ backfill: startBackfill([rule], range, { source: getEventSource(), trigger: 'backfill' }) }, 202);
}, { action: 'rules:manage' });

// GET /api/rules/:id/backfill — the rule's latest backfill (null when none since the server started)
export const GET = withRoute<{ id: string }>(({ params }) => {
  return json({ backfill: listBackfills().find((b) => b.ruleIds.includes(params.id)) ?? null });
});
