import { incidentStats } from '@/lib/incidents/stats';
import { json, withRoute } from '../../_lib/route';

// GET /api/incidents/stats — incidents not closed by severity and age, per assignee, time to acknowledge / close
export const GET = withRoute(() => json(incidentStats(new Date())));
