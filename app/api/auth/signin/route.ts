import { NextResponse, type NextRequest } from 'next/server';
import { signInBodySchema } from '@/lib/contracts/auth';
import { AuthError, clientKey, isCrossSite, isSecureRequest, meView, sessionCookie, signIn, signInDelay } from '@/lib/auth';
import { errorResponse, parseJsonBody, RouteError } from '../../_lib/route';

// POST /api/auth/signin {name, password} — sets the session cookie; throttled per (name, client)
export async function POST(req: NextRequest): Promise<Response> {
  try {
    if (isCrossSite(req.method, req.url, req.headers, null)) {
      return errorResponse('forbidden', 'cross-site sign-in refused: sign in from Guidepost\'s own page');
    }
    const { name, password } = await parseJsonBody(req, signInBodySchema);
    const client = clientKey(req.headers);
    try {
      const { user, token, expiresAt } = await signIn(name, password, client);
      const res = NextResponse.json(meView(user), { headers: { 'cache-control': 'no-store' } });
      res.headers.append('set-cookie', sessionCookie(token, expiresAt, isSecureRequest(req.url, req.headers)));
      return res;
    } catch (err) {
      if (err instanceof AuthError && err.code === 'rate_limited') {
        const wait = Math.max(1, Math.ceil(signInDelay(`${name.toLowerCase()}|${client}`) / 1000));
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
