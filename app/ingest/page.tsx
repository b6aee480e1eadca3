import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { IngestForm } from '@/components/ingest/ingest-form';
import { Forbidden } from '@/components/shell/forbidden';

export const metadata: Metadata = { title: 'Ingest' };
export const dynamic = 'force-dynamic';

export default async function IngestPage() {
  const { user, allowed } = await pageUser('/ingest', 'ingest');
  if (!allowed) return <Forbidden language={user.language} />;
  return <IngestForm />;
}
