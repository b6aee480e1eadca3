import { deliveriesOf } from '@/lib/server/webhooks';
import { json, withRoute } from '../../../_lib/route';

// GET /api/webhooks/:id/deliveries — its latest deliveries with their status, attempts, last answer
export const GET = withRoute<{ id: string }>(({ params }) => json(deliveriesOf(params.id)), { action: 'webhooks:manage' });
