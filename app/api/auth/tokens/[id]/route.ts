import { tokenIdParamSchema } from '@/lib/contracts/auth';
import { can, getApiToken, revokeApiToken } from '@/lib/auth';
import { json, parseWith, RouteError, withRoute } from '../../../_lib/route';

// DELETE /api/auth/tokens/:id — revoke an API token: your own, or (admins) anyone's; audited
export const DELETE = withRoute<{ id: string }>(({ params, user, actor }) => {
  if (!user) throw new RouteError('unauthorized', 'sign in first');
  const { id } = parseWith(tokenIdParamSchema, params, 'token id');
  const found = getApiToken(id);
  const mine = found !== null && found.user.toLowerCase() === user.name.toLowerCase();
  // someone else's token is "not found" to a non-admin (ids are not probed)
  if (!found || (!mine && !can(user.role, 'users:manage'))) throw new RouteError('not_found', `no API token ${id} of yours`);
  return json({ token: revokeApiToken(id, actor) });
});
