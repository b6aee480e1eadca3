import { userPatchSchema } from '@/lib/contracts/auth';
import { getUserByName, passwordSchema, setPassword, updateUser } from '@/lib/auth';
import { json, parseJsonBody, parseWith, RouteError, withRoute } from '../../_lib/route';

// PATCH /api/users/:name {role?, disabled?, password?} — change role, disable/enable, reset the password
export const PATCH = withRoute<{ name: string }>(
  async ({ req, params, actor, user }) => {
    const patch = await parseJsonBody(req, userPatchSchema);
    const target = getUserByName(params.name);
    if (!target) throw new RouteError('not_found', `no user '${params.name}'`);
    if (user && target.id === user.id && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'))) {
      throw new RouteError('invalid_request', 'you cannot disable yourself or take away your own admin role');
    }
    if (patch.password !== undefined) await setPassword(target.name, parseWith(passwordSchema, patch.password, 'password'), actor);
    const updated =
      patch.role !== undefined || patch.disabled !== undefined
        ? updateUser(target.name, { ...(patch.role ? { role: patch.role } : {}), ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}) }, actor)
        : getUserByName(target.name);
    return json({ user: updated });
  },
  { action: 'users:manage' },
);
