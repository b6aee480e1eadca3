'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { dashboardPeriods, type DashboardPeriod, type DashboardResponse } from '@/lib/contracts/dashboard';
import { ChoiceSelect } from '@/components/ui/choice-select';
import { dashboardQuery } from '@/lib/queries/dashboard';
import { describeError } from '@/lib/queries/error-text';
import { useT } from '@/components/i18n/use-t';
import { formatUtc, Timestamp } from '@/components/ui/timestamp';
import { MiddleCut } from '@/components/shell/middle-cut';
import { formatMinutes, TimesTable } from '@/components/ui/time-figures';
import { BarChart } from './bar-chart';
import { AssignCell } from './assign-cell';
import type { MessageKey } from '@/lib/i18n';

const ageKeys: Record<string, MessageKey> = { '<1h': 'age.lt1h', '1-4h': 'age.1to4h', '4-24h': 'age.4to24h', '1-3d': 'age.1to3d', '>3d': 'age.gt3d' };

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

export function DashboardView() {
  const t = useT();
  const [period, setPeriod] = useState<DashboardPeriod>('7d');
  const q = useQuery(dashboardQuery(period));
  return (
    <div className="page dashboard" data-testid="dashboard">
      <div className="dashboard-head" style={{ display: 'flex', gap: '1rem', alignItems: 'baseline', flexWrap: 'wrap' }}>
        <h1>{t('dash.title')}</h1>
        <label className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.4rem' }}>
          <span>{t('dash.period')}</span>
          <ChoiceSelect options={dashboardPeriods} value={period} onChange={setPeriod} label={(p) => t(`dash.period.${p}`)} />
        </label>
        {q.data ? (
          <span className="muted">
            <Timestamp iso={q.data.period.from} /> – <Timestamp iso={q.data.period.to} />
          </span>
        ) : null}
        {q.data ? (
          <span className="small muted" data-testid="dash-updated">
            {t('dash2.updated', { time: formatUtc(new Date(q.dataUpdatedAt).toISOString()) })}
          </span>
        ) : null}
      </div>
      {q.isPending ? <p>{t('common.loading')}</p> : null}
      {q.isError ? (
        <p role="alert" className="error-text">
          {describeError(t, q.error)}
        </p>
      ) : null}
      {q.data ? <DashboardBody d={q.data} /> : null}
    </div>
  );
}

function DashboardBody({ d }: { d: DashboardResponse }) {
  const t = useT();
  return (
    <>
      <section aria-labelledby="dash-open">
        <h2 id="dash-open">{t('dash.openByStatus')}</h2>
        <div style={{ display: 'flex', gap: '2rem', flexWrap: 'wrap' }}>
          <BarChart
            testId="chart-status"
            title={t('dash.status')}
            labelHeader={t('dash.status')}
            valueLabel={t('dash.count')}
            bars={(['open', 'acknowledged', 'closed'] as const).map((s) => ({ label: t(`status.${s}`), value: d.byStatus[s] ?? 0 }))}
          />
          <BarChart testId="chart-age" title={t('dash.age')} labelHeader={t('dash.age')} valueLabel={t('dash.count')} bars={d.byAge.map((b) => ({ label: ageKeys[b.bucket] ? t(ageKeys[b.bucket]!) : b.bucket, value: b.count }))} />
        </div>
      </section>

      <section aria-labelledby="dash-analysts">
        <h2 id="dash-analysts">{t('dash.perAnalyst')}</h2>
        <table className="data" data-testid="analyst-table">
          <thead>
            <tr>
              <th scope="col">{t('dash.analyst')}</th>
              <th scope="col">{t('dash.assigned')}</th>
              <th scope="col">{t('dash.inProgress')}</th>
              <th scope="col">{t('dash.closed')}</th>
              <th scope="col">{t('dash.medianCompletion')}</th>
            </tr>
          </thead>
          <tbody>
            {d.analysts.map((a) => (
              <tr key={a.analyst} data-analyst={a.analyst}>
                <th scope="row">
                  {a.analyst}
                  {a.assigned === 0 && a.inProgress === 0 ? (
                    <span className="chip dash-free" data-testid="analyst-free">
                      {t('dash2.free')}
                    </span>
                  ) : null}
                </th>
                <td>{a.assigned}</td>
                <td>{a.inProgress}</td>
                <td>{a.closed}</td>
                <td>{pct(a.medianCompletion)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {d.analysts.length > 0 ? (
          <p className="small muted" data-testid="free-count">
            {t('dash2.freeCount', { n: d.analysts.filter((a) => a.assigned === 0 && a.inProgress === 0).length })}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="dash-times">
        <h2 id="dash-times">{t('dash.times')}</h2>
        <TimesTable
          className="data"
          testId="times-table"
          acknowledge={{ ...d.timeToAcknowledge, samples: d.timeToAcknowledge.count }}
          close={{ ...d.timeToClose, samples: d.timeToClose.count }}
        />
      </section>

      <section aria-labelledby="dash-sla">
        <h2 id="dash-sla">
          {t('dash.sla')} ({d.breaches.total})
        </h2>
        {d.breaches.items.length === 0 ? (
          <p>{t('dash.noBreaches')}</p>
        ) : (
          <table className="data" data-testid="breach-table">
            <thead>
              <tr>
                <th scope="col">{t('dash.alert')}</th>
                <th scope="col">{t('dash.rule')}</th>
                <th scope="col">SLA</th>
                <th scope="col">{t('dash.assignee')}</th>
              </tr>
            </thead>
            <tbody>
              {d.breaches.items.map((b) => (
                <tr key={`${b.id}-${b.kind}`}>
                  <td>
                    <Link href={`/alerts/${encodeURIComponent(b.id)}`}>{t(`severity.${b.severity}`)}</Link>
                  </td>
                  <td>{b.ruleName}</td>
                  <td>
                    {t(b.kind === 'acknowledge' ? 'sla.acknowledge' : 'sla.close')} ≤ {formatMinutes(b.limitMinutes, t)}, +{formatMinutes(b.overdueMinutes, t)}
                  </td>
                  <td>{b.assignee ?? t('dash.unassigned')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="dash-inv">
        <h2 id="dash-inv">
          {t('dash.investigations')} ({d.investigations.total})
        </h2>
        <Investigations items={d.investigations.items} />
      </section>
    </>
  );
}

type Investigation = DashboardResponse['investigations']['items'][number];

/**
 * The open investigations, each told apart from the others on its host by its alert time and
 * its user, process and file (two alerts of one rule on one host differ there); a lead assigns
 * one from here.
 */
function Investigations({ items }: { items: Investigation[] }) {
  const t = useT();
  const [result, setResult] = useState<{ message: string; ok: boolean } | null>(null);
  const perHost = new Map<string, number>();
  for (const i of items) if (i.hostName) perHost.set(i.hostName, (perHost.get(i.hostName) ?? 0) + 1);
  return (
    <>
      <p className={`small${result && !result.ok ? ' error-text' : ''}`} role="status" data-testid="dash-assign-result">
        {result?.message ?? ''}
      </p>
      {items.length === 0 ? (
        <p>{t('dash.noInvestigations')}</p>
      ) : (
        <div className="dash-scroll">
          <table className="data dash-investigations" data-testid="investigations">
            <thead>
              <tr>
                <th scope="col">{t('dash.alert')}</th>
                <th scope="col">{t('dash2.alertTime')}</th>
                <th scope="col">{t('dash2.subject')}</th>
                <th scope="col">{t('dash.assignee')}</th>
                <th scope="col">{t('dash.status')}</th>
                <th scope="col">{t('dash.age')}</th>
                <th scope="col">{t('dash.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => {
                const others = i.hostName ? (perHost.get(i.hostName) ?? 1) - 1 : 0;
                return (
                  <tr key={i.id} data-investigation={i.id}>
                    <td>
                      <Link href={`/alerts/${encodeURIComponent(i.id)}`}>{i.ruleName}</Link>
                      {i.hostName ? <span className="muted"> · {i.hostName}</span> : null}
                      {others > 0 ? (
                        <div className="small muted" data-testid="same-host">
                          {t('dash2.sameHost', { n: others })}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <Timestamp iso={i.timestamp} />
                    </td>
                    <td className="mono dash-subject" data-testid="investigation-subject">
                      {i.userName ? <div>{i.userName}</div> : null}
                      {i.processName ? <div>{i.processName}</div> : null}
                      {i.filePath ? <MiddleCut path={i.filePath} /> : null}
                      {!i.userName && !i.processName && !i.filePath ? '—' : null}
                    </td>
                    <td data-testid="investigation-assignee">
                      <AssignCell alert={i} onResult={(message, ok) => setResult({ message, ok })} />
                    </td>
                    <td>{t(`status.${i.status}`)}</td>
                    <td>{formatMinutes(i.ageMinutes, t)}</td>
                    <td>
                      <progress max={Math.max(1, i.stepsTotal)} value={Math.min(i.stepsDone, i.stepsTotal)} aria-label={`${i.ruleName}: ${i.stepsDone} / ${i.stepsTotal}`} />{' '}
                      <span data-testid="progress-text">
                        {i.stepsDone} / {i.stepsTotal}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
