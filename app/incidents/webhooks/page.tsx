import type { Metadata } from 'next';
import { pageUser } from '@/lib/auth/page';
import { WebhooksAdmin } from '@/components/incidents/webhooks-admin';
import { Forbidden } from '@/components/shell/forbidden';

export const metadata: Metadata = { title: 'Incident webhooks' };
export const dynamic = 'force-dynamic';

export default async function WebhooksPage() {
  const { user, allowed } = await pageUser('/incidents/webhooks', 'webhooks:manage');
  if (!allowed) return <Forbidden language={user.language} />;
  return <WebhooksAdmin />;
}
