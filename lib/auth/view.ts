/** What the UI gets to know about a user and what the role allows (the API checks again). */
import { can } from './roles';
import type { User } from './users';

export function meView(user: User) {
  return {
    user: { id: user.id, name: user.name, role: user.role, language: user.language, disabled: user.disabled, createdAt: user.createdAt },
    can: {
      work: can(user.role, 'work'),
      assign: can(user.role, 'assign'),
      dashboard: can(user.role, 'dashboard'),
      manageRules: can(user.role, 'rules:manage'),
      ingest: can(user.role, 'ingest'),
      manageUsers: can(user.role, 'users:manage'),
    },
  };
}

/**
 * The client a sign-in is throttled by. X-Forwarded-For / X-Real-IP can be set by anyone,
 * so they count only behind reverse proxies that set them: GUIDEPOST_TRUST_PROXY=N (1 = one
 * proxy; `true` is read as 1) says how many hops at the right end of X-Forwarded-For our own
 * proxies appended. The client is the right-most hop they did not append (everything left of
 * it was sent by the client and may be made up). Without a trusted proxy every attempt
 * shares the key `direct`.
 */
export function clientKey(headers: Headers, trustProxy: boolean | number = trustedProxyHops()): string {
  const hops = trustProxy === true ? 1 : trustProxy === false ? 0 : Math.max(0, Math.floor(trustProxy));
  if (hops === 0) return 'direct';
  const fwd = headers.get('x-forwarded-for');
  if (fwd) {
    const entries = fwd
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    if (entries.length === 0) return 'unknown';
    const hop = entries[Math.max(0, entries.length - hops)]!;
    return hop.slice(0, 64);
  }
  return headers.get('x-real-ip')?.trim().slice(0, 64) || 'direct';
}

/** GUIDEPOST_TRUST_PROXY: 0/unset = none, 1/true = one proxy, N = N proxies in a row. */
export function trustedProxyHops(value = process.env.GUIDEPOST_TRUST_PROXY): number {
  if (!value) return 0;
  if (value === 'true') return 1;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 && n < 32 ? n : 0;
}
