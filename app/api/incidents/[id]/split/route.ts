import { splitRequestSchema } from '@/lib/contracts/incidents';
import { splitAlerts } from '@/lib/incidents/manual';
import { json, parseJsonBody, withRoute } from '../../../_lib/route';
import { requireIncidentWork } from '@/lib/server/incident-work';

// POST /api/incidents/:id/split — split alerts off into a new incident (answers with the new one; audited)
export const POST = withRoute<{ id: string }>(
  async ({ req, params, actor, user }) => {
    const body = await parseJsonBody(req, splitRequestSchema);
    const source = requireIncidentWork(user, params.id);
    return json({ incident: splitAlerts(source.id, body.alertIds, { actor, expectedVersion: body.expectedVersion }) }, 201);
  },
  { action: 'work' },
);
