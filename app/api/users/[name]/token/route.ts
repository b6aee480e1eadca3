import { tokenCreateSchema } from '@/lib/contracts/auth';
import { createApiToken, getUserByName } from '@/lib/auth';
import { appendAudit } from '@/lib/store/audit';
import { json, parseJsonBody, RouteError, withRoute } from '../../../_lib/route';

// POST /api/users/:name/token {label} — a new API token for scripts, shown once
export const POST = withRoute<{ name: string }>(
  async ({ req, params, actor }) => {
    const { label } = await parseJsonBody(req, tokenCreateSchema);
    const target = getUserByName(params.name);
    if (!target) throw new RouteError('not_found', `no user '${params.name}'`);
    if (target.disabled) throw new RouteError('invalid_request', `user '${target.name}' is disabled`);
    const token = createApiToken(target.id, label);
    appendAudit({ actor, entity: 'user', entityId: target.name, action: 'token', before: null, after: { label } });
    return json({ token, label }, 201);
  },
  { action: 'users:manage' },
);
