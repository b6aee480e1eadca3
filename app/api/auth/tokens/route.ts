import { tokenCreateForSchema, tokenListQuerySchema } from '@/lib/contracts/auth';
import { AppError } from '@/lib/errors';
import { createTokenFor, listTokensFor } from '@/lib/server/accounts';
import { json, parseJsonBody, parseSearchParams, signedIn, withRoute } from '../../_lib/route';

// GET /api/auth/tokens[?user=<name>|*] — your API tokens (admins: anyone's, or everyone's with *); never the secrets
export const GET = withRoute(({ req, user }) => {
  const { user: who } = parseSearchParams(req, tokenListQuerySchema);
  return json({ items: listTokensFor(signedIn(user), who) });
});

// POST /api/auth/tokens {label, expiresInDays?, scope?, user?} — a new API token (shown once) for yourself, or (admins) for `user`
export const POST = withRoute(async ({ req, user }) => {
  const me = signedIn(user);
  if (req.headers.get('authorization')?.startsWith('Bearer ')) {
    throw new AppError('forbidden', 'an API token cannot create API tokens; sign in to create one');
  }
  const body = await parseJsonBody(req, tokenCreateForSchema);
  return json(createTokenFor(me, body), 201);
});
