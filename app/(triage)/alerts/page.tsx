import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AlertQueue } from '@/components/triage/alert-queue';

export const metadata: Metadata = { title: 'Alerts' };

export default function AlertsPage() {
  // the queue reads its view from the address (useSearchParams): it renders in the browser
  return (
    <Suspense fallback={null}>
      <AlertQueue />
    </Suspense>
  );
}
