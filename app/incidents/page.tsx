import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AlertQueue } from '@/components/triage/alert-queue';
import { guardedPage } from '@/components/shell/guarded-page';

export const metadata: Metadata = { title: 'Incidents' };
export const dynamic = 'force-dynamic';

/** The queue in its incident view (the home page shows the same; links to /incidents keep working). */
export default async function IncidentsPage() {
  return guardedPage('/incidents', 'read', () => (
    <Suspense fallback={null}>
      <AlertQueue defaultKind="incidents" />
    </Suspense>
  ));
}
