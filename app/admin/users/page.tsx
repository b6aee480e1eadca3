import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { UsersAdmin } from '@/components/auth/users-admin';
import { translate } from '@/lib/i18n';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const { user, allowed } = await pageUser('/admin/users', 'users:manage');
  if (!allowed) {
    return (
      <p role="alert" className="page" data-testid="forbidden">
        {translate(user.language, 'common.forbidden')}
      </p>
    );
  }
  return <UsersAdmin />;
}
