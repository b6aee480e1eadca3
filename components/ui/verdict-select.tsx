'use client';

import { verdictSchema } from '@/lib/contracts/alerts';
import { useT } from '@/components/i18n/use-t';

/** A verdict picker, '—' while none is chosen (the alert groups' bulk close and an incident's close). */
export function VerdictSelect({ id, value, onChange, testId }: { id: string; value: string; onChange: (value: string) => void; testId: string }) {
  const t = useT();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">—</option>
      {verdictSchema.options.map((v) => (
        <option key={v} value={v}>
          {t(`verdict.${v}`)}
        </option>
      ))}
    </select>
  );
}
