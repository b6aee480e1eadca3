import { tokenCreateSchema } from '@/lib/contracts/auth';
import { createTokenOfUser } from '@/lib/server/accounts';
import { json, parseJsonBody, withRoute } from '../../../_lib/route';

// POST /api/users/:name/token {label, expiresInDays?, scope?} — a new API token for scripts, shown once
export const POST = withRoute<{ name: string }>(
  async ({ req, params, actor }) => {
    const body = await parseJsonBody(req, tokenCreateSchema);
    return json(createTokenOfUser(params.name, body, actor), 201);
  },
  { action: 'users:manage' },
);
