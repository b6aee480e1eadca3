import { stepPutSchema } from '@/lib/contracts/alerts';
import { setStepState } from '@/lib/cases';
import { json, parseJsonBody, withRoute } from '../../../../_lib/route';

// PUT /api/alerts/:id/steps/:stepId — done / not applicable (with reason) / open, note, owner
export const PUT = withRoute<{ id: string; stepId: string }>(async ({ req, params, actor }) => {
  const change = await parseJsonBody(req, stepPutSchema);
  return json({ step: setStepState(params.id, params.stepId, change, { actor }) });
});
