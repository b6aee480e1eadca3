import { userPatchSchema } from '@/lib/contracts/auth';
import { changeAccount } from '@/lib/server/accounts';
import { json, parseJsonBody, signedIn, withRoute } from '../../_lib/route';

// PATCH /api/users/:name {role?, disabled?, password?} — change role, disable/enable, reset the password
export const PATCH = withRoute<{ name: string }>(
  async ({ req, params, user }) => {
    const patch = await parseJsonBody(req, userPatchSchema);
    return json({ user: await changeAccount(signedIn(user), params.name, patch) });
  },
  { action: 'users:manage' },
);
