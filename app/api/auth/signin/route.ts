import { NextResponse, type NextRequest } from 'next/server';
import { signInBodySchema } from '@/lib/contracts/auth';
import {
  AuthError,
  clientKey,
  DEVICE_COOKIE,
  deviceCookie,
  isCrossSite,
  isSecureRequest,
  meView,
  readCookie,
  sessionCookie,
  signIn,
  SignInThrottled,
} from '@/lib/auth';
import { errorResponse, parseJsonBody, RouteError } from '../../_lib/route';

/** sign-in bodies are a name and a password: 4 KiB is plenty */
const MAX_SIGNIN_BODY_BYTES = 4096;

// POST /api/auth/signin {name, password} — sets the session cookie; throttled (lib/auth/rate-limit)
export async function POST(req: NextRequest): Promise<Response> {
  try {
    if (isCrossSite(req.method, req.url, req.headers, null)) {
      return errorResponse('forbidden', 'cross-site sign-in refused: sign in from Guidepost\'s own page');
    }
    const { name, password } = await parseJsonBody(req, signInBodySchema, { maxBytes: MAX_SIGNIN_BODY_BYTES });
    const client = clientKey(req.headers);
    const secure = isSecureRequest(req.url, req.headers);
    try {
      const { user, token, expiresAt, device } = await signIn(name, password, client, readCookie(req.headers.get('cookie'), DEVICE_COOKIE));
      const res = NextResponse.json(meView(user), { headers: { 'cache-control': 'no-store' } });
      res.headers.append('set-cookie', sessionCookie(token, expiresAt, secure));
      if (device) res.headers.append('set-cookie', deviceCookie(device, secure));
      return res;
    } catch (err) {
      if (err instanceof SignInThrottled) {
        const wait = Math.max(1, Math.ceil(err.retryAfterMs / 1000));
        return NextResponse.json(
          { error: { code: 'rate_limited', message: err.message } },
          { status: 429, headers: { 'retry-after': String(wait), 'cache-control': 'no-store' } },
        );
      }
      if (err instanceof AuthError && err.code === 'unauthorized') return errorResponse('unauthorized', err.message);
      throw err;
    }
  } catch (err) {
    if (err instanceof RouteError) return errorResponse(err.code, err.message);
    console.error('[api] sign-in failed', err);
    return errorResponse('internal', 'Internal error; the server log has the details.');
  }
}
