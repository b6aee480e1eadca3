import type { AlertStatusValue, SeverityValue, VerdictValue } from '@/lib/contracts/alerts';
import { verdictLabels } from '@/lib/contracts/alerts';

export function SeverityBadge({ severity }: { severity: SeverityValue }) {
  return <span className={`badge sev-${severity}`}>{severity}</span>;
}

export function StatusBadge({ status }: { status: AlertStatusValue }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}

export function VerdictText({ verdict }: { verdict: VerdictValue | null }) {
  return <span>{verdict ? verdictLabels[verdict] : 'no verdict'}</span>;
}
