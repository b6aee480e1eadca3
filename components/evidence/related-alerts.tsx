'use client';

import Link from 'next/link';
import type { RelatedAlertsValue } from '@/lib/contracts/evidence';
import { SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';

export const RELATED_WINDOWS = [24, 48, 72, 168] as const;

export function RelatedAlertsView({ related, hours, onHours }: { related: RelatedAlertsValue; hours: number; onHours: (h: number) => void }) {
  const t = useT();
  return (
    <section aria-label={t('rel.title')} className="group" data-testid="related-alerts">
      <h3>{t('rel.title')}</h3>
      <label className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.4rem' }}>
        <span>{t('rel.window')}</span>
        <select value={hours} onChange={(e) => onHours(Number(e.target.value))}>
          {RELATED_WINDOWS.map((h) => (
            <option key={h} value={h}>
              {t('rel.hours', { hours: h })}
            </option>
          ))}
        </select>
      </label>
      <p className="small muted">
        <Timestamp iso={related.window.from} /> → <Timestamp iso={related.window.to} />: {t('rel.count', { count: related.items.length })}
        {related.unrelated ? `; ${t('rel.unrelated', { count: related.unrelated })}` : ''}
        {related.truncated ? ` ${t('rel.truncated')}` : ''}
      </p>
      {related.items.length === 0 ? (
        <p>{t('rel.empty')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('ev.timeUtc')}</th>
              <th scope="col">{t('rel.rule')}</th>
              <th scope="col">{t('rel.severity')}</th>
              <th scope="col">{t('rel.why')}</th>
              <th scope="col">{t('rel.status')}</th>
            </tr>
          </thead>
          <tbody>
            {related.items.map((a) => (
              <tr key={a.id} data-testid="related-alert">
                <td>
                  <Timestamp iso={a.timestamp} />
                </td>
                <td>
                  <Link href={`/alerts/${encodeURIComponent(a.id)}`}>{a.ruleName}</Link>
                  <div className="small muted mono">{[a.hostName, a.userName, a.processName].filter(Boolean).join(' · ')}</div>
                </td>
                <td>
                  <SeverityBadge severity={a.severity} />
                </td>
                <td data-testid="related-reasons">{a.explanations.length ? a.explanations.join('; ') : a.reasons.join(', ')}</td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
