import { mergeRequestSchema } from '@/lib/contracts/incidents';
import { mergeIncidentsAs } from '@/lib/server/incident-work';
import { json, parseJsonBody, signedIn, withRoute } from '../../../_lib/route';

// POST /api/incidents/:id/merge — merge other incidents into this one (their alerts stay here; audited)
export const POST = withRoute<{ id: string }>(
  async ({ req, params, user }) => {
    const body = await parseJsonBody(req, mergeRequestSchema);
    return json({ incident: mergeIncidentsAs(signedIn(user), params.id, body.sources, body.expectedVersion) });
  },
  { action: 'work' },
);
