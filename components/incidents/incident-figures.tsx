'use client';

import { useQuery } from '@tanstack/react-query';
import { incidentStatsQuery } from '@/lib/queries/incidents';
import { useT } from '@/components/i18n/use-t';
import { formatMinutes, TimesTable } from '@/components/ui/time-figures';
import styles from './incidents.module.css';

const AGES = ['lt1h', '1to4h', '4to24h', '1to3d', 'gt3d'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** Incident-level figures, folded away under the queue's toolbar. */
export function IncidentFigures() {
  const t = useT();
  const q = useQuery(incidentStatsQuery());
  return (
    <details className={styles.section} data-testid="incident-figures">
      <summary>{t('inc.fig.title')}</summary>
      {q.data ? (
        <div className={styles.inline} style={{ alignItems: 'flex-start', gap: '1.5rem' }}>
          <table className={styles.table} style={{ width: 'auto' }}>
            <caption>{t('inc.fig.bySeverityAge')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('inc.col.severity')}</th>
                {AGES.map((a) => (
                  <th scope="col" key={a}>
                    {t(`age.${a}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {SEVERITIES.map((s) => (
                <tr key={s}>
                  <th scope="row">{t(`severity.${s}`)}</th>
                  {AGES.map((a) => (
                    <td key={a}>{q.data.bySeverityAge[s][a]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <table className={styles.table} style={{ width: 'auto' }}>
            <caption>{t('inc.fig.perAssignee')}</caption>
            <tbody>
              {q.data.perAssignee.map((p) => (
                <tr key={p.assignee ?? ''}>
                  <th scope="row">{p.assignee ?? t('dash.unassigned')}</th>
                  <td>{p.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <TimesTable className={styles.table} style={{ width: 'auto' }} caption={t('inc.fig.times')} acknowledge={q.data.timeToAcknowledge} close={q.data.timeToClose} />
          <table className={styles.table} style={{ width: 'auto' }} data-testid="incident-sla">
            <caption>{t('inc.fig.sla')}</caption>
            <thead>
              <tr>
                <td />
                {SEVERITIES.map((s) => (
                  <th scope="col" key={s}>
                    {t(`severity.${s}`)}
                  </th>
                ))}
                <th scope="col">{t('inc.fig.breaching')}</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['inc.fig.slaAck', 'acknowledgeMinutes', 'acknowledge'],
                  ['inc.fig.slaClose', 'closeMinutes', 'close'],
                ] as const
              ).map(([k, field, which]) => (
                <tr key={k}>
                  <th scope="row">{t(k)}</th>
                  {SEVERITIES.map((s) => (
                    <td key={s}>{formatMinutes(q.data.sla.targets[s]?.[field] ?? null, t)}</td>
                  ))}
                  <td>{q.data.sla.breaching[which]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p role="status">{t('common.loading')}</p>
      )}
    </details>
  );
}
