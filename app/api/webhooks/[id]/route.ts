import { webhookPatchSchema } from '@/lib/contracts/incidents';
import { changeWebhook, removeWebhook } from '@/lib/server/webhooks';
import { json, parseJsonBody, withRoute } from '../../_lib/route';

// PATCH /api/webhooks/:id — change name, address, format, events, severity, enabled (admins; audited)
export const PATCH = withRoute<{ id: string }>(
  async ({ req, params, actor }) => {
    const patch = await parseJsonBody(req, webhookPatchSchema);
    return json(changeWebhook(params.id, patch, actor));
  },
  { action: 'webhooks:manage' },
);

// DELETE /api/webhooks/:id — remove it and its deliveries (audited)
export const DELETE = withRoute<{ id: string }>(({ params, actor }) => json(removeWebhook(params.id, actor)), { action: 'webhooks:manage' });
