import { exceptionDecisionSchema } from '@/lib/contracts/rules';
import { getRule } from '@/lib/detection/rules';
import { decideException } from '@/lib/detection/exceptions';
import { json, parseJsonBody, RouteError, withRoute } from '../../../../_lib/route';

// POST /api/rules/:id/exceptions/:exceptionId — a lead or admin approves or rejects a proposed
// exception of this rule ({ decision: 'approve' | 'reject', note? }); approval puts it in force
// and closes the open alerts it matches when the proposal asked for that
export const POST = withRoute<{ id: string; exceptionId: string }>(async ({ req, params, actor, user }) => {
  const body = await parseJsonBody(req, exceptionDecisionSchema);
  if (!getRule(params.id)) throw new RouteError('not_found', `no rule with rule_id ${params.id}`);
  if (!user) throw new RouteError('unauthorized', 'sign in first');
  return json(decideException(params.exceptionId, body, { actor, role: user.role, ruleId: params.id }));
}, { action: 'exception:approve' });
