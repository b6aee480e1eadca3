import { tokenCreateSchema } from '@/lib/contracts/auth';
import { createApiToken, getUserByName } from '@/lib/auth';
import { json, parseJsonBody, RouteError, withRoute } from '../../../_lib/route';

// POST /api/users/:name/token {label, expiresInDays?, scope?} — a new API token for scripts, shown once
export const POST = withRoute<{ name: string }>(
  async ({ req, params, actor }) => {
    const { label, expiresInDays, scope } = await parseJsonBody(req, tokenCreateSchema);
    const target = getUserByName(params.name);
    if (!target) throw new RouteError('not_found', `no user '${params.name}'`);
    if (target.disabled) throw new RouteError('invalid_request', `user '${target.name}' is disabled`);
    // createApiToken audits the creation (name, scope, expiry) when given the actor
    const token = createApiToken(target.id, label, { expiresInDays, scope }, actor);
    return json({ token, label }, 201);
  },
  { action: 'users:manage' },
);
