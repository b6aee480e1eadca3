/**
 * Who is asking, from an HTTP request: the session cookie or an API token; and whether a
 * state-changing request really comes from our own pages (cross-site check).
 */
import { AuthError, checkCredentials, forgetInitialAdminPassword, type User } from './users';
import {
  apiTokenPrincipal,
  createSession,
  createSignInDevice,
  DEVICE_COOKIE,
  DEVICE_TTL_MS,
  SESSION_COOKIE,
  sessionUser,
  signInDeviceFor,
  touchSignInDevice,
  type TokenScope,
} from './sessions';
import {
  attemptKeys,
  claimSignInSlot,
  clearSignInFailures,
  FREE_CLIENT_FAILURES,
  forgiveSignInAttempt,
  recordSignInFailure,
  releaseSignInSlot,
  signInDelay,
} from './rate-limit';
import { getDb } from '../store/db';

export interface Principal {
  user: User;
  via: 'session' | 'token';
  /** an API token's scope (a session is always `full`) */
  scope?: TokenScope;
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
    const found = apiTokenPrincipal(getDb(), auth.slice(7).trim());
    return found ? { user: found.user, via: 'token', scope: found.scope } : null;
  }
  const token = readCookie(headers.get('cookie'), SESSION_COOKIE);
  if (!token) return null;
  const user = sessionUser(getDb(), token);
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

/**
 * Whether the session cookie gets `Secure`: GUIDEPOST_COOKIE_SECURE=1 always, =0 never,
 * unset/auto when the request came over https (directly, or as X-Forwarded-Proto says).
 */
export function isSecureRequest(url: string, headers: Headers, setting = process.env.GUIDEPOST_COOKIE_SECURE): boolean {
  const mode = (setting ?? 'auto').trim().toLowerCase();
  if (mode === '1' || mode === 'true' || mode === 'always') return true;
  if (mode === '0' || mode === 'false' || mode === 'never') return false;
  return (headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? new URL(url).protocol.replace(':', '')) === 'https';
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

/** The device cookie: only sent to the sign-in route. */
export function deviceCookie(token: string, secure: boolean): string {
  return [
    `${DEVICE_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/api/auth/signin',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(DEVICE_TTL_MS / 1000)}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}

export interface SignInResult {
  user: User;
  token: string;
  expiresAt: string;
  /** a new device token for this browser (set as a cookie), when it had none for the user */
  device: string | null;
}

/** Refused before any password check: wait this many ms. */
export class SignInThrottled extends AuthError {
  declare readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super('rate_limited', message, { retryAfterMs });
  }
}

/**
 * Sign in, throttled (see rate-limit.ts). `device` is the browser's device cookie, if any.
 * Throws SignInThrottled (AuthError 'rate_limited') or AuthError('unauthorized').
 */
export async function signIn(name: string, password: string, client: string, device: string | null = null): Promise<SignInResult> {
  const knownDevice = signInDeviceFor(getDb(), device, name);
  const sourceKey = knownDevice ? attemptKeys.device(name, knownDevice) : attemptKeys.pair(name, client);
  const clientLimited = !knownDevice && client !== 'direct';
  const wait = Math.max(signInDelay(getDb(), sourceKey), clientLimited ? signInDelay(getDb(), attemptKeys.client(client)) : 0);
  if (wait > 0) throw new SignInThrottled(`too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`, wait);
  if (!claimSignInSlot(name)) {
    throw new SignInThrottled('another sign-in to this account is being checked; try again in a moment', 1_000);
  }
  try {
    // counted before the check: concurrent guesses all count
    recordSignInFailure(getDb(), sourceKey);
    if (clientLimited) recordSignInFailure(getDb(), attemptKeys.client(client), Date.now(), FREE_CLIENT_FAILURES);
    const user = await checkCredentials(getDb(), name, password);
    if (!user) throw new AuthError('unauthorized', 'wrong user name or password');
    clearSignInFailures(getDb(), sourceKey);
    if (clientLimited) forgiveSignInAttempt(getDb(), attemptKeys.client(client));
    if (knownDevice) touchSignInDevice(getDb(), knownDevice);
    forgetInitialAdminPassword(user.name);
    const { token, expiresAt } = createSession(getDb(), user.id);
    return { user, token, expiresAt, device: knownDevice ? null : createSignInDevice(getDb(), user.id) };
  } finally {
    releaseSignInSlot(name);
  }
}
