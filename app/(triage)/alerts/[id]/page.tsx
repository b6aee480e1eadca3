import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { alertDetail } from '@/lib/server/alert-detail';
import { TriageView } from '@/components/triage/triage-view';

export const metadata: Metadata = { title: 'Triage' };

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const alertId = decodeURIComponent(id);
  await pageUser(`/alerts/${id}`);
  let initial: unknown = null;
  try {
    // rendered with the page so the checklist is there at first paint; the client still owns refreshes
    initial = JSON.parse(JSON.stringify(alertDetail(alertId)));
  } catch {
    initial = null; // the client's own fetch shows the error (404 …)
  }
  // one view per alert: moving to another alert (next/previous, a related alert) starts afresh
  return <TriageView key={alertId} alertId={alertId} initial={initial} />;
}
