import { getWebhook, listDeliveries } from '@/lib/notifications/store';
import { json, RouteError, withRoute } from '../../../_lib/route';

// GET /api/webhooks/:id/deliveries — its latest deliveries with their status, attempts, last answer
export const GET = withRoute<{ id: string }>(
  ({ params }) => {
    if (!getWebhook(params.id)) throw new RouteError('not_found', `webhook ${params.id} not found`);
    return json({ items: listDeliveries(params.id).map(({ body: _body, ...d }) => (void _body, d)) });
  },
  { action: 'webhooks:manage' },
);
