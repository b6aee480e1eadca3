import { incidentPatchSchema } from '@/lib/contracts/incidents';
import { incidentDetail } from '@/lib/incidents/service';
import { updateIncidentAs } from '@/lib/server/incident-work';
import { json, parseJsonBody, signedIn, withRoute } from '../../_lib/route';

// GET /api/incidents/:id — the incident, its alerts (storms collapsed), entities, checklist, history (an absorbed id answers with the incident that absorbed it)
export const GET = withRoute<{ id: string }>(({ params }) => json(incidentDetail(params.id)));

// PATCH /api/incidents/:id — status, assignee, or close with one verdict and note (closes the open alerts the user may work)
export const PATCH = withRoute<{ id: string }>(
  async ({ req, params, user }) => {
    const { expectedVersion, ...change } = await parseJsonBody(req, incidentPatchSchema);
    return json(updateIncidentAs(signedIn(user), params.id, change, expectedVersion));
  },
  { action: 'work' },
);
