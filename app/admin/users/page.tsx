import type { Metadata } from 'next';
import { UsersAdmin } from '@/components/auth/users-admin';
import { guardedPage } from '@/components/shell/guarded-page';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  return guardedPage('/admin/users', 'users:manage', () => <UsersAdmin />);
}
