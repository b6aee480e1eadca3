'use client';

import Link from 'next/link';
import type { RelatedAlertsValue } from '@/lib/contracts/evidence';
import { SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { Timestamp } from '@/components/ui/timestamp';
import { useLanguage, useT } from '@/components/i18n/use-t';
import type { Translate } from '@/lib/i18n';

type RelatedItem = RelatedAlertsValue['items'][number];

/**
 * Why an alert is related. English: the server's own sentences (they name the process entity);
 * other languages: each reason the server gave, translated, with the alert's host/user/process.
 */
export function relatedReasonsText(t: Translate, translateReasons: boolean, a: RelatedItem): string {
  if (!translateReasons) return a.explanations.length ? a.explanations.join('; ') : a.reasons.join(', ');
  return a.reasons
    .map((r, i) =>
      r === 'same_host' && a.hostName
        ? t('rel.sameHost', { host: a.hostName })
        : r === 'same_user' && a.userName
          ? t('rel.sameUser', { user: a.userName })
          : r === 'same_process_tree'
            ? t('rel.sameTree', { process: a.processName ?? '—' })
            : (a.explanations[i] ?? r),
    )
    .join('；');
}

export const RELATED_WINDOWS = [24, 48, 72, 168] as const;

export function RelatedAlertsView({ related, hours, onHours }: { related: RelatedAlertsValue; hours: number; onHours: (h: number) => void }) {
  const t = useT();
  const translateReasons = useLanguage() !== 'en';
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
              <th scope="col">{t('rel.when')}</th>
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
                <td data-testid="related-when">{a.later ? t('rel.later') : t('rel.earlier')}</td>
                <td>
                  <Link href={`/alerts/${encodeURIComponent(a.id)}`}>{a.ruleName}</Link>
                  <div className="small muted mono">{[a.hostName, a.userName, a.processName].filter(Boolean).join(' · ')}</div>
                </td>
                <td>
                  <SeverityBadge severity={a.severity} />
                </td>
                <td data-testid="related-reasons" className="wrap-anywhere">{relatedReasonsText(t, translateReasons, a)}</td>
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
