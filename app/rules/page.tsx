import type { Metadata } from 'next';
import { RulesTable } from '@/components/rules/rules-table';

export const metadata: Metadata = { title: 'Rules' };

export default function RulesPage() {
  return <RulesTable />;
}
