import { stepIdSchema, stepPutSchema } from '@/lib/contracts/alerts';
import { claimsOnWork, getAlertOrThrow, guideStepOrThrow, setStepState } from '@/lib/cases';
import { json, parseJsonBody, parseWith, requireWork, withRoute } from '../../../../_lib/route';

// PUT /api/alerts/:id/steps/:stepId — done / not applicable (with reason) / open, note, owner.
// A state change carries the step version it was made on (stale → 409); a note or owner
// change never carries a state. Only steps of the alert's guide exist (else 404).
export const PUT = withRoute<{ id: string; stepId: string }>(
  async ({ req, params, actor, user }) => {
    const stepId = parseWith(stepIdSchema, params.stepId, 'stepId');
    const { expectedVersion, ...change } = await parseJsonBody(req, stepPutSchema);
    const alert = getAlertOrThrow(params.id);
    requireWork(user, alert.assignee);
    const step = guideStepOrThrow(alert, stepId);
    const section = step.section === 'response' ? 'response' : 'guide';
    const saved = setStepState(alert.id, stepId, { ...change, section }, { actor, expectedVersion, claim: user ? claimsOnWork(user.role) : false });
    return json({ step: saved });
  },
  { action: 'work' },
);
