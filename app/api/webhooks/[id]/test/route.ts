import { getDb } from '@/lib/store/db';
import { getIncidentRow } from '@/lib/store/incidents';
import { RESPONSE_STEPS } from '@/lib/incidents/steps';
import { buildPayload } from '@/lib/notifications/payload';
import { deliverDue } from '@/lib/notifications/deliver';
import { enqueueDelivery, getWebhook, listDeliveries } from '@/lib/notifications/store';
import { json, RouteError, withRoute } from '../../../_lib/route';

// POST /api/webhooks/:id/test — queue a test notification (about the latest incident, or a sample) and send it now
export const POST = withRoute<{ id: string }>(
  async ({ params }) => {
    const hook = getWebhook(params.id);
    if (!hook) throw new RouteError('not_found', `webhook ${params.id} not found`);
    const db = getDb();
    const latest = db.prepare('SELECT id FROM incidents ORDER BY last_seen DESC, id DESC LIMIT 1').pluck().get() as string | undefined;
    const incident = (latest && getIncidentRow(db, latest, RESPONSE_STEPS.length)) || null;
    if (!incident) throw new RouteError('invalid_request', 'there is no incident yet to send as a test');
    const now = new Date().toISOString();
    enqueueDelivery({ webhookId: hook.id, event: 'test', incidentId: incident.id, dedupKey: `${hook.id}|test|${now}`, body: buildPayload(hook.format, { event: 'test', at: now, incident, url: null }) }, now, db);
    await deliverDue({ db });
    const { body: _body, ...last } = listDeliveries(hook.id, 1, db)[0]!;
    void _body;
    return json({ delivery: last });
  },
  { action: 'webhooks:manage' },
);
