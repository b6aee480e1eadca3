import { ruleRunRequestSchema } from '@/lib/contracts/rules';
import { runRuleNow } from '@/lib/server/rules';
import { json, parseJsonBody, withRoute } from '../../../_lib/route';

// POST /api/rules/:id/run — run the rule now over its look-back window (or the given one)
export const POST = withRoute<{ id: string }>(async ({ req, params }) => {
  const body = await parseJsonBody(req, ruleRunRequestSchema);
  return json(await runRuleNow(params.id, body));
}, { action: 'rules:manage' });
