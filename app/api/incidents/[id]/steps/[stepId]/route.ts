import { incidentStepPutSchema } from '@/lib/contracts/incidents';
import { responseStepOrThrow, setIncidentStepAs } from '@/lib/server/incident-work';
import { json, parseJsonBody, signedIn, withRoute } from '../../../../_lib/route';

// PUT /api/incidents/:id/steps/:stepId — a response step's state, owner and note (audited)
export const PUT = withRoute<{ id: string; stepId: string }>(
  async ({ req, params, user }) => {
    const stepId = responseStepOrThrow(params.stepId);
    const body = await parseJsonBody(req, incidentStepPutSchema);
    return json({ steps: setIncidentStepAs(signedIn(user), params.id, stepId, body) });
  },
  { action: 'work' },
);
