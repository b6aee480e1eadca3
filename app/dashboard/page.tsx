import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { DashboardView } from '@/components/dashboard/dashboard-view';
import { translate } from '@/lib/i18n';

export const metadata: Metadata = { title: 'Dashboard' };
export const dynamic = 'force-dynamic';

export default async function DashboardPage() {
  const { user, allowed } = await pageUser('/dashboard', 'dashboard');
  if (!allowed) {
    return (
      <p role="alert" className="page" data-testid="forbidden">
        {translate(user.language, 'common.forbidden')}
      </p>
    );
  }
  return <DashboardView />;
}
