import { alertGroupsQuerySchema } from '@/lib/incidents/queue-contracts';
import { alertGroupsBody, groupFilter } from '@/lib/incidents/alert-groups';
import { jsonAnswer } from '@/lib/store/answer-cache';
import { parseSearchParams, withRoute } from '../../_lib/route';

export const dynamic = 'force-dynamic';

// GET /api/incidents/alert-groups?by=rule|host|user&<the queue's filters> — the flat queue's groups (count, highest severity, not closed)
export const GET = withRoute(({ req, actor }) => {
  const { by, ...q } = parseSearchParams(req, alertGroupsQuerySchema);
  return jsonAnswer(alertGroupsBody(groupFilter(q, actor), by));
});
