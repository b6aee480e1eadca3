import 'server-only';
import { clientKey, DEVICE_COOKIE, deviceCookie, isSecureRequest, meView, readCookie, sessionCookie, signIn } from '@/lib/auth';

/**
 * A sign-in from an HTTP request: the throttle's keys come from the request here and only here
 * (the client as lib/auth `clientKey` reads it — proxy hops as configured — and the browser's
 * device cookie). Answers what the user sees and the cookies to set; refusals are AuthErrors
 * ('unauthorized', or SignInThrottled: 'rate_limited' with how long to wait).
 */
export async function signInFromRequest(url: string, headers: Headers, name: string, password: string): Promise<{ view: ReturnType<typeof meView>; cookies: string[] }> {
  const secure = isSecureRequest(url, headers);
  const { user, token, expiresAt, device } = await signIn(name, password, clientKey(headers), readCookie(headers.get('cookie'), DEVICE_COOKIE));
  return { view: meView(user), cookies: [sessionCookie(token, expiresAt, secure), ...(device ? [deviceCookie(device, secure)] : [])] };
}
