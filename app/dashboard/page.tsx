import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { DashboardView } from '@/components/dashboard/dashboard-view';
import { Forbidden } from '@/components/shell/forbidden';

export const metadata: Metadata = { title: 'Dashboard' };
export const dynamic = 'force-dynamic';

export default async function DashboardPage() {
  const { user, allowed } = await pageUser('/dashboard', 'dashboard');
  if (!allowed) return <Forbidden language={user.language} />;
  return <DashboardView />;
}
