import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { IncidentView } from '@/components/incidents/incident-view';
import { Forbidden } from '@/components/shell/forbidden';

export const metadata: Metadata = { title: 'Incident' };
export const dynamic = 'force-dynamic';

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, allowed } = await pageUser(`/incidents/${encodeURIComponent(id)}`, 'read');
  if (!allowed) return <Forbidden language={user.language} />;
  return <IncidentView id={id} />;
}
