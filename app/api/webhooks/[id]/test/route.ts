import { sendTestNotification } from '@/lib/server/webhooks';
import { json, withRoute } from '../../../_lib/route';

// POST /api/webhooks/:id/test — queue a test notification (about the latest incident, or a sample) and send it now
export const POST = withRoute<{ id: string }>(async ({ params }) => json(await sendTestNotification(params.id)), { action: 'webhooks:manage' });
