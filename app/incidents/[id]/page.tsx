import type { Metadata } from 'next';
import { IncidentView } from '@/components/incidents/incident-view';
import { guardedPage } from '@/components/shell/guarded-page';

export const metadata: Metadata = { title: 'Incident' };
export const dynamic = 'force-dynamic';

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return guardedPage(`/incidents/${encodeURIComponent(id)}`, 'read', () => <IncidentView id={id} />);
}
