import { sharedDefaultBodySchema } from '@/lib/incidents/queue-contracts';
import { setSharedDefault } from '@/lib/incidents/views';
import { json, parseJsonBody, withRoute } from '../../../_lib/route';

// PUT /api/incidents/views/default — set ({ view }) or clear ({ view: null }) the shared default view (leads and admins; audited)
export const PUT = withRoute(
  async ({ req, actor }) => {
    const { view } = await parseJsonBody(req, sharedDefaultBodySchema);
    return json(setSharedDefault(actor, view));
  },
  { action: 'assign' },
);
