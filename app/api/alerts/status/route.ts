import { bulkStatusSchema } from '@/lib/contracts/bulk-status';
import { changeAlertsStatusAs } from '@/lib/cases';
import { json, parseJsonBody, signedIn, withRoute } from '../../_lib/route';

// POST /api/alerts/status {items: [{id, expectedVersion}], status, verdict?, note?} — the queue's bulk
// acknowledge / close: each alert through the same policy, workflow and version check as
// PATCH /api/alerts/:id (and audited alike); a refusal does not stop the rest
export const POST = withRoute(
  async ({ req, user }) => {
    const { items, ...change } = await parseJsonBody(req, bulkStatusSchema);
    return json(changeAlertsStatusAs(signedIn(user), items, change));
  },
  { action: 'work' },
);
