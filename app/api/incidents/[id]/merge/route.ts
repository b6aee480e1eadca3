import { mergeRequestSchema } from '@/lib/contracts/incidents';
import { mergeIncidents } from '@/lib/incidents/manual';
import { json, parseJsonBody, withRoute } from '../../../_lib/route';
import { requireIncidentWork } from '@/lib/server/incident-work';

// POST /api/incidents/:id/merge — merge other incidents into this one (their alerts stay here; audited)
export const POST = withRoute<{ id: string }>(
  async ({ req, params, actor, user }) => {
    const body = await parseJsonBody(req, mergeRequestSchema);
    const target = requireIncidentWork(user, params.id);
    for (const s of body.sources) requireIncidentWork(user, s);
    return json({ incident: mergeIncidents(target.id, body.sources, { actor, expectedVersion: body.expectedVersion }) });
  },
  { action: 'work' },
);
