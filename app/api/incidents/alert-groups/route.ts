import { alertGroupsQuerySchema } from '@/lib/incidents/queue-contracts';
import { alertGroups, groupFilter } from '@/lib/incidents/alert-groups';
import { json, parseSearchParams, withRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

// GET /api/incidents/alert-groups?by=rule|host|user&<the queue's filters> — the flat queue's groups (count, highest severity, not closed)
export const GET = withRoute(({ req, actor }) => {
  const { by, ...q } = parseSearchParams(req, alertGroupsQuerySchema);
  return json(alertGroups(groupFilter(q, actor), by));
});
