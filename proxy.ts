/**
 * Runs before every page (not the API, not static files):
 *  - security headers: a Content-Security-Policy whose scripts must carry this response's
 *    nonce (Next puts it on its own scripts when it finds the policy in the request headers),
 *    no framing, no plugins, no <base> elsewhere; nosniff and Referrer-Policy come from
 *    next.config.js for every answer; HSTS when the request came over https;
 *  - pages need a session: without the session cookie the browser is sent to /signin (with
 *    the page it asked for). This only checks that the cookie is there; the API routes and
 *    the server pages verify it for real through lib/auth. API routes answer 401 themselves.
 */
import { NextResponse, type NextRequest } from 'next/server';

const SESSION_COOKIE = 'gp_session';

/** The page policy for one nonce. Styles may be inline (React writes style attributes). */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV !== 'production'): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts our nonced scripts load are trusted too (Next's chunks)
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function isHttps(req: NextRequest): boolean {
  const forwarded = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return (forwarded ?? req.nextUrl.protocol.replace(':', '')) === 'https';
}

export function proxy(req: NextRequest) {
  const path = req.nextUrl.pathname;
  const isSignIn = path === '/signin' || path.startsWith('/signin/');
  if (!isSignIn && !req.cookies.get(SESSION_COOKIE)?.value) {
    const url = req.nextUrl.clone();
    const next = `${req.nextUrl.pathname}${req.nextUrl.search}`;
    url.pathname = '/signin';
    url.search = next && next !== '/' ? `?next=${encodeURIComponent(next)}` : '';
    return NextResponse.redirect(url);
  }
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
  const policy = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set('content-security-policy', policy);
  if (isHttps(req)) res.headers.set('strict-transport-security', 'max-age=31536000');
  return res;
}

export const config = {
  // every page (the sign-in page too), not the API and not static files
  matcher: ['/((?!api/|_next/static|_next/image|favicon\\.ico|robots\\.txt).*)'],
};
