import { timelineOfIncident } from '@/lib/server/timeline';
import { json, withRoute } from '../../../_lib/route';

// GET /api/incidents/:id/timeline — its alerts and the key events around them, in order across hosts
// (the event store is read in the evidence workers; a locked store answers 503 store_busy)
export const GET = withRoute<{ id: string }>(async ({ params }) => json(await timelineOfIncident(params.id)));
