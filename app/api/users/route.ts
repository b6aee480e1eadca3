import { userCreateSchema } from '@/lib/contracts/auth';
import { createUser, generatePassword, listUsers, passwordSchema, userNameSchema } from '@/lib/auth';
import { json, parseJsonBody, parseWith, withRoute } from '../_lib/route';

// GET /api/users — every account (admin)
export const GET = withRoute(() => json({ items: listUsers() }), { action: 'users:manage' });

// POST /api/users {name, role, password?} — add an account; a generated password is returned once
export const POST = withRoute(
  async ({ req, actor }) => {
    const body = await parseJsonBody(req, userCreateSchema);
    const name = parseWith(userNameSchema, body.name, 'name');
    const generated = body.password === undefined;
    const password = generated ? generatePassword() : parseWith(passwordSchema, body.password, 'password');
    const user = await createUser({ name, role: body.role, password }, actor);
    return json({ user, ...(generated ? { password } : {}) }, 201);
  },
  { action: 'users:manage' },
);
