import { mePatchSchema } from '@/lib/contracts/auth';
import { meView, updateUser } from '@/lib/auth';
import { json, parseJsonBody, RouteError, withRoute } from '../../_lib/route';

// GET /api/auth/me — who is signed in and what the role allows
export const GET = withRoute(({ user }) => {
  if (!user) throw new RouteError('unauthorized', 'sign in first');
  return json(meView(user));
});

// PATCH /api/auth/me {language} — the user's own settings
export const PATCH = withRoute(async ({ req, user }) => {
  if (!user) throw new RouteError('unauthorized', 'sign in first');
  const { language } = await parseJsonBody(req, mePatchSchema);
  return json(meView(updateUser(user.name, { language }, user.name)));
});
