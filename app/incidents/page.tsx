import type { Metadata } from 'next';
import { Suspense } from 'react';
import { pageUser } from '@/lib/auth/page';
import { AlertQueue } from '@/components/triage/alert-queue';
import { Forbidden } from '@/components/shell/forbidden';

export const metadata: Metadata = { title: 'Incidents' };
export const dynamic = 'force-dynamic';

/** The queue in its incident view (the home page shows the same; links to /incidents keep working). */
export default async function IncidentsPage() {
  const { user, allowed } = await pageUser('/incidents', 'read');
  if (!allowed) return <Forbidden language={user.language} />;
  return (
    <Suspense fallback={null}>
      <AlertQueue defaultKind="incidents" />
    </Suspense>
  );
}
