import { assignableUsers } from '@/lib/server/accounts';
import { json, withRoute } from '../../_lib/route';

// GET /api/users/assignable — names and roles of the active users who can work alerts (for leads assigning)
export const GET = withRoute(() => json({ items: assignableUsers() }), { action: 'assign' });
