/**
 * Pages need a session: without the session cookie the browser is sent to /signin (with the
 * page it asked for). This only checks that the cookie is there; the API routes and the
 * server pages verify it for real through lib/auth. API routes answer 401 themselves.
 */
import { NextResponse, type NextRequest } from 'next/server';

const SESSION_COOKIE = 'gp_session';

export function proxy(req: NextRequest) {
  if (req.cookies.get(SESSION_COOKIE)?.value) return NextResponse.next();
  const url = req.nextUrl.clone();
  const next = `${req.nextUrl.pathname}${req.nextUrl.search}`;
  url.pathname = '/signin';
  url.search = next && next !== '/' ? `?next=${encodeURIComponent(next)}` : '';
  return NextResponse.redirect(url);
}

export const config = {
  // everything but the API, the sign-in page and static files
  matcher: ['/((?!api/|signin|_next/static|_next/image|favicon\\.ico|robots\\.txt).*)'],
};
