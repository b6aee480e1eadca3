import { NextResponse } from 'next/server';
import { clearedSessionCookie, deleteSession, isSecureRequest, readCookie, SESSION_COOKIE } from '@/lib/auth';
import { withRoute } from '../../_lib/route';
import { getDb } from '../../../../lib/store/db';

// POST /api/auth/signout — ends this session and clears the cookie
export const POST = withRoute(({ req }) => {
  const token = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
  if (token) deleteSession(getDb(), token);
  const res = NextResponse.json({ signedOut: true }, { headers: { 'cache-control': 'no-store' } });
  res.headers.append('set-cookie', clearedSessionCookie(isSecureRequest(req.url, req.headers)));
  return res;
});
