'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { incidentsListQuery } from '@/lib/queries/incidents';
import { meQuery } from '@/lib/queries/auth';
import type { IncidentSummaryValue } from '@/lib/contracts/incidents';
import { SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { Timestamp } from '@/components/ui/timestamp';
import { ErrorBox } from '@/components/ui/error-box';
import { useT } from '@/components/i18n/use-t';
import { QueueTable, type QueueColumn } from '@/components/triage/queue-table';
import { Pager, type QueueView } from '@/components/triage/alert-queue';
import type { Translate } from '@/lib/i18n';
import { IncidentFigures } from './incident-figures';
import styles from './incidents.module.css';

/** incidents per request: a page, so 100k alerts' incidents are all reachable, one page at a time */
export const INCIDENT_PAGE_SIZE = 200;

type IncidentSort = 'last_seen' | 'first_seen' | 'severity' | 'alert_count' | 'risk_score';

function incidentColumns(t: Translate, sortOf: (key: IncidentSort) => QueueColumn<IncidentSummaryValue>['sort']): QueueColumn<IncidentSummaryValue>[] {
  const list = (xs: string[]) => xs.join(', ');
  return [
    { id: 'severity', header: t('inc.col.severity'), sort: sortOf('severity'), cell: (i) => <SeverityBadge severity={i.severity} /> },
    { id: 'risk', header: t('inc.col.risk'), sort: sortOf('risk_score'), className: 'mono', cell: (i) => i.riskScore },
    {
      id: 'incident',
      header: t('inc.col.incident'),
      cell: (i) => (
        <Link href={`/incidents/${encodeURIComponent(i.id)}`} className="incident-link mono">
          {i.id}
        </Link>
      ),
    },
    { id: 'hosts', header: t('inc.col.hosts'), className: 'mono', title: (i) => list(i.hosts), cell: (i) => list(i.hosts) || '—' },
    { id: 'users', header: t('inc.col.users'), className: 'mono', title: (i) => list(i.users), cell: (i) => list(i.users) || '—' },
    { id: 'rules', header: t('inc.col.rules'), title: (i) => list(i.rules), cell: (i) => list(i.rules) },
    { id: 'alerts', header: t('inc.col.alerts'), sort: sortOf('alert_count'), cell: (i) => i.alertCount },
    { id: 'first', header: t('inc.col.firstSeen'), sort: sortOf('first_seen'), cell: (i) => <Timestamp iso={i.firstSeen} /> },
    { id: 'last', header: t('inc.col.lastSeen'), sort: sortOf('last_seen'), cell: (i) => <Timestamp iso={i.lastSeen} /> },
    { id: 'status', header: t('inc.col.status'), cell: (i) => <StatusBadge status={i.status} /> },
    { id: 'assignee', header: t('inc.col.assignee'), title: (i) => i.assignee ?? '', cell: (i) => i.assignee ?? <span className="muted">{t('dash.unassigned')}</span> },
    {
      id: 'progress',
      header: t('inc.col.progress'),
      cell: (i) => (
        <span aria-label={t('inc.progressOf', { done: i.progress.done, total: i.progress.total })}>
          {i.progress.done}/{i.progress.total}
        </span>
      ),
    },
  ];
}

/**
 * The incident view of the queue: one row per incident (severity = highest of its alerts, risk,
 * hosts, users, rules, alert count, first/last seen, status, assignee, progress), the queue's
 * status / assignee / search filters, sortable columns, pages of 200, refreshed every 15 s.
 */
export function IncidentList({ view, go }: { view: QueueView; go: (patch: Partial<QueueView>) => void }) {
  const t = useT();
  const me = useQuery(meQuery());
  const sort = view.sort as IncidentSort;
  const q = useQuery(
    incidentsListQuery({
      status: view.status.join(','),
      ...(view.assignee === 'me' && me.data ? { assignee: me.data.user.name } : view.assignee === 'none' ? { assignee: '-' } : {}),
      ...(view.q ? { q: view.q } : {}),
      sort,
      order: view.order,
      limit: INCIDENT_PAGE_SIZE,
      offset: (view.page - 1) * INCIDENT_PAGE_SIZE,
    }),
  );
  const sortOf = (key: IncidentSort) => ({
    active: key === sort,
    order: view.order,
    onToggle: () => (key === sort ? go({ order: view.order === 'asc' ? 'desc' : 'asc' }) : go({ sort: key, order: 'desc' })),
  });
  const items = q.data?.items ?? [];
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / INCIDENT_PAGE_SIZE));
  return (
    <>
      <div className="toolbar">
        <span className="muted" role="status" aria-live="polite">
          {q.isFetching && !q.data ? t('common.loading') : q.data ? t('q.incidentCount', { n: total }) : ''}
        </span>
        {me.data?.user.role === 'admin' ? <Link href="/incidents/webhooks">{t('wh.link')}</Link> : null}
      </div>
      <IncidentFigures />
      {q.isError ? <ErrorBox title={t('inc.loadFailed')} error={q.error} /> : null}
      <QueueTable
        label={t('inc.queueLabel')}
        items={items}
        rowKey={(i) => i.id}
        columns={incidentColumns(t, sortOf)}
        rowTestId="incident-row"
        rowData={(i) => ({ 'data-incident-id': i.id })}
        gridClass={styles.grid}
        linkClass="incident-link"
        keyboard
        placeholder={q.isPending ? <p className="page muted">{t('common.loading')}</p> : q.data && items.length === 0 ? <p className="notice">{t('inc.none')}</p> : undefined}
      />
      <Pager page={view.page} pages={pages} onPage={(p) => go({ page: p })} />
    </>
  );
}
