import { splitRequestSchema } from '@/lib/contracts/incidents';
import { splitAlertsAs } from '@/lib/server/incident-work';
import { json, parseJsonBody, signedIn, withRoute } from '../../../_lib/route';

// POST /api/incidents/:id/split — split alerts off into a new incident (answers with the new one; audited)
export const POST = withRoute<{ id: string }>(
  async ({ req, params, user }) => {
    const body = await parseJsonBody(req, splitRequestSchema);
    return json({ incident: splitAlertsAs(signedIn(user), params.id, body.alertIds, body.expectedVersion) }, 201);
  },
  { action: 'work' },
);
