import { exceptionCreateSchema, exceptionDeleteQuerySchema } from '@/lib/contracts/rules';
import { createException, listExceptions, removeException } from '@/lib/detection/exceptions';
import { ruleOrThrow } from '@/lib/server/rules';
import { json, parseJsonBody, parseSearchParams, signedIn, withRoute } from '../../../_lib/route';

// GET /api/rules/:id/exceptions — the rule's exceptions (proposals, approved, rejected), oldest first
export const GET = withRoute<{ id: string }>(({ params }) => json({ items: listExceptions(ruleOrThrow(params.id).rule_id) }));

// POST /api/rules/:id/exceptions — an analyst proposes an exception (a lead approves it); a
// lead's or admin's is in force at once (and may close the open alerts it matches)
export const POST = withRoute<{ id: string }>(async ({ req, params, user }) => {
  const body = await parseJsonBody(req, exceptionCreateSchema);
  const rule = ruleOrThrow(params.id);
  const me = signedIn(user);
  return json(createException({ ...body, ruleId: rule.rule_id }, { actor: me.name, role: me.role }), 201);
}, { action: 'exception:create' });

// DELETE /api/rules/:id/exceptions?exceptionId=… — remove one exception of THIS rule
export const DELETE = withRoute<{ id: string }>(({ req, params, actor }) => {
  const { exceptionId } = parseSearchParams(req, exceptionDeleteQuerySchema);
  removeException(exceptionId, { actor, ruleId: ruleOrThrow(params.id).rule_id });
  return json({ deleted: true });
}, { action: 'exception:delete' });
