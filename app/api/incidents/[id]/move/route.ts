import { moveRequestSchema } from '@/lib/contracts/incidents';
import { moveAlertAs } from '@/lib/server/incident-work';
import { json, parseJsonBody, signedIn, withRoute } from '../../../_lib/route';

// POST /api/incidents/:id/move — move one of its alerts into another incident (audited on both)
export const POST = withRoute<{ id: string }>(
  async ({ req, params, user }) => {
    const body = await parseJsonBody(req, moveRequestSchema);
    return json({ incident: moveAlertAs(signedIn(user), params.id, body.alertId, body.to) });
  },
  { action: 'work' },
);
