import { signInBodySchema } from '@/lib/contracts/auth';
import { signInFromRequest } from '@/lib/server/signin';
import { json, parseJsonBody, withRoute } from '../../_lib/route';

/** sign-in bodies are a name and a password: 4 KiB is plenty */
const MAX_SIGNIN_BODY_BYTES = 4096;

// POST /api/auth/signin {name, password} — sets the session cookie; throttled (lib/auth/rate-limit: 429 with Retry-After)
export const POST = withRoute(
  async ({ req }) => {
    const { name, password } = await parseJsonBody(req, signInBodySchema, { maxBytes: MAX_SIGNIN_BODY_BYTES });
    const { view, cookies } = await signInFromRequest(req.url, req.headers, name, password);
    const res = json(view);
    for (const cookie of cookies) res.headers.append('set-cookie', cookie);
    return res;
  },
  { public: true },
);
