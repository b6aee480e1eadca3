import { stepIdSchema, stepPutSchema } from '@/lib/contracts/alerts';
import { setStepAs } from '@/lib/cases';
import { json, parseJsonBody, parseWith, signedIn, withRoute } from '../../../../_lib/route';

// PUT /api/alerts/:id/steps/:stepId — done / not applicable (with reason) / open, note, owner.
// A state change carries the step version it was made on (stale → 409); a note or owner
// change never carries a state. Only steps of the alert's guide exist (else 404).
export const PUT = withRoute<{ id: string; stepId: string }>(
  async ({ req, params, user }) => {
    const stepId = parseWith(stepIdSchema, params.stepId, 'stepId');
    const { expectedVersion, ...change } = await parseJsonBody(req, stepPutSchema);
    return json({ step: setStepAs(signedIn(user), params.id, stepId, change, expectedVersion) });
  },
  { action: 'work' },
);
