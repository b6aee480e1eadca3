'use client';

import type { CSSProperties, ReactNode } from 'react';
import { useT } from '@/components/i18n/use-t';
import type { Translate } from '@/lib/i18n';

/** One decimal at most, none when it is 0 ("1.5", "8"). */
const oneDecimal = (v: number) => String(Math.round(v * 10) / 10);

/** A duration in minutes, hours or days ("42 min", "3.5 h", "8 h", "2.1 d"); in the user's language when given `t`. */
export function formatMinutes(m: number | null, t?: Translate): string {
  if (m === null) return '—';
  if (m < 90) return t ? t('dur.minutes', { n: Math.round(m) }) : `${Math.round(m)} min`;
  if (m < 48 * 60) return t ? t('dur.hours', { n: oneDecimal(m / 60) }) : `${oneDecimal(m / 60)} h`;
  return t ? t('dur.days', { n: oneDecimal(m / 1440) }) : `${oneDecimal(m / 1440)} d`;
}

export interface TimeFigure {
  medianMinutes: number | null;
  p90Minutes: number | null;
  samples: number;
}

/** Time to acknowledge and time to close: median, p90 and how many samples, one row each. */
export function TimesTable({
  acknowledge,
  close,
  caption,
  className,
  style,
  testId,
}: {
  acknowledge: TimeFigure;
  close: TimeFigure;
  caption?: ReactNode;
  className?: string;
  style?: CSSProperties;
  testId?: string;
}) {
  const t = useT();
  return (
    <table className={className} style={style} data-testid={testId}>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          <td />
          <th scope="col">{t('dash.median')}</th>
          <th scope="col">{t('dash.p90')}</th>
          <th scope="col">{t('dash.samples')}</th>
        </tr>
      </thead>
      <tbody>
        {(
          [
            ['dash.tta', acknowledge],
            ['dash.ttc', close],
          ] as const
        ).map(([key, s]) => (
          <tr key={key}>
            <th scope="row">{t(key)}</th>
            <td>{formatMinutes(s.medianMinutes, t)}</td>
            <td>{formatMinutes(s.p90Minutes, t)}</td>
            <td>{s.samples}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
