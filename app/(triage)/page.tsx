import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AlertQueue } from '@/components/triage/alert-queue';

export const metadata: Metadata = { title: 'Queue' };

/** The home page: the queue, incidents by default (`?view=alerts` for the flat alerts). */
export default function QueueHome() {
  // the queue reads its view from the address (useSearchParams): it renders in the browser
  return (
    <Suspense fallback={null}>
      <AlertQueue defaultKind="incidents" />
    </Suspense>
  );
}
