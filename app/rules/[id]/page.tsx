import type { Metadata } from 'next';
import { RuleDetailPage } from '@/components/rules/rule-detail';

export const metadata: Metadata = { title: 'Rule' };

export default async function RulePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RuleDetailPage ruleId={decodeURIComponent(id)} />;
}
