import { userCreateSchema } from '@/lib/contracts/auth';
import { listUsers } from '@/lib/auth';
import { addAccount } from '@/lib/server/accounts';
import { json, parseJsonBody, withRoute } from '../_lib/route';
import { getDb } from '../../../lib/store/db';

// GET /api/users — every account (admin)
export const GET = withRoute(() => json({ items: listUsers(getDb()) }), { action: 'users:manage' });

// POST /api/users {name, role, password?} — add an account; a generated password is returned once
export const POST = withRoute(
  async ({ req, actor }) => {
    const body = await parseJsonBody(req, userCreateSchema);
    return json(await addAccount(body, actor), 201);
  },
  { action: 'users:manage' },
);
