/**
 * Who is asking, from an HTTP request: the session cookie or an API token; and whether a
 * state-changing request really comes from our own pages (cross-site check).
 */
import { AuthError, checkCredentials, type User } from './users';
import { apiTokenUser, createSession, SESSION_COOKIE, sessionUser } from './sessions';
import { clearSignInFailures, recordSignInFailure, signInDelay } from './rate-limit';

export interface Principal {
  user: User;
  via: 'session' | 'token';
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function authenticate(headers: Headers): Principal | null {
  const auth = headers.get('authorization');
  if (auth?.startsWith('Bearer ')) {
    const user = apiTokenUser(auth.slice(7).trim());
    return user ? { user, via: 'token' } : null;
  }
  const token = readCookie(headers.get('cookie'), SESSION_COOKIE);
  if (!token) return null;
  const user = sessionUser(token);
  return user ? { user, via: 'session' } : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin the browser used to reach us (Host + forwarded protocol). */
export function requestOrigin(url: string, headers: Headers): string {
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  const proto = headers.get('x-forwarded-proto') ?? new URL(url).protocol.replace(':', '');
  return host ? `${proto}://${host}` : new URL(url).origin;
}

/**
 * A cookie-authenticated, state-changing request must come from our own origin: the
 * Origin header (or, failing that, Sec-Fetch-Site / Referer) must say so. API tokens are
 * not sent by browsers on their own, so token requests are exempt.
 */
export function isCrossSite(method: string, url: string, headers: Headers, via: Principal['via'] | null): boolean {
  if (SAFE_METHODS.has(method.toUpperCase()) || via === 'token') return false;
  const own = requestOrigin(url, headers);
  const origin = headers.get('origin');
  if (origin) return origin !== own;
  const site = headers.get('sec-fetch-site');
  if (site) return site !== 'same-origin';
  const referer = headers.get('referer');
  if (referer) {
    try {
      return new URL(referer).origin !== own;
    } catch {
      return true;
    }
  }
  return true;
}

export function isSecureRequest(url: string, headers: Headers): boolean {
  return (headers.get('x-forwarded-proto') ?? new URL(url).protocol.replace(':', '')) === 'https';
}

export function sessionCookie(token: string, expiresAt: string, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${new Date(expiresAt).toUTCString()}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}

/** Sign in, throttled per (name, client). Throws AuthError('rate_limited' | 'unauthorized'). */
export async function signIn(
  name: string,
  password: string,
  client: string,
): Promise<{ user: User; token: string; expiresAt: string }> {
  const key = `${name.toLowerCase()}|${client}`;
  const wait = signInDelay(key);
  if (wait > 0) throw new AuthError('rate_limited', `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`);
  const user = await checkCredentials(name, password);
  if (!user) {
    recordSignInFailure(key);
    throw new AuthError('unauthorized', 'wrong user name or password');
  }
  clearSignInFailures(key);
  const { token, expiresAt } = createSession(user.id);
  return { user, token, expiresAt };
}
