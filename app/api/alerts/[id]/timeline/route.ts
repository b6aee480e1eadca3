import { getAlertOrThrow } from '@/lib/cases';
import { timelineQuerySchema } from '@/lib/contracts/timeline';
import { timelineOfAlert } from '@/lib/server/timeline';
import { json, parseSearchParams, withRoute } from '../../../_lib/route';

// GET /api/alerts/:id/timeline?seconds=600&depth=4 — the process tree's events and the host's logons around the alert, in time order
export const GET = withRoute<{ id: string }>(async ({ req, params }) => {
  const { seconds, depth } = parseSearchParams(req, timelineQuerySchema);
  return json(await timelineOfAlert(getAlertOrThrow(params.id), seconds, depth));
});
