import { evidenceQuerySchema } from '@/lib/contracts/evidence';
import { evidenceOfAlert } from '@/lib/server/evidence';
import { json, parseSearchParams, withRoute } from '../../../_lib/route';

// GET /api/alerts/:id/evidence?hours=48&depth=4 — process tree, related alerts, activity, logons, file, osquery
export const GET = withRoute<{ id: string }>(async ({ req, params }) => {
  const { hours, depth } = parseSearchParams(req, evidenceQuerySchema);
  return json(await evidenceOfAlert(params.id, hours, depth));
});
