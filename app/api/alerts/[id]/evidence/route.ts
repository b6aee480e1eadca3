import { evidenceQuerySchema } from '@/lib/contracts/evidence';
import { notAvailable, parseSearchParams, withRoute } from '../../../_lib/route';

// GET /api/alerts/:id/evidence?hours=48 — process tree, related alerts, activity, logons, file
export const GET = withRoute<{ id: string }>(({ req }) => {
  parseSearchParams(req, evidenceQuerySchema);
  return notAvailable('Evidence assembly (lib/investigation assembleTriage)');
});
