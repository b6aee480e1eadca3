import { webhookCreateSchema } from '@/lib/contracts/incidents';
import { listWebhooks, publicWebhook } from '@/lib/incidents/notify/store';
import { addWebhook } from '@/lib/server/webhooks';
import { json, parseJsonBody, withRoute } from '../_lib/route';

// GET /api/webhooks — the incident webhooks (admins; secrets are never listed)
export const GET = withRoute(() => json({ items: listWebhooks().map(publicWebhook) }), { action: 'webhooks:manage' });

// POST /api/webhooks — add one (audited); the answer carries its signing secret, shown this once
export const POST = withRoute(
  async ({ req, actor }) => {
    const body = await parseJsonBody(req, webhookCreateSchema);
    return json(addWebhook(body, actor), 201);
  },
  { action: 'webhooks:manage' },
);
