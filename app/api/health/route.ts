import { authenticate } from '@/lib/auth';
import { healthAnswer } from '@/lib/server/health';
import { json, withRoute } from '../_lib/route';

// GET /api/health — anonymous: {status} only (cached, no look at the cluster per call);
// signed in: which source and whether it answers; admins: the details (never secrets)
export const GET = withRoute(
  async ({ req }) => {
    const { body, status } = await healthAnswer(authenticate(req.headers)?.user ?? null);
    return json(body, status);
  },
  { public: true },
);
