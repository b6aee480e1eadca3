import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { UsersAdmin } from '@/components/auth/users-admin';
import { Forbidden } from '@/components/shell/forbidden';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const { user, allowed } = await pageUser('/admin/users', 'users:manage');
  if (!allowed) return <Forbidden language={user.language} />;
  return <UsersAdmin />;
}
