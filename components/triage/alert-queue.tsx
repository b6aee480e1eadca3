'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
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
import { incidentSortSchema } from '@/lib/contracts/incidents';
import { groupBySchema, queueKindSchema, type GroupBy, type QueueKind } from '@/lib/incidents/queue-contracts';
import { rememberQueue } from './queue-memory';
import { excludeOfSearch, QUEUE_EXCLUDE_KEYS, QueueExclusions, type QueueExclude } from './queue-exclusions';
import { ShortcutsDialog } from './shortcuts';
import { QueueTable, isTypingTarget, type QueueColumn } from './queue-table';
import { SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { formatUtc, Timestamp } from '@/components/ui/timestamp';
import { ErrorBox } from '@/components/ui/error-box';
import { QueueTeamBar } from '@/components/auth/queue-team-bar';
import { MiddleCut } from '@/components/shell/middle-cut';
import { IncidentList } from '@/components/incidents/incident-queue';
import { AlertGroups } from '@/components/incidents/alert-groups';
import { SavedViews } from '@/components/incidents/saved-views';
import { meQuery } from '@/lib/queries/auth';
import styles from '@/components/incidents/incidents.module.css';
import { useT } from '@/components/i18n/use-t';
import type { Translate } from '@/lib/i18n';

export { isTypingTarget } from './queue-table';

const PAGE_SIZE = 100;

const DEFAULT_STATUS: AlertStatusValue[] = ['open', 'acknowledged'];
type AssigneeChoice = '' | 'me' | 'none';

/** The queue's view: everything of it lives in the address (back, reload and links keep it). */
export interface QueueView {
  /** incidents or flat alerts (the address omits the page's own default) */
  kind: QueueKind;
  /** the flat alerts grouped by rule, host or user ('' : not grouped) */
  group: GroupBy | '';
  status: AlertStatusValue[];
  host: string;
  user: string;
  rule: string;
  q: string;
  verdict: VerdictValue | '';
  assignee: AssigneeChoice;
  /** an alert sort in the alert view, an incident sort in the incident view */
  sort: string;
  order: 'asc' | 'desc';
  page: number;
  /** filter-out values (the triage page's exclude pivots), by parameter; absent when none */
  exclude?: QueueExclude;
}

const text = (v: string | null) => (v ?? '').slice(0, 512);
const defaultSort = (kind: QueueKind) => (kind === 'incidents' ? 'last_seen' : 'timestamp');

/**
 * The view an address says; a missing or bad value is the default (`status` absent: open and
 * acknowledged; `status=` empty: every status; `view` absent: the page's own kind).
 */
export function viewOfSearch(sp: URLSearchParams, defaultKind: QueueKind = 'alerts'): QueueView {
  const rawStatus = sp.get('status');
  const status =
    rawStatus === null
      ? DEFAULT_STATUS
      : rawStatus
          .split(',')
          .map((s) => alertStatusSchema.safeParse(s))
          .flatMap((r) => (r.success ? [r.data] : []));
  const kindParsed = queueKindSchema.safeParse(sp.get('view'));
  const kind = kindParsed.success ? kindParsed.data : defaultKind;
  const sort = (kind === 'incidents' ? incidentSortSchema : alertSortSchema).safeParse(sp.get('sort'));
  const group = groupBySchema.safeParse(sp.get('group'));
  const verdict = verdictSchema.safeParse(sp.get('verdict'));
  const assignee = sp.get('assignee');
  const page = Number.parseInt(sp.get('page') ?? '1', 10);
  return {
    kind,
    group: kind === 'alerts' && group.success ? group.data : '',
    status,
    host: text(sp.get('host')),
    user: text(sp.get('user')),
    rule: text(sp.get('rule')),
    q: text(sp.get('q')),
    verdict: verdict.success ? verdict.data : '',
    assignee: assignee === 'me' || assignee === 'none' ? assignee : '',
    sort: sort.success ? sort.data : defaultSort(kind),
    order: sp.get('order') === 'asc' ? 'asc' : 'desc',
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    ...excludeOfSearch(sp),
  };
}

/** The address of a view (defaults left out, so the plain queue is a plain path; a null defaultKind always names the kind, as saved views do). */
export function searchOfView(v: QueueView, defaultKind: QueueKind | null = 'alerts'): string {
  const p = new URLSearchParams();
  if (v.kind !== defaultKind) p.set('view', v.kind);
  if (v.kind === 'alerts' && v.group) p.set('group', v.group);
  const sameStatus = v.status.length === DEFAULT_STATUS.length && DEFAULT_STATUS.every((s) => v.status.includes(s));
  if (!sameStatus) p.set('status', v.status.join(','));
  for (const key of ['host', 'user', 'rule', 'q', 'verdict', 'assignee'] as const) if (v[key]) p.set(key, v[key]);
  for (const key of QUEUE_EXCLUDE_KEYS) if (v.exclude?.[key]) p.set(key, v.exclude[key]);
  if (v.sort !== defaultSort(v.kind)) p.set('sort', v.sort);
  if (v.order !== 'desc') p.set('order', v.order);
  if (v.page !== 1) p.set('page', String(v.page));
  return p.toString();
}

/** The queue's filters as the alert API reads them (the list, the groups and the CSV export alike). */
function alertFilters(v: QueueView) {
  return {
    status: v.status,
    host: v.host,
    user: v.user,
    rule: v.rule,
    q: v.q,
    verdict: v.verdict || undefined,
    sort: v.sort as AlertSort,
    order: v.order,
    ...(v.assignee ? { assignee: v.assignee } : {}),
    ...v.exclude,
  };
}

export interface AlertQueueProps {
  /** what the page shows with no `view` in its address: the home page incidents, /alerts alerts */
  defaultKind?: QueueKind;
}

/**
 * The queue: incidents (one row per investigation) or flat alerts, switched in the address;
 * the flat alerts can be grouped by rule, host or user with a bulk action per group; saved
 * views per user and a shared default; live refresh; virtualised rows, paged requests.
 */
export function AlertQueue({ defaultKind = 'alerts' }: AlertQueueProps) {
  const t = useT();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = searchParams.toString();
  const view = useMemo(() => viewOfSearch(new URLSearchParams(search), defaultKind), [search, defaultKind]);
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

  const go = useCallback(
    (patch: Partial<QueueView>) => {
      const next = searchOfView({ ...view, page: 1, ...patch }, defaultKind);
      router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
    },
    [view, router, pathname, defaultKind],
  );
  /** the address of this view with other values (for links: pivots) */
  const hrefOf = useCallback(
    (patch: Partial<QueueView>) => {
      const next = searchOfView({ ...view, page: 1, ...patch }, defaultKind);
      return next ? `${pathname}?${next}` : pathname;
    },
    [view, pathname, defaultKind],
  );

  function switchKind(kind: QueueKind) {
    if (kind === view.kind) return;
    // the filters both views share stay; sort, grouping and page are each view's own
    go({ kind, sort: defaultSort(kind), order: 'desc', group: '' });
  }

  return (
    <div className="page">
      <div className="toolbar">
        <h1 style={{ margin: 0, fontSize: '1.2rem' }}>{t(view.kind === 'incidents' ? 'inc.title' : 'queue.title')}</h1>
        <div role="group" aria-label={t('q.kind')} className={styles.segmented} data-testid="queue-kind">
          {(['incidents', 'alerts'] as const).map((k) => (
            <button key={k} type="button" aria-pressed={view.kind === k} onClick={() => switchKind(k)} data-testid={`queue-kind-${k}`}>
              {t(k === 'incidents' ? 'q.kind.incidents' : 'q.kind.alerts')}
            </button>
          ))}
        </div>
        <SavedViews search={searchOfView({ ...view, page: 1 }, null)} pathname={pathname} defaultKind={defaultKind} applySharedDefault={defaultKind === 'incidents' && search === ''} />
      </div>
      <QueueFilters view={view} go={go} search={search} />
      {view.kind === 'alerts' && view.exclude ? <QueueExclusions exclude={view.exclude} go={go} /> : null}
      {view.kind === 'incidents' ? (
        <IncidentList view={view} go={go} />
      ) : view.group ? (
        <AlertGroups by={view.group} filters={alertFilters(view)} hrefOf={hrefOf} />
      ) : (
        <FlatAlerts view={view} go={go} search={search} hrefOf={hrefOf} />
      )}
      <ShortcutsDialog open={showKeys} onClose={() => setShowKeys(false)} />
    </div>
  );
}

/** The filter form: status, assignee and search for both views; host, user, rule, verdict and grouping for alerts. */
function QueueFilters({ view, go, search }: { view: QueueView; go: (p: Partial<QueueView>) => void; search: string }) {
  const t = useT();
  const alerts = view.kind === 'alerts';
  const rules = useQuery({ ...rulesListQuery(), enabled: alerts });
  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const st = form
      .getAll('status')
      .map((s) => alertStatusSchema.safeParse(s))
      .flatMap((r) => (r.success ? [r.data] : []));
    const v = verdictSchema.safeParse(form.get('verdict'));
    const a = String(form.get('assignee') ?? '');
    const g = groupBySchema.safeParse(form.get('group'));
    go({
      status: st,
      q: String(form.get('q') ?? '').trim(),
      assignee: a === 'me' || a === 'none' ? a : '',
      ...(alerts
        ? {
            host: String(form.get('host') ?? '').trim(),
            user: String(form.get('user') ?? '').trim(),
            rule: String(form.get('rule') ?? ''),
            verdict: v.success ? v.data : '',
            group: g.success ? g.data : '',
          }
        : {}),
    });
  }
  return (
    // keyed by the address: another view shows its own values; the rule list arriving later
    // re-mounts only its select (so its default can be chosen), never what was typed
    <form key={search} className="toolbar" onSubmit={apply} aria-label={t(alerts ? 'queue.filters' : 'q.filtersIncidents')}>
      <fieldset className="field" style={{ flexDirection: 'row', gap: '0.6rem', padding: '0.2rem 0.5rem' }}>
        <legend className="small muted">{t('queue.status')}</legend>
        {alertStatusSchema.options.map((s) => (
          <label key={s} className="small">
            <input type="checkbox" name="status" value={s} defaultChecked={view.status.includes(s)} /> {t(`status.${s}`)}
          </label>
        ))}
      </fieldset>
      {alerts ? (
        <>
          <label className="field">
            <span>{t('queue.host')}</span>
            <input name="host" defaultValue={view.host} placeholder={t('queue.anyHost')} />
          </label>
          <label className="field">
            <span>{t('queue.user')}</span>
            <input name="user" defaultValue={view.user} placeholder={t('queue.anyUser')} />
          </label>
          <label className="field">
            <span>{t('queue.rule')}</span>
            <select key={rules.data ? 'rules' : 'no-rules'} name="rule" defaultValue={view.rule}>
              <option value="">{t('queue.anyRule')}</option>
              {(rules.data?.items ?? []).map((r) => (
                <option key={r.ruleId} value={r.ruleId}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        </>
      ) : null}
      <label className="field">
        <span>{t('queue.assignee')}</span>
        <select name="assignee" defaultValue={view.assignee}>
          <option value="">{t('queue.anyone')}</option>
          <option value="me">{t('queue.assignee.me')}</option>
          <option value="none">{t('queue.assignee.none')}</option>
        </select>
      </label>
      {alerts ? (
        <label className="field">
          <span>{t('queue.verdict')}</span>
          <select name="verdict" defaultValue={view.verdict}>
            <option value="">{t('queue.anyVerdict')}</option>
            {verdictSchema.options.map((v) => (
              <option key={v} value={v}>
                {t(`verdict.${v}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="field">
        <span>{t('queue.search')}</span>
        <input name="q" type="search" defaultValue={view.q} placeholder={t(alerts ? 'queue.searchPlaceholder' : 'q.searchIncidents')} />
      </label>
      {alerts ? (
        <label className="field">
          <span>{t('q.groupBy')}</span>
          <select name="group" defaultValue={view.group} data-testid="queue-group-by">
            <option value="">{t('q.group.none')}</option>
            {groupBySchema.options.map((g) => (
              <option key={g} value={g}>
                {t(`q.group.${g}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <button type="submit" className="primary">
        {t('queue.apply')}
      </button>
    </form>
  );
}

function alertColumns(t: Translate, sortOf: (key: AlertSort) => QueueColumn<AlertSummary>['sort'], hrefOf: (p: Partial<QueueView>) => string): QueueColumn<AlertSummary>[] {
  return [
    { id: 'severity', header: t('queue.col.severity'), sort: sortOf('severity'), cell: (a) => <SeverityBadge severity={a.severity} /> },
    { id: 'risk', header: t('queue.col.risk'), sort: sortOf('risk_score'), className: 'mono', cell: (a) => a.riskScore },
    {
      id: 'rule',
      header: t('queue.col.rule'),
      sort: sortOf('rule_name'),
      title: (a) => a.ruleName,
      cell: (a) => (
        <Link className="rule-link" href={`/alerts/${encodeURIComponent(a.id)}`}>
          {a.ruleName}
        </Link>
      ),
    },
    {
      id: 'host',
      header: t('queue.col.host'),
      sort: sortOf('host_name'),
      className: 'mono',
      title: (a) => a.hostName ?? '',
      cell: (a) =>
        a.hostName ? (
          <Link href={hrefOf({ host: a.hostName })} aria-label={t('queue.pivotHost', { host: a.hostName })} data-testid="pivot-host">
            {a.hostName}
          </Link>
        ) : (
          '—'
        ),
    },
    {
      id: 'user',
      header: t('queue.col.user'),
      sort: sortOf('user_name'),
      className: 'mono',
      title: (a) => a.userName ?? '',
      cell: (a) =>
        a.userName ? (
          <Link href={hrefOf({ user: a.userName })} aria-label={t('queue.pivotUser', { user: a.userName })} data-testid="pivot-user">
            {a.userName}
          </Link>
        ) : (
          '—'
        ),
    },
    { id: 'process', header: t('queue.col.process'), className: 'mono', title: (a) => a.processName ?? '', cell: (a) => a.processName ?? '—' },
    { id: 'file', header: t('queue.col.file'), className: 'mono', cell: (a) => (a.filePath ? <MiddleCut path={a.filePath} /> : '—') },
    { id: 'timestamp', header: t('queue.col.timestamp'), sort: sortOf('timestamp'), cell: (a) => <Timestamp iso={a.timestamp} /> },
    { id: 'status', header: t('queue.col.status'), sort: sortOf('status'), cell: (a) => <StatusBadge status={a.status} /> },
    { id: 'assignee', header: t('queue.col.assignee'), title: (a) => a.assignee ?? '', cell: (a) => a.assignee ?? <span className="muted">{t('queue.assignee.none')}</span> },
    { id: 'verdict', header: t('queue.col.verdict'), cell: (a) => (a.verdict ? t(`verdict.${a.verdict}`) : <span className="muted">—</span>) },
  ];
}

/** The alert table's columns and row attributes (the flat queue and each open group show alerts alike). */
export function useAlertTable(t: Translate, sortOf: (key: AlertSort) => QueueColumn<AlertSummary>['sort'], hrefOf: (p: Partial<QueueView>) => string) {
  const columns = alertColumns(t, sortOf, hrefOf);
  const rowData = (a: AlertSummary) => ({ 'data-alert-id': a.id, 'data-source-id': a.source?._id, 'data-version': a.version });
  // the props every alert table shares (the flat queue, a group's alerts): spread into QueueTable
  return { rowKey: (a: AlertSummary) => a.id, columns, rowTestId: 'alert-row', rowData, linkClass: 'rule-link' };
}

/** The flat alert list: a page of 100 in the queue's order, bulk assign of selected rows (leads). */
function FlatAlerts({ view, go, search, hrefOf }: { view: QueueView; go: (p: Partial<QueueView>) => void; search: string; hrefOf: (p: Partial<QueueView>) => string }) {
  const t = useT();
  const { sort, order, page, assignee } = view;
  // ids of the rows ticked for a bulk action; kept here (not in the rows) so scrolling the
  // virtualised list, which unmounts rows, loses nothing. A new page/filter/sort starts empty.
  const [selection, setSelection] = useState<{ search: string; ids: ReadonlySet<string> }>({ search, ids: new Set() });
  const selectedIds = useMemo(() => (selection.search === search ? selection.ids : new Set<string>()), [selection, search]);
  const setSelectedIds = (ids: ReadonlySet<string>) => setSelection({ search, ids });
  const filters = alertFilters(view);
  const query: AlertListQueryInput & { assignee?: string } = { ...filters, page, pageSize: PAGE_SIZE };
  const list = useQuery(alertsListQuery(query));
  const me = useQuery(meQuery());
  // row selection exists for the bulk action leads and admins have; others get no checkboxes
  const selectable = me.data?.can.assign ?? false;
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const selected = useMemo(() => items.filter((a) => selectedIds.has(a.id)), [items, selectedIds]);

  // this view and its alerts' order, for "← Queue" and next/previous alert on the triage page
  useEffect(() => {
    if (list.data) rememberQueue(search, items.map((a) => a.id));
  }, [search, items, list.data]);

  const sortOf = (key: AlertSort) => ({
    active: key === sort,
    order,
    onToggle: () => {
      if (key === sort) go({ order: order === 'asc' ? 'desc' : 'asc' });
      else go({ sort: key, order: key === 'rule_name' || key === 'host_name' || key === 'user_name' ? 'asc' : 'desc' });
    },
  });
  const table = useAlertTable(t, sortOf, hrefOf);
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <>
      <p className="small muted" id="queue-keys">
        <span role="status" aria-live="polite">
          {list.isFetching ? t('queue.refreshing') : list.data ? t('queue.total', { count: total }) : ''}
        </span>{' '}
        {t('queue.keysHint')}
      </p>
      <QueueTeamBar
        mine={assignee === 'me'}
        onMine={(m) => go({ assignee: m ? 'me' : '' })}
        selection={selectable ? { selected, onClear: () => setSelectedIds(new Set()), onSettled: (refused) => setSelectedIds(new Set(refused)) } : null}
        csvParams={{ ...filters, assignee: assignee === 'none' ? assignee : undefined }}
      />
      {list.isError ? <ErrorBox title={t('queue.loadError')} error={list.error} /> : null}
      <QueueTable
        label={t('queue.table')}
        items={items}
        {...table}
        keyboard
        selection={
          selectable
            ? {
                ids: selectedIds,
                onToggle: (id, on) => {
                  const next = new Set(selectedIds);
                  if (on) next.add(id);
                  else next.delete(id);
                  setSelectedIds(next);
                },
                onAll: (on) => setSelectedIds(on ? new Set(items.map((a) => a.id)) : new Set()),
                rowLabel: (a) => t('select.row', { rule: a.ruleName, host: a.hostName ?? '—', time: formatUtc(a.timestamp) }),
                allLabel: t('select.all'),
              }
            : null
        }
        placeholder={
          list.isPending ? (
            <p className="page muted">{t('queue.loading')}</p>
          ) : list.data && items.length === 0 ? (
            <p className="page muted">{t('queue.empty')}</p>
          ) : !list.data ? (
            <></>
          ) : undefined
        }
      />
      <Pager page={page} pages={pages} onPage={(p) => go({ page: p })} />
    </>
  );
}

export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (p: number) => void }) {
  const t = useT();
  return (
    <nav className="pager" aria-label={t('queue.pages')}>
      <button type="button" onClick={() => onPage(Math.max(1, page - 1))} disabled={page <= 1}>
        {t('queue.prev')}
      </button>
      <span>{t('queue.pageOf', { page, pages })}</span>
      <button type="button" onClick={() => onPage(Math.min(pages, page + 1))} disabled={page >= pages}>
        {t('queue.next')}
      </button>
    </nav>
  );
}
