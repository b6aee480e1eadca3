import type { Metadata } from 'next';
import { IngestForm } from '@/components/ingest/ingest-form';

export const metadata: Metadata = { title: 'Ingest' };

export default function IngestPage() {
  return <IngestForm />;
}
