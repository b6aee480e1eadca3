'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { alertsListQuery } from '@/lib/queries/alerts';
import { rulesListQuery } from '@/lib/queries/rules';
import { alertStatusSchema, type AlertSummary, type AlertListQueryInput, type AlertSort, type AlertStatusValue } from '@/lib/contracts/alerts';
import { SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { formatUtc, Timestamp } from '@/components/ui/timestamp';
import { ErrorBox } from '@/components/ui/error-box';
import { QueueTeamBar } from '@/components/auth/queue-team-bar';
import { meQuery } from '@/lib/queries/auth';
import { useT } from '@/components/i18n/use-t';
import type { MessageKey, Translate } from '@/lib/i18n';

const PAGE_SIZE = 100;
const ROW_HEIGHT = 32;

const columns: { key: AlertSort | null; label: MessageKey }[] = [
  { key: 'severity', label: 'queue.col.severity' },
  { key: 'risk_score', label: 'queue.col.risk' },
  { key: 'rule_name', label: 'queue.col.rule' },
  { key: 'host_name', label: 'queue.col.host' },
  { key: 'user_name', label: 'queue.col.user' },
  { key: null, label: 'queue.col.process' },
  { key: null, label: 'queue.col.file' },
  { key: 'timestamp', label: 'queue.col.timestamp' },
  { key: 'status', label: 'queue.col.status' },
];

interface Filters {
  status: AlertStatusValue[];
  host: string;
  user: string;
  rule: string;
}

export function AlertQueue() {
  const t = useT();
  const [filters, setFilters] = useState<Filters>({ status: ['open', 'acknowledged'], host: '', user: '', rule: '' });
  const [sort, setSort] = useState<AlertSort>('timestamp');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [page, setPage] = useState(1);
  const [mine, setMine] = useState(false);
  // ids of the rows ticked for a bulk action; kept here (not in the rows) so scrolling the
  // virtualised list, which unmounts rows, loses nothing. A new page/filter/sort starts empty.
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(() => new Set());

  const base: AlertListQueryInput = { ...filters, sort, order, page, pageSize: PAGE_SIZE };
  // "my alerts": the API reads assignee=me as the signed-in user
  const query = mine ? { ...base, assignee: 'me' } : base;
  const list = useQuery(alertsListQuery(query));
  const rules = useQuery(rulesListQuery());
  const me = useQuery(meQuery());
  // row selection exists for the bulk action leads and admins have; others get no checkboxes
  const selectable = me.data?.can.assign ?? false;
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  // the selected alerts as the list shows them now (a refresh brings their current version)
  const selected = useMemo(() => items.filter((a) => selectedIds.has(a.id)), [items, selectedIds]);
  const clearSelection = () => setSelectedIds(new Set());

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
    clearSelection();
  }

  function toggleSort(key: AlertSort) {
    if (key === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(key);
      setOrder(key === 'rule_name' || key === 'host_name' || key === 'user_name' ? 'asc' : 'desc');
    }
    setPage(1);
    clearSelection();
  }

  function goToPage(p: number) {
    setPage(p);
    clearSelection();
  }

  function toggleRow(id: string, on: boolean) {
    setSelectedIds((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function toggleAll(on: boolean) {
    setSelectedIds(on ? new Set(items.map((a) => a.id)) : new Set());
  }

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div className="page">
      <h1>{t('queue.title')}</h1>
      <form className="toolbar" onSubmit={applyFilters} aria-label={t('queue.filters')}>
        <fieldset className="field" style={{ flexDirection: 'row', gap: '0.6rem', padding: '0.2rem 0.5rem' }}>
          <legend className="small muted">{t('queue.status')}</legend>
          {alertStatusSchema.options.map((s) => (
            <label key={s} className="small">
              <input type="checkbox" name="status" value={s} defaultChecked={filters.status.includes(s)} /> {t(`status.${s}`)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('queue.host')}</span>
          <input name="host" defaultValue={filters.host} placeholder={t('queue.anyHost')} />
        </label>
        <label className="field">
          <span>{t('queue.user')}</span>
          <input name="user" defaultValue={filters.user} placeholder={t('queue.anyUser')} />
        </label>
        <label className="field">
          <span>{t('queue.rule')}</span>
          <select name="rule" defaultValue={filters.rule}>
            <option value="">{t('queue.anyRule')}</option>
            {(rules.data?.items ?? []).map((r) => (
              <option key={r.ruleId} value={r.ruleId}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t('queue.apply')}
        </button>
        <span className="small muted" role="status" aria-live="polite">
          {list.isFetching ? t('queue.refreshing') : list.data ? t(total === 1 ? 'queue.total.one' : 'queue.total.other', { count: total }) : ''}
        </span>
      </form>
      <QueueTeamBar
        mine={mine}
        onMine={(m) => {
          setMine(m);
          setPage(1);
          clearSelection();
        }}
        selection={selectable ? { selected, onClear: clearSelection, onSettled: (refused) => setSelectedIds(new Set(refused)) } : null}
        csvParams={{ ...filters, sort, order }}
      />
      {list.isError ? <ErrorBox title={t('queue.loadError')} error={list.error} /> : null}
      <div className={`queue${selectable ? ' selectable' : ''}`} role="table" aria-label={t('queue.table')} aria-rowcount={items.length + 1}>
        <div className="queue-head" role="row">
          {selectable ? (
            <div role="columnheader" className="select-cell">
              <SelectAll total={items.length} selected={selected.length} onChange={toggleAll} label={t('select.all')} />
            </div>
          ) : null}
          {columns.map((col) => (
            <div key={col.label} role="columnheader" aria-sort={col.key === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
              {col.key ? (
                <button type="button" onClick={() => toggleSort(col.key as AlertSort)} aria-pressed={col.key === sort}>
                  {t(col.label)}
                  {col.key === sort ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                t(col.label)
              )}
            </div>
          ))}
        </div>
        {list.isPending ? (
          <p className="page muted">{t('queue.loading')}</p>
        ) : list.data && items.length === 0 ? (
          <p className="page muted">{t('queue.empty')}</p>
        ) : list.data ? (
          <QueueRows items={items} t={t} selection={selectable ? { ids: selectedIds, onToggle: toggleRow } : null} />
        ) : null}
      </div>
      <nav className="pager" aria-label={t('queue.pages')}>
        <button type="button" onClick={() => goToPage(Math.max(1, page - 1))} disabled={page <= 1}>
          {t('queue.prev')}
        </button>
        <span>{t('queue.pageOf', { page, pages })}</span>
        <button type="button" onClick={() => goToPage(Math.min(pages, page + 1))} disabled={page >= pages}>
          {t('queue.next')}
        </button>
      </nav>
    </div>
  );
}

/** The header checkbox: all rows of this page on/off, mixed (indeterminate) when some are. */
function SelectAll({ total, selected, onChange, label }: { total: number; selected: number; onChange: (on: boolean) => void; label: string }) {
  const ref = useRef<HTMLInputElement>(null);
  const all = total > 0 && selected === total;
  const some = selected > 0 && !all;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = some;
  }, [some]);
  return (
    <input
      ref={ref}
      type="checkbox"
      checked={all}
      aria-checked={some ? 'mixed' : all}
      disabled={total === 0}
      onChange={() => onChange(!all)}
      aria-label={label}
      title={label}
      data-testid="select-all"
    />
  );
}

interface RowSelection {
  ids: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
}

function QueueRows({ items, t, selection }: { items: AlertSummary[]; t: Translate; selection: RowSelection | null }) {
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
              data-selected={selection ? selection.ids.has(a.id) : undefined}
              data-version={a.version}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
            >
              {selection ? (
                <div role="cell" className="select-cell">
                  <input
                    type="checkbox"
                    checked={selection.ids.has(a.id)}
                    onChange={(e) => selection.onToggle(a.id, e.target.checked)}
                    aria-label={t('select.row', { rule: a.ruleName, host: a.hostName ?? '—', time: formatUtc(a.timestamp) })}
                    data-testid="select-row"
                  />
                </div>
              ) : null}
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
