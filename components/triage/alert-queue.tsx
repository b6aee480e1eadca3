'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { alertsListQuery } from '@/lib/queries/alerts';
import { rulesListQuery } from '@/lib/queries/rules';
import {
  alertSortSchema,
  alertStatusSchema,
  verdictSchema,
  type AlertSummary,
  type AlertListQueryInput,
  type AlertSort,
  type AlertStatusValue,
  type VerdictValue,
} from '@/lib/contracts/alerts';
import { rememberQueue } from './queue-memory';
import { ShortcutsDialog } from './shortcuts';
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
  { key: null, label: 'queue.col.assignee' },
  { key: null, label: 'queue.col.verdict' },
];

const DEFAULT_STATUS: AlertStatusValue[] = ['open', 'acknowledged'];
type AssigneeChoice = '' | 'me' | 'none';

/** The queue's view: everything of it lives in the address (back, reload and links keep it). */
interface QueueView {
  status: AlertStatusValue[];
  host: string;
  user: string;
  rule: string;
  q: string;
  verdict: VerdictValue | '';
  assignee: AssigneeChoice;
  sort: AlertSort;
  order: 'asc' | 'desc';
  page: number;
}

const text = (v: string | null) => (v ?? '').slice(0, 512);

/**
 * The view an address says; a missing or bad value is the default (`status` absent: open and
 * acknowledged; `status=` empty: every status).
 */
export function viewOfSearch(sp: URLSearchParams): QueueView {
  const rawStatus = sp.get('status');
  const status =
    rawStatus === null
      ? DEFAULT_STATUS
      : rawStatus
          .split(',')
          .map((s) => alertStatusSchema.safeParse(s))
          .flatMap((r) => (r.success ? [r.data] : []));
  const sort = alertSortSchema.safeParse(sp.get('sort'));
  const verdict = verdictSchema.safeParse(sp.get('verdict'));
  const assignee = sp.get('assignee');
  const page = Number.parseInt(sp.get('page') ?? '1', 10);
  return {
    status,
    host: text(sp.get('host')),
    user: text(sp.get('user')),
    rule: text(sp.get('rule')),
    q: text(sp.get('q')),
    verdict: verdict.success ? verdict.data : '',
    assignee: assignee === 'me' || assignee === 'none' ? assignee : '',
    sort: sort.success ? sort.data : 'timestamp',
    order: sp.get('order') === 'asc' ? 'asc' : 'desc',
    page: Number.isFinite(page) && page >= 1 ? page : 1,
  };
}

/** The address of a view (defaults left out, so the plain queue is plain "/alerts"). */
export function searchOfView(v: QueueView): string {
  const p = new URLSearchParams();
  const sameStatus = v.status.length === DEFAULT_STATUS.length && DEFAULT_STATUS.every((s) => v.status.includes(s));
  if (!sameStatus) p.set('status', v.status.join(','));
  for (const key of ['host', 'user', 'rule', 'q', 'verdict', 'assignee'] as const) if (v[key]) p.set(key, v[key]);
  if (v.sort !== 'timestamp') p.set('sort', v.sort);
  if (v.order !== 'desc') p.set('order', v.order);
  if (v.page !== 1) p.set('page', String(v.page));
  return p.toString();
}

export function AlertQueue() {
  const t = useT();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = searchParams.toString();
  const view = useMemo(() => viewOfSearch(new URLSearchParams(search)), [search]);
  const { status, host, user, rule, q, verdict, assignee, sort, order, page } = view;
  // ids of the rows ticked for a bulk action; kept here (not in the rows) so scrolling the
  // virtualised list, which unmounts rows, loses nothing. A new page/filter/sort starts empty.
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(() => new Set());
  const [showKeys, setShowKeys] = useState(false);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target) || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      setShowKeys(true);
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const filters = { status, host, user, rule, q, verdict: verdict || undefined };
  // assignee=me|none: "my alerts" (the API reads me as the signed-in user) or unassigned
  const query: AlertListQueryInput & { assignee?: string } = {
    ...filters,
    sort,
    order,
    page,
    pageSize: PAGE_SIZE,
    ...(assignee ? { assignee } : {}),
  };
  const list = useQuery(alertsListQuery(query));
  const rules = useQuery(rulesListQuery());
  const me = useQuery(meQuery());
  // row selection exists for the bulk action leads and admins have; others get no checkboxes
  const selectable = me.data?.can.assign ?? false;
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  // the selected alerts as the list shows them now (a refresh brings their current version)
  const selected = useMemo(() => items.filter((a) => selectedIds.has(a.id)), [items, selectedIds]);
  const clearSelection = () => setSelectedIds(new Set());

  // this view and its alerts' order, for "← Queue" and next/previous alert on the triage page
  useEffect(() => {
    if (list.data) rememberQueue(search, items.map((a) => a.id));
  }, [search, items, list.data]);

  const go = useCallback(
    (patch: Partial<QueueView>) => {
      const next = searchOfView({ ...view, page: 1, ...patch });
      router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
      setSelectedIds(new Set());
    },
    [view, router, pathname],
  );
  /** the address of this view with other values (for links: pivots) */
  const hrefOf = (patch: Partial<QueueView>) => {
    const next = searchOfView({ ...view, page: 1, ...patch });
    return next ? `${pathname}?${next}` : pathname;
  };

  function applyFilters(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const st = form
      .getAll('status')
      .map((s) => alertStatusSchema.safeParse(s))
      .flatMap((r) => (r.success ? [r.data] : []));
    const v = verdictSchema.safeParse(form.get('verdict'));
    const a = String(form.get('assignee') ?? '');
    go({
      status: st,
      host: String(form.get('host') ?? '').trim(),
      user: String(form.get('user') ?? '').trim(),
      rule: String(form.get('rule') ?? ''),
      q: String(form.get('q') ?? '').trim(),
      verdict: v.success ? v.data : '',
      assignee: a === 'me' || a === 'none' ? a : '',
    });
  }

  function toggleSort(key: AlertSort) {
    if (key === sort) go({ order: order === 'asc' ? 'desc' : 'asc' });
    else go({ sort: key, order: key === 'rule_name' || key === 'host_name' || key === 'user_name' ? 'asc' : 'desc' });
  }

  function goToPage(p: number) {
    go({ page: p });
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
      {/* keyed by the address: another view shows its own values; the rule list arriving later
          re-mounts only its select (so its default can be chosen), never what was typed */}
      <form key={search} className="toolbar" onSubmit={applyFilters} aria-label={t('queue.filters')}>
        <fieldset className="field" style={{ flexDirection: 'row', gap: '0.6rem', padding: '0.2rem 0.5rem' }}>
          <legend className="small muted">{t('queue.status')}</legend>
          {alertStatusSchema.options.map((s) => (
            <label key={s} className="small">
              <input type="checkbox" name="status" value={s} defaultChecked={status.includes(s)} /> {t(`status.${s}`)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('queue.host')}</span>
          <input name="host" defaultValue={host} placeholder={t('queue.anyHost')} />
        </label>
        <label className="field">
          <span>{t('queue.user')}</span>
          <input name="user" defaultValue={user} placeholder={t('queue.anyUser')} />
        </label>
        <label className="field">
          <span>{t('queue.rule')}</span>
          <select key={rules.data ? 'rules' : 'no-rules'} name="rule" defaultValue={rule}>
            <option value="">{t('queue.anyRule')}</option>
            {(rules.data?.items ?? []).map((r) => (
              <option key={r.ruleId} value={r.ruleId}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('queue.assignee')}</span>
          <select name="assignee" defaultValue={assignee}>
            <option value="">{t('queue.anyone')}</option>
            <option value="me">{t('queue.assignee.me')}</option>
            <option value="none">{t('queue.assignee.none')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('queue.verdict')}</span>
          <select name="verdict" defaultValue={verdict}>
            <option value="">{t('queue.anyVerdict')}</option>
            {verdictSchema.options.map((v) => (
              <option key={v} value={v}>
                {t(`verdict.${v}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('queue.search')}</span>
          <input name="q" type="search" defaultValue={q} placeholder={t('queue.searchPlaceholder')} />
        </label>
        <button type="submit" className="primary">
          {t('queue.apply')}
        </button>
        <span className="small muted" role="status" aria-live="polite">
          {list.isFetching ? t('queue.refreshing') : list.data ? t('queue.total', { count: total }) : ''}
        </span>
      </form>
      <p className="small muted" id="queue-keys">
        {t('queue.keysHint')}
      </p>
      <QueueTeamBar
        mine={assignee === 'me'}
        onMine={(m) => go({ assignee: m ? 'me' : '' })}
        selection={selectable ? { selected, onClear: clearSelection, onSettled: (refused) => setSelectedIds(new Set(refused)) } : null}
        csvParams={{ ...filters, sort, order, ...(assignee === 'none' ? { assignee } : {}) }}
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
          <QueueRows items={items} t={t} selection={selectable ? { ids: selectedIds, onToggle: toggleRow } : null} hrefOf={hrefOf} />
        ) : null}
      </div>
      <ShortcutsDialog open={showKeys} onClose={() => setShowKeys(false)} />
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

/** True when a key press belongs to a text field, a select or a dialog, not to page shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('dialog, [role="dialog"]')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

function QueueRows({
  items,
  t,
  selection,
  hrefOf,
}: {
  items: AlertSummary[];
  t: Translate;
  selection: RowSelection | null;
  hrefOf: (patch: Partial<QueueView>) => string;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  // the row j/k last moved to; focus goes to its rule link (real focus: Enter opens it)
  const [active, setActive] = useState<number | null>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1200, height: 600 },
  });

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (e.key !== 'j' && e.key !== 'k') return;
      if (items.length === 0) return;
      e.preventDefault();
      // start from the row holding focus, if any
      const focusedRow = document.activeElement?.closest<HTMLElement>('[data-testid="alert-row"]');
      const from = focusedRow ? Number(focusedRow.dataset.index) : active;
      const next = from === null || Number.isNaN(from) ? 0 : Math.min(items.length - 1, Math.max(0, from + (e.key === 'j' ? 1 : -1)));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [items.length, active, virtualizer]);

  // once the row is rendered (it may have just scrolled into the window), focus its link
  useEffect(() => {
    if (active === null) return;
    const frame = requestAnimationFrame(() => {
      parentRef.current?.querySelector<HTMLElement>(`[data-index="${active}"] a.rule-link`)?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [active]);

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
              data-index={v.index}
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
                <Link className="rule-link" href={`/alerts/${encodeURIComponent(a.id)}`} onFocus={() => setActive(v.index)}>
                  {a.ruleName}
                </Link>
              </div>
              <div role="cell" className="mono" title={a.hostName ?? ''}>
                {a.hostName ? (
                  <Link href={hrefOf({ host: a.hostName })} aria-label={t('queue.pivotHost', { host: a.hostName })} data-testid="pivot-host">
                    {a.hostName}
                  </Link>
                ) : (
                  '—'
                )}
              </div>
              <div role="cell" className="mono" title={a.userName ?? ''}>
                {a.userName ? (
                  <Link href={hrefOf({ user: a.userName })} aria-label={t('queue.pivotUser', { user: a.userName })} data-testid="pivot-user">
                    {a.userName}
                  </Link>
                ) : (
                  '—'
                )}
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
              <div role="cell" title={a.assignee ?? ''}>
                {a.assignee ?? <span className="muted">{t('queue.assignee.none')}</span>}
              </div>
              <div role="cell">{a.verdict ? t(`verdict.${a.verdict}`) : <span className="muted">—</span>}</div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
