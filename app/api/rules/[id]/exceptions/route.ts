import { exceptionCreateSchema, exceptionDeleteQuerySchema } from '@/lib/contracts/rules';
import { getRule } from '@/lib/detection/rules';
import { createException, listExceptions, removeException } from '@/lib/detection/exceptions';
import { json, parseJsonBody, parseSearchParams, RouteError, withRoute } from '../../../_lib/route';

function ruleOrThrow(id: string) {
  const rule = getRule(id);
  if (!rule) throw new RouteError('not_found', `no rule with rule_id ${id}`);
  return rule;
}

// GET /api/rules/:id/exceptions — the rule's exceptions (proposals, approved, rejected), oldest first
export const GET = withRoute<{ id: string }>(({ params }) => {
  ruleOrThrow(params.id);
  return json({ items: listExceptions(params.id) });
});

// POST /api/rules/:id/exceptions — an analyst proposes an exception (a lead approves it); a
// lead's or admin's is in force at once (and may close the open alerts it matches)
export const POST = withRoute<{ id: string }>(async ({ req, params, actor, user }) => {
  const body = await parseJsonBody(req, exceptionCreateSchema);
  ruleOrThrow(params.id);
  if (!user) throw new RouteError('unauthorized', 'sign in first');
  return json(createException({ ...body, ruleId: params.id }, { actor, role: user.role }), 201);
}, { action: 'exception:create' });

// DELETE /api/rules/:id/exceptions?exceptionId=… — remove one exception of THIS rule
export const DELETE = withRoute<{ id: string }>(({ req, params, actor }) => {
  const { exceptionId } = parseSearchParams(req, exceptionDeleteQuerySchema);
  ruleOrThrow(params.id);
  removeException(exceptionId, { actor, ruleId: params.id });
  return json({ deleted: true });
}, { action: 'exception:delete' });
