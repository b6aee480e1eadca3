import { tokenCreateForSchema, tokenListQuerySchema } from '@/lib/contracts/auth';
import { can, createApiToken, getApiToken, getUserByName, listApiTokens } from '@/lib/auth';
import { json, parseJsonBody, parseSearchParams, RouteError, withRoute } from '../../_lib/route';

// GET /api/auth/tokens[?user=<name>|*] — your API tokens (admins: anyone's, or everyone's with *); never the secrets
export const GET = withRoute(({ req, user }) => {
  if (!user) throw new RouteError('unauthorized', 'sign in first');
  const { user: who } = parseSearchParams(req, tokenListQuerySchema);
  if (who === undefined || who.toLowerCase() === user.name.toLowerCase()) return json({ items: listApiTokens(user.id) });
  if (!can(user.role, 'users:manage')) throw new RouteError('forbidden', "only admins may list other users' API tokens");
  if (who === '*') return json({ items: listApiTokens() });
  const target = getUserByName(who);
  if (!target) throw new RouteError('not_found', `no user '${who}'`);
  return json({ items: listApiTokens(target.id) });
});

// POST /api/auth/tokens {label, expiresInDays?, scope?, user?} — a new API token (shown once) for yourself, or (admins) for `user`
export const POST = withRoute(async ({ req, user, actor }) => {
  if (!user) throw new RouteError('unauthorized', 'sign in first');
  if (req.headers.get('authorization')?.startsWith('Bearer ')) {
    throw new RouteError('forbidden', 'an API token cannot create API tokens; sign in to create one');
  }
  const body = await parseJsonBody(req, tokenCreateForSchema);
  let target = user;
  if (body.user !== undefined && body.user.toLowerCase() !== user.name.toLowerCase()) {
    if (!can(user.role, 'users:manage')) throw new RouteError('forbidden', 'only admins may create API tokens for other users');
    const found = getUserByName(body.user);
    if (!found) throw new RouteError('not_found', `no user '${body.user}'`);
    target = found;
  }
  if (target.disabled) throw new RouteError('invalid_request', `user '${target.name}' is disabled`);
  const token = createApiToken(target.id, body.label, { expiresInDays: body.expiresInDays, scope: body.scope }, actor);
  const created = listApiTokens(target.id)[0];
  const info = created ? getApiToken(created.id) : null;
  return json({ token, label: body.label, id: info?.id, scope: info?.scope, expiresAt: info?.expiresAt ?? null }, 201);
});
