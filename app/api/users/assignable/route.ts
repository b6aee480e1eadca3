import { can, listUsers } from '@/lib/auth';
import { json, withRoute } from '../../_lib/route';

// GET /api/users/assignable — names and roles of the active users who can work alerts (for leads assigning)
export const GET = withRoute(
  () => json({ items: listUsers().filter((u) => !u.disabled && can(u.role, 'work')).map((u) => ({ name: u.name, role: u.role })) }),
  { action: 'assign' },
);
