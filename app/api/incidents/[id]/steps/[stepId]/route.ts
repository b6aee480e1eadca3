import { incidentStepPutSchema } from '@/lib/contracts/incidents';
import { setIncidentStep } from '@/lib/incidents/manual';
import { RESPONSE_STEPS, type ResponseStepId } from '@/lib/incidents/steps';
import { getUserByName } from '@/lib/auth';
import { json, parseJsonBody, RouteError, withRoute } from '../../../../_lib/route';
import { requireIncidentWork } from '../../../_auth';

// PUT /api/incidents/:id/steps/:stepId — a response step's state, owner and note (audited)
export const PUT = withRoute<{ id: string; stepId: string }>(
  async ({ req, params, actor, user }) => {
    if (!(RESPONSE_STEPS as readonly string[]).includes(params.stepId)) {
      throw new RouteError('not_found', `step '${params.stepId}' is not a response step (${RESPONSE_STEPS.join(', ')})`);
    }
    const body = await parseJsonBody(req, incidentStepPutSchema);
    const inc = requireIncidentWork(user, params.id);
    if (body.owner) {
      const owner = getUserByName(body.owner);
      if (!owner || owner.disabled) throw new RouteError('invalid_request', `owner: no active user '${body.owner}'`);
      body.owner = owner.name;
    }
    return json({ steps: setIncidentStep(inc.id, params.stepId as ResponseStepId, body, { actor }) });
  },
  { action: 'work' },
);
