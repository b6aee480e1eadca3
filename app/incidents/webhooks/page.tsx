import type { Metadata } from 'next';
import { WebhooksAdmin } from '@/components/incidents/webhooks-admin';
import { guardedPage } from '@/components/shell/guarded-page';

export const metadata: Metadata = { title: 'Incident webhooks' };
export const dynamic = 'force-dynamic';

export default async function WebhooksPage() {
  return guardedPage('/incidents/webhooks', 'webhooks:manage', () => <WebhooksAdmin />);
}
