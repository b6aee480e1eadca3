import type { Metadata } from 'next';
import { DashboardView } from '@/components/dashboard/dashboard-view';
import { guardedPage } from '@/components/shell/guarded-page';

export const metadata: Metadata = { title: 'Dashboard' };
export const dynamic = 'force-dynamic';

export default async function DashboardPage() {
  return guardedPage('/dashboard', 'dashboard', () => <DashboardView />);
}
