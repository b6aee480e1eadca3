'use client';

import type { AlertStatusValue, SeverityValue, VerdictValue } from '@/lib/contracts/alerts';
import { useT } from '@/components/i18n/use-t';

/** Severity in the user's language; the class (colour) and data-value keep the API's value. */
export function SeverityBadge({ severity }: { severity: SeverityValue }) {
  const t = useT();
  return (
    <span className={`badge sev-${severity}`} data-value={severity}>
      {t(`severity.${severity}`)}
    </span>
  );
}

export function StatusBadge({ status }: { status: AlertStatusValue }) {
  const t = useT();
  return (
    <span className={`badge status-${status}`} data-value={status}>
      {t(`status.${status}`)}
    </span>
  );
}

export function VerdictText({ verdict }: { verdict: VerdictValue | null }) {
  const t = useT();
  return <span data-value={verdict ?? ''}>{verdict ? t(`verdict.${verdict}`) : t('verdict.none')}</span>;
}
