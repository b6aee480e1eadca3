import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { IncidentQueue } from '@/components/incidents/incident-queue';
import { Forbidden } from '@/components/shell/forbidden';

export const metadata: Metadata = { title: 'Incidents' };
export const dynamic = 'force-dynamic';

export default async function IncidentsPage() {
  const { user, allowed } = await pageUser('/incidents', 'read');
  if (!allowed) return <Forbidden language={user.language} />;
  return <IncidentQueue />;
}
