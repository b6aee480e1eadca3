import { getEventSource } from '@/lib/events';
import { incidentTimeline } from '@/lib/incidents/service';
import { json, withRoute } from '../../../_lib/route';

// GET /api/incidents/:id/timeline — its alerts and the key events around them, in order across hosts
export const GET = withRoute<{ id: string }>(async ({ params }) => json(await incidentTimeline(params.id, getEventSource())));
