import { saveViewBodySchema } from '@/lib/incidents/queue-contracts';
import { savedViews, saveView } from '@/lib/incidents/views';
import { json, parseJsonBody, withRoute } from '../../_lib/route';

// GET /api/incidents/views — the signed-in user's saved queue views and the shared default
export const GET = withRoute(({ actor }) => json(savedViews(actor)));

// POST /api/incidents/views — save (or replace by name) one of the user's own views
export const POST = withRoute(async ({ req, actor }) => {
  const body = await parseJsonBody(req, saveViewBodySchema);
  return json(saveView(actor, body));
});
