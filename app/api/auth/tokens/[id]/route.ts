import { tokenIdParamSchema } from '@/lib/contracts/auth';
import { revokeTokenAs } from '@/lib/server/accounts';
import { json, parseWith, signedIn, withRoute } from '../../../_lib/route';

// DELETE /api/auth/tokens/:id — revoke an API token: your own, or (admins) anyone's; audited
export const DELETE = withRoute<{ id: string }>(({ params, user }) => {
  const me = signedIn(user);
  const { id } = parseWith(tokenIdParamSchema, params, 'token id');
  return json({ token: revokeTokenAs(me, id) });
});
