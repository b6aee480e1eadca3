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
 * so they count only behind a reverse proxy that sets them (GUIDEPOST_TRUST_PROXY=1);
 * otherwise every attempt on a name shares one key.
 */
export function clientKey(headers: Headers, trustProxy = process.env.GUIDEPOST_TRUST_PROXY === '1'): string {
  if (!trustProxy) return 'direct';
  const fwd = headers.get('x-forwarded-for');
  if (fwd) return fwd.split(',')[0]!.trim() || 'unknown';
  return headers.get('x-real-ip') ?? 'direct';
}
