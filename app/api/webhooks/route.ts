import { webhookCreateSchema } from '@/lib/contracts/incidents';
import { createWebhook, listWebhooks, publicWebhook } from '@/lib/notifications/store';
import { appendAudit } from '@/lib/store/audit';
import { json, parseJsonBody, withRoute } from '../_lib/route';

// GET /api/webhooks — the incident webhooks (admins; secrets are never listed)
export const GET = withRoute(() => json({ items: listWebhooks().map(publicWebhook) }), { action: 'webhooks:manage' });

// POST /api/webhooks — add one; the answer carries its signing secret, shown this once
export const POST = withRoute(
  async ({ req, actor }) => {
    const body = await parseJsonBody(req, webhookCreateSchema);
    const hook = createWebhook(body, actor);
    appendAudit({ actor, entity: 'webhook', entityId: hook.id, action: 'create', after: publicWebhook(hook) });
    return json({ webhook: publicWebhook(hook), secret: hook.secret }, 201);
  },
  { action: 'webhooks:manage' },
);
