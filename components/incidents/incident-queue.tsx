'use client';

import Link from 'next/link';
import { useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { incidentsListQuery } from '@/lib/queries/incidents';
import { meQuery } from '@/lib/queries/auth';
import type { IncidentSummaryValue } from '@/lib/contracts/incidents';
import { SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { Timestamp } from '@/components/ui/timestamp';
import { ErrorBox } from '@/components/ui/error-box';
import { useT } from '@/components/i18n/use-t';
import type { MessageKey } from '@/lib/i18n';
import { IncidentFigures } from './incident-figures';
import styles from './incidents.module.css';

const ROW_HEIGHT = 32;
const SORTS = ['last_seen', 'first_seen', 'severity', 'alert_count', 'risk_score'] as const;
type Sort = (typeof SORTS)[number];
type StatusFilter = 'unclosed' | 'all' | 'open' | 'acknowledged' | 'closed';

const columns: MessageKey[] = [
  'inc.col.severity',
  'inc.col.risk',
  'inc.col.incident',
  'inc.col.hosts',
  'inc.col.users',
  'inc.col.rules',
  'inc.col.alerts',
  'inc.col.firstSeen',
  'inc.col.lastSeen',
  'inc.col.status',
  'inc.col.assignee',
  'inc.col.progress',
];

/** The incident queue: one row per incident, newest activity first, refreshed every 15 s, virtualised. */
export function IncidentQueue() {
  const t = useT();
  const me = useQuery(meQuery());
  const [status, setStatus] = useState<StatusFilter>('unclosed');
  const [sort, setSort] = useState<Sort>('last_seen');
  const q = useQuery(
    incidentsListQuery({
      status: status === 'all' ? undefined : status === 'unclosed' ? 'open,acknowledged' : status,
      sort,
      order: 'desc',
      limit: 5000,
    }),
  );
  return (
    <div className="page">
      <div className="toolbar">
        <h1 style={{ margin: 0, fontSize: '1.2rem' }}>{t('inc.title')}</h1>
        <label className="field">
          {t('inc.filter.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)} data-testid="incident-status-filter">
            <option value="unclosed">{t('inc.filter.unclosed')}</option>
            <option value="all">{t('inc.filter.all')}</option>
            <option value="open">{t('status.open')}</option>
            <option value="acknowledged">{t('status.acknowledged')}</option>
            <option value="closed">{t('status.closed')}</option>
          </select>
        </label>
        <label className="field">
          {t('inc.sort')}
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`inc.sort.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" role="status" aria-live="polite">
          {q.data ? t('inc.count', { n: q.data.total }) : t('common.loading')}
        </span>
        <Link href="/alerts" style={{ marginLeft: 'auto' }}>
          {t('inc.alertsLink')}
        </Link>
        {me.data?.user.role === 'admin' ? <Link href="/incidents/webhooks">{t('wh.link')}</Link> : null}
      </div>
      <IncidentFigures />
      {q.isError ? <ErrorBox title={t('inc.loadFailed')} error={q.error} /> : null}
      <div className="queue" role="table" aria-label={t('inc.queueLabel')} aria-rowcount={(q.data?.items.length ?? 0) + 1}>
        <div role="rowgroup">
          <div role="row" className={`${styles.grid} ${styles.head}`} aria-rowindex={1}>
            {columns.map((c) => (
              <span role="columnheader" key={c}>
                {t(c)}
              </span>
            ))}
          </div>
        </div>
        <Rows items={q.data?.items ?? []} />
      </div>
      {q.data && q.data.items.length === 0 ? <p className="notice">{t('inc.none')}</p> : null}
    </div>
  );
}

function Rows({ items }: { items: IncidentSummaryValue[] }) {
  const t = useT();
  const parentRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1200, height: 600 },
  });
  return (
    <div ref={parentRef} className={styles.body} role="rowgroup">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const inc = items[v.index];
          if (!inc) return null;
          return (
            <div
              key={inc.id}
              role="row"
              aria-rowindex={v.index + 2}
              className={`${styles.grid} ${styles.row}`}
              data-testid="incident-row"
              data-incident-id={inc.id}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
            >
              <span role="cell">
                <SeverityBadge severity={inc.severity} />
              </span>
              <span role="cell">{inc.riskScore}</span>
              <span role="cell">
                <Link href={`/incidents/${encodeURIComponent(inc.id)}`} className="mono">
                  {inc.id}
                </Link>
              </span>
              <span role="cell" title={inc.hosts.join(', ')}>
                {inc.hosts.join(', ') || '—'}
              </span>
              <span role="cell" title={inc.users.join(', ')}>
                {inc.users.join(', ') || '—'}
              </span>
              <span role="cell" title={inc.rules.join(', ')}>
                {inc.rules.join(', ')}
              </span>
              <span role="cell">{inc.alertCount}</span>
              <span role="cell">
                <Timestamp iso={inc.firstSeen} />
              </span>
              <span role="cell">
                <Timestamp iso={inc.lastSeen} />
              </span>
              <span role="cell">
                <StatusBadge status={inc.status} />
              </span>
              <span role="cell">{inc.assignee ?? <span className="muted">{t('dash.unassigned')}</span>}</span>
              <span role="cell">
                {inc.progress.done}/{inc.progress.total}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
