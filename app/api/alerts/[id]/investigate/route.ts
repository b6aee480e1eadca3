import { investigateRequestSchema } from '@/lib/contracts/evidence';
import { investigateStep } from '@/lib/server/evidence';
import { json, parseJsonBody, withRoute } from '../../../_lib/route';

// POST /api/alerts/:id/investigate — run a guide step's investigate block around the alert time
export const POST = withRoute<{ id: string }>(async ({ req, params }) => {
  const { stepId, index } = await parseJsonBody(req, investigateRequestSchema);
  return json(await investigateStep(params.id, stepId, index));
});
