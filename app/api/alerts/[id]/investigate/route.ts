import { investigateRequestSchema } from '@/lib/contracts/evidence';
import { notAvailable, parseJsonBody, withRoute } from '../../../_lib/route';

// POST /api/alerts/:id/investigate — run a guide step's investigate block around the alert time
export const POST = withRoute<{ id: string }>(async ({ req }) => {
  await parseJsonBody(req, investigateRequestSchema);
  return notAvailable('Investigate queries (lib/investigation)');
});
