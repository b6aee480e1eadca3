import { exceptionDecisionSchema } from '@/lib/contracts/rules';
import { decideException } from '@/lib/detection/exceptions';
import { ruleOrThrow } from '@/lib/server/rules';
import { json, parseJsonBody, signedIn, withRoute } from '../../../../_lib/route';

// POST /api/rules/:id/exceptions/:exceptionId — a lead or admin approves or rejects a proposed
// exception of this rule ({ decision: 'approve' | 'reject', note? }); approval puts it in force
// and closes the open alerts it matches when the proposal asked for that
export const POST = withRoute<{ id: string; exceptionId: string }>(async ({ req, params, user }) => {
  const body = await parseJsonBody(req, exceptionDecisionSchema);
  const rule = ruleOrThrow(params.id);
  const me = signedIn(user);
  return json(decideException(params.exceptionId, body, { actor: me.name, role: me.role, ruleId: rule.rule_id }));
}, { action: 'exception:approve' });
