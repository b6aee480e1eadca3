import { bulkAssignSchema } from '@/lib/contracts/assign';
import { assignAlerts } from '@/lib/cases';
import { json, parseJsonBody, signedIn, withRoute } from '../../_lib/route';

// POST /api/alerts/assign {items: [{id, expectedVersion}], assignee} — assign many alerts through the
// same policy and version check as PATCH /api/alerts/:id, one by one; a refusal does not stop the rest
export const POST = withRoute(
  async ({ req, user }) => {
    const { items, assignee } = await parseJsonBody(req, bulkAssignSchema);
    return json(assignAlerts(signedIn(user), items, assignee));
  },
  { action: 'work' },
);
