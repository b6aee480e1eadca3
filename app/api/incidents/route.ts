import { incidentListQuerySchema } from '@/lib/contracts/incidents';
import { listIncidentsBody } from '@/lib/incidents/service';
import { jsonAnswer } from '@/lib/store/answer-cache';
import { parseSearchParams, withRoute } from '../_lib/route';

// GET /api/incidents — the incident queue (severity = highest of its alerts, hosts, users, rules, counts, times, status, assignee, progress)
export const GET = withRoute(({ req }) => {
  const q = parseSearchParams(req, incidentListQuerySchema);
  return jsonAnswer(
    listIncidentsBody({
      status: q.status,
      assignee: q.assignee === undefined ? undefined : q.assignee === '' || q.assignee === '-' ? null : q.assignee,
      text: q.q || undefined,
      sort: q.sort,
      order: q.order,
      limit: q.limit,
      offset: q.offset,
    }),
  );
});
