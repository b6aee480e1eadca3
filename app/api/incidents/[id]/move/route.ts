import { moveRequestSchema } from '@/lib/contracts/incidents';
import { moveAlert } from '@/lib/incidents/manual';
import { membershipOf } from '@/lib/store/incidents';
import { getDb } from '@/lib/store/db';
import { json, parseJsonBody, RouteError, withRoute } from '../../../_lib/route';
import { requireIncidentWork } from '../../_auth';

// POST /api/incidents/:id/move — move one of its alerts into another incident (audited on both)
export const POST = withRoute<{ id: string }>(
  async ({ req, params, actor, user }) => {
    const body = await parseJsonBody(req, moveRequestSchema);
    const source = requireIncidentWork(user, params.id);
    const target = requireIncidentWork(user, body.to);
    if (membershipOf(getDb(), body.alertId)?.incidentId !== source.id) throw new RouteError('invalid_request', `alertId: alert ${body.alertId} is not in incident ${source.id}`);
    return json({ incident: moveAlert(body.alertId, target.id, { actor }) });
  },
  { action: 'work' },
);
