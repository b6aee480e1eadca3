import 'server-only';
import type { z } from 'zod';
import type { webhookCreateSchema, webhookPatchSchema } from '@/lib/contracts/incidents';
import { AppError } from '@/lib/errors';
import { RESPONSE_STEPS } from '@/lib/incidents/steps';
import { deliverDue } from '@/lib/incidents/notify/deliver';
import { buildPayload } from '@/lib/incidents/notify/payload';
import { createWebhook, deleteWebhook, enqueueDelivery, getWebhook, listDeliveries, publicWebhook, updateWebhook, type StoredDelivery, type StoredWebhook } from '@/lib/incidents/notify/store';
import { appendAudit } from '@/lib/store/audit';
import { getDb, prepared } from '@/lib/store/db';
import { getIncidentRow } from '@/lib/store/incidents';

/** The incident webhooks as admins manage them (audited; secrets shown once, never listed). */

function webhookOrThrow(id: string): StoredWebhook {
  const hook = getWebhook(id);
  if (!hook) throw new AppError('not_found', `webhook ${id} not found`);
  return hook;
}

const withoutBody = ({ body: _body, ...d }: StoredDelivery) => (void _body, d);

export function addWebhook(body: z.infer<typeof webhookCreateSchema>, actor: string) {
  const hook = createWebhook(body, actor);
  appendAudit(getDb(), { actor, entity: 'webhook', entityId: hook.id, action: 'create', after: publicWebhook(hook) });
  return { webhook: publicWebhook(hook), secret: hook.secret };
}

export function changeWebhook(id: string, patch: z.infer<typeof webhookPatchSchema>, actor: string) {
  const before = webhookOrThrow(id);
  const after = updateWebhook(before.id, patch)!;
  appendAudit(getDb(), { actor, entity: 'webhook', entityId: before.id, action: 'update', before: publicWebhook(before), after: publicWebhook(after) });
  return { webhook: publicWebhook(after) };
}

/** Remove a webhook and its deliveries. */
export function removeWebhook(id: string, actor: string) {
  const before = webhookOrThrow(id);
  deleteWebhook(before.id);
  appendAudit(getDb(), { actor, entity: 'webhook', entityId: before.id, action: 'delete', before: publicWebhook(before) });
  return { deleted: before.id };
}

/** Its latest deliveries with their status, attempts, last answer (not the bodies). */
export function deliveriesOf(id: string) {
  webhookOrThrow(id);
  return { items: listDeliveries(id).map(withoutBody) };
}

/** Queue a test notification about the latest incident and send it now; answers the delivery. */
export async function sendTestNotification(id: string) {
  const hook = webhookOrThrow(id);
  const db = getDb();
  const latest = prepared<string>(db, 'SELECT id FROM incidents ORDER BY last_seen DESC, id DESC LIMIT 1').pluck().get();
  const incident = (latest && getIncidentRow(db, latest, RESPONSE_STEPS.length)) || null;
  if (!incident) throw new AppError('invalid_request', 'there is no incident yet to send as a test');
  const now = new Date().toISOString();
  enqueueDelivery({ webhookId: hook.id, event: 'test', incidentId: incident.id, dedupKey: `${hook.id}|test|${now}`, body: buildPayload(hook.format, { event: 'test', at: now, incident, url: null }) }, now, db);
  await deliverDue({ db });
  return { delivery: withoutBody(listDeliveries(hook.id, 1, db)[0]!) };
}
