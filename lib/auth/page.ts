/**
 * Server pages: who is signed in, verified for real (proxy.ts only checks the cookie is
 * there). No valid session: redirect to /signin with the page asked for.
 */
import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { authenticate } from './request';
import { can, type Action } from './roles';
import type { User } from './users';

export async function pageUser(path: string, action: Action = 'read'): Promise<{ user: User; allowed: boolean }> {
  const principal = authenticate(await headers());
  if (!principal) redirect(`/signin?next=${encodeURIComponent(path)}`);
  return { user: principal.user, allowed: can(principal.user.role, action) };
}
