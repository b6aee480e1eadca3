import { incidentPatchSchema } from '@/lib/contracts/incidents';
import { canWorkAlert } from '@/lib/auth';
import { updateIncident } from '@/lib/incidents/manual';
import { incidentDetail } from '@/lib/incidents/service';
import { json, parseJsonBody, withRoute } from '../../_lib/route';
import { checkAssignee, requireIncidentWork } from '@/lib/server/incident-work';

// GET /api/incidents/:id — the incident, its alerts (storms collapsed), entities, checklist, history (an absorbed id answers with the incident that absorbed it)
export const GET = withRoute<{ id: string }>(({ params }) => json(incidentDetail(params.id)));

// PATCH /api/incidents/:id — status, assignee, or close with one verdict and note (closes its open alerts)
export const PATCH = withRoute<{ id: string }>(
  async ({ req, params, actor, user }) => {
    const { expectedVersion, ...change } = await parseJsonBody(req, incidentPatchSchema);
    const current = requireIncidentWork(user, params.id);
    if (change.assignee !== undefined && user) change.assignee = checkAssignee(user, current.assignee, change.assignee);
    return json(updateIncident(current.id, change, { actor, expectedVersion, mayCloseAlertOf: (a) => !!user && canWorkAlert(user, a) }));
  },
  { action: 'work' },
);
