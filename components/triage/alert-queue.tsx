'use client';

import Link from 'next/link';
import { useRef, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { alertsListQuery, alertsListUrl } from '@/lib/queries/alerts';
import { rulesListQuery } from '@/lib/queries/rules';
import { alertStatusSchema, type AlertSummary, type AlertListQueryInput, type AlertSort, type AlertStatusValue } from '@/lib/contracts/alerts';
import { SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { Timestamp } from '@/components/ui/timestamp';
import { ErrorBox } from '@/components/ui/error-box';
import { QueueTeamBar } from '@/components/auth/queue-team-bar';

const PAGE_SIZE = 100;
const ROW_HEIGHT = 32;

const columns: { key: AlertSort | null; label: string }[] = [
  { key: 'severity', label: 'Severity' },
  { key: 'risk_score', label: 'Risk' },
  { key: 'rule_name', label: 'Rule' },
  { key: 'host_name', label: 'Host' },
  { key: 'user_name', label: 'User' },
  { key: null, label: 'Process' },
  { key: null, label: 'File' },
  { key: 'timestamp', label: 'Timestamp (UTC)' },
  { key: 'status', label: 'Status' },
];

interface Filters {
  status: AlertStatusValue[];
  host: string;
  user: string;
  rule: string;
}

export function AlertQueue() {
  const [filters, setFilters] = useState<Filters>({ status: ['open', 'acknowledged'], host: '', user: '', rule: '' });
  const [sort, setSort] = useState<AlertSort>('timestamp');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [page, setPage] = useState(1);
  const [mine, setMine] = useState(false);

  const base: AlertListQueryInput = { ...filters, sort, order, page, pageSize: PAGE_SIZE };
  // "my alerts": the API reads assignee=me as the signed-in user
  const query = mine ? { ...base, assignee: 'me' } : base;
  const list = useQuery(alertsListQuery(query));
  const rules = useQuery(rulesListQuery());

  function applyFilters(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const status = form
      .getAll('status')
      .map((s) => alertStatusSchema.safeParse(s))
      .flatMap((r) => (r.success ? [r.data] : []));
    setFilters({
      status,
      host: String(form.get('host') ?? ''),
      user: String(form.get('user') ?? ''),
      rule: String(form.get('rule') ?? ''),
    });
    setPage(1);
  }

  function toggleSort(key: AlertSort) {
    if (key === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(key);
      setOrder(key === 'rule_name' || key === 'host_name' || key === 'user_name' ? 'asc' : 'desc');
    }
    setPage(1);
  }

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div className="page">
      <h1>Alerts</h1>
      <form className="toolbar" onSubmit={applyFilters} aria-label="Filter alerts">
        <fieldset className="field" style={{ flexDirection: 'row', gap: '0.6rem', padding: '0.2rem 0.5rem' }}>
          <legend className="small muted">Status</legend>
          {alertStatusSchema.options.map((s) => (
            <label key={s} className="small">
              <input type="checkbox" name="status" value={s} defaultChecked={filters.status.includes(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Host</span>
          <input name="host" defaultValue={filters.host} placeholder="any host" />
        </label>
        <label className="field">
          <span>User</span>
          <input name="user" defaultValue={filters.user} placeholder="any user" />
        </label>
        <label className="field">
          <span>Rule</span>
          <select name="rule" defaultValue={filters.rule}>
            <option value="">any rule</option>
            {(rules.data?.items ?? []).map((r) => (
              <option key={r.ruleId} value={r.ruleId}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Apply filters
        </button>
        <a className="small" href={alertsListUrl({ ...filters, sort, order }).replace('/api/alerts', '/api/alerts/export')} download>
          Export CSV
        </a>
        <span className="small muted" role="status" aria-live="polite">
          {list.isFetching ? 'Refreshing…' : list.data ? `${total} alert${total === 1 ? '' : 's'}` : ''}
        </span>
      </form>
      <QueueTeamBar
        mine={mine}
        onMine={(m) => {
          setMine(m);
          setPage(1);
        }}
        items={list.data?.items ?? []}
        csvParams={{ ...filters, sort, order }}
      />
      {list.isError ? <ErrorBox title="Could not load alerts." error={list.error} /> : null}
      <div className="queue" role="table" aria-label="Alert queue" aria-rowcount={(list.data?.items.length ?? 0) + 1}>
        <div className="queue-head" role="row">
          {columns.map((col) => (
            <div key={col.label} role="columnheader" aria-sort={col.key === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
              {col.key ? (
                <button type="button" onClick={() => toggleSort(col.key as AlertSort)} aria-pressed={col.key === sort}>
                  {col.label}
                  {col.key === sort ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                col.label
              )}
            </div>
          ))}
        </div>
        {list.isPending ? (
          <p className="page muted">Loading alerts…</p>
        ) : list.data && list.data.items.length === 0 ? (
          <p className="page muted">No alerts match these filters.</p>
        ) : list.data ? (
          <QueueRows items={list.data.items} />
        ) : null}
      </div>
      <nav className="pager" aria-label="Pages">
        <button type="button" onClick={() => setPage(Math.max(1, page - 1))} disabled={page <= 1}>
          Previous page
        </button>
        <span>
          Page {page} of {pages}
        </span>
        <button type="button" onClick={() => setPage(Math.min(pages, page + 1))} disabled={page >= pages}>
          Next page
        </button>
      </nav>
    </div>
  );
}

function QueueRows({ items }: { items: AlertSummary[] }) {
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
    <div ref={parentRef} className="queue-body" role="rowgroup">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const a = items[v.index];
          if (!a) return null;
          return (
            <div
              key={a.id}
              role="row"
              aria-rowindex={v.index + 2}
              className="queue-row"
              data-testid="alert-row"
              data-alert-id={a.id}
              data-source-id={a.source?._id}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
            >
              <div role="cell">
                <SeverityBadge severity={a.severity} />
              </div>
              <div role="cell" className="mono">
                {a.riskScore}
              </div>
              <div role="cell" title={a.ruleName}>
                <Link href={`/alerts/${encodeURIComponent(a.id)}`}>{a.ruleName}</Link>
              </div>
              <div role="cell" className="mono" title={a.hostName ?? ''}>
                {a.hostName ?? '—'}
              </div>
              <div role="cell" className="mono" title={a.userName ?? ''}>
                {a.userName ?? '—'}
              </div>
              <div role="cell" className="mono" title={a.processName ?? ''}>
                {a.processName ?? '—'}
              </div>
              <div role="cell" className="mono" title={a.filePath ?? ''}>
                {a.filePath ?? '—'}
              </div>
              <div role="cell">
                <Timestamp iso={a.timestamp} />
              </div>
              <div role="cell">
                <StatusBadge status={a.status} />
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
