import { alertGroupItemsQuerySchema } from '@/lib/incidents/queue-contracts';
import { alertGroupItems, groupFilter } from '@/lib/incidents/alert-groups';
import { json, parseSearchParams, withRoute } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

// GET /api/incidents/alert-groups/items?by=…&key=…&<the queue's filters>&page= — one group's alerts, a page in the queue's order
export const GET = withRoute(({ req, actor }) => {
  const { by, key, page, pageSize, ...q } = parseSearchParams(req, alertGroupItemsQuerySchema);
  return json(alertGroupItems(groupFilter(q, actor), by, key, page, pageSize));
});
