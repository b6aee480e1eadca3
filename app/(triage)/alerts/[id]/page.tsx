import type { Metadata } from 'next';
import { TriageView } from '@/components/triage/triage-view';

export const metadata: Metadata = { title: 'Triage' };

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TriageView alertId={decodeURIComponent(id)} />;
}
