import { stepPutSchema } from '@/lib/contracts/alerts';
import { getAlertOrThrow, setStepState } from '@/lib/cases';
import { json, parseJsonBody, requireWork, withRoute } from '../../../../_lib/route';

// PUT /api/alerts/:id/steps/:stepId — done / not applicable (with reason) / open, note, owner
export const PUT = withRoute<{ id: string; stepId: string }>(
  async ({ req, params, actor, user }) => {
    const change = await parseJsonBody(req, stepPutSchema);
    requireWork(user, getAlertOrThrow(params.id).assignee);
    return json({ step: setStepState(params.id, params.stepId, change, { actor }) });
  },
  { action: 'work' },
);
