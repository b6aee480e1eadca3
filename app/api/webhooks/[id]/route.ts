import { webhookPatchSchema } from '@/lib/contracts/incidents';
import { deleteWebhook, getWebhook, publicWebhook, updateWebhook } from '@/lib/notifications/store';
import { appendAudit } from '@/lib/store/audit';
import { json, parseJsonBody, RouteError, withRoute } from '../../_lib/route';

function found(id: string) {
  const hook = getWebhook(id);
  if (!hook) throw new RouteError('not_found', `webhook ${id} not found`);
  return hook;
}

// PATCH /api/webhooks/:id — change name, address, format, events, severity, enabled (admins; audited)
export const PATCH = withRoute<{ id: string }>(
  async ({ req, params, actor }) => {
    const patch = await parseJsonBody(req, webhookPatchSchema);
    const before = found(params.id);
    const after = updateWebhook(before.id, patch)!;
    appendAudit({ actor, entity: 'webhook', entityId: before.id, action: 'update', before: publicWebhook(before), after: publicWebhook(after) });
    return json({ webhook: publicWebhook(after) });
  },
  { action: 'webhooks:manage' },
);

// DELETE /api/webhooks/:id — remove it and its deliveries (audited)
export const DELETE = withRoute<{ id: string }>(
  ({ params, actor }) => {
    const before = found(params.id);
    deleteWebhook(before.id);
    appendAudit({ actor, entity: 'webhook', entityId: before.id, action: 'delete', before: publicWebhook(before) });
    return json({ deleted: before.id });
  },
  { action: 'webhooks:manage' },
);
