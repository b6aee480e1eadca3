import type { Metadata } from 'next';
import { IngestForm } from '@/components/ingest/ingest-form';
import { guardedPage } from '@/components/shell/guarded-page';

export const metadata: Metadata = { title: 'Ingest' };
export const dynamic = 'force-dynamic';

export default async function IngestPage() {
  return guardedPage('/ingest', 'ingest', () => <IngestForm />);
}
