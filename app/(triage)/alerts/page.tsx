import type { Metadata } from 'next';
import { AlertQueue } from '@/components/triage/alert-queue';

export const metadata: Metadata = { title: 'Alerts' };

export default function AlertsPage() {
  return <AlertQueue />;
}
