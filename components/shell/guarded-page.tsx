import type { ReactNode } from 'react';
import { pageUser } from '@/lib/auth/page';
import type { Action } from '@/lib/auth/roles';
import { Forbidden } from './forbidden';

/**
 * A server page's guard: no session redirects to /signin (pageUser); a role that may not do
 * `action` sees Forbidden in its language; otherwise the page renders.
 */
export async function guardedPage(path: string, action: Action, render: () => ReactNode): Promise<ReactNode> {
  const { user, allowed } = await pageUser(path, action);
  return allowed ? render() : <Forbidden language={user.language} />;
}
