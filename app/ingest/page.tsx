import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { IngestForm } from '@/components/ingest/ingest-form';
import { translate } from '@/lib/i18n';

export const metadata: Metadata = { title: 'Ingest' };
export const dynamic = 'force-dynamic';

export default async function IngestPage() {
  const { user, allowed } = await pageUser('/ingest', 'ingest');
  if (!allowed) {
    return (
      <p role="alert" className="page" data-testid="forbidden">
        {translate(user.language, 'common.forbidden')}
      </p>
    );
  }
  return <IngestForm />;
}
