'use client';

import { toggled } from '@/components/ui/toggled';
import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { alertGroupItemsQuery, alertGroupsQuery, bulkRequests, fetchWholeGroup, type QueueParams } from '@/lib/incidents/queue-queries';
import type { AlertGroupValue, GroupBy } from '@/lib/incidents/queue-contracts';
import { verdictSchema, type AlertSort } from '@/lib/contracts/alerts';
import { assignableQuery, meQuery } from '@/lib/queries/auth';
import { assignEach, sendBulk, type Refusal, type SelectedAlert } from '@/components/auth/bulk-assign';
import { VerdictSelect } from '@/components/ui/verdict-select';
import { SeverityBadge } from '@/components/ui/badges';
import { ErrorBox } from '@/components/ui/error-box';
import { useT } from '@/components/i18n/use-t';
import { errorMessage } from '@/lib/queries/fetch-json';
import { QueueTable } from '@/components/triage/queue-table';
import { Pager, useAlertTable, type QueueView } from '@/components/triage/alert-queue';
import styles from './incidents.module.css';

const GROUP_PAGE = 100;
/** the most alerts one group's bulk action changes (a bound on one click's work: at most 10 requests of 500) */
const BULK_CAP = 5000;

/**
 * The flat queue grouped by rule, host or user: one collapsible section per group (its count,
 * highest severity, how many not closed), its alerts a page at a time when opened, and a bulk
 * action for the whole group (assign, acknowledge, close with a verdict) sent as one request per
 * 500 alerts (POST /api/alerts/assign, /api/alerts/status): the server applies each alert's own
 * rules and version check and lists what it refused, with the reason.
 */
export function AlertGroups({ by, filters, hrefOf }: { by: GroupBy; filters: QueueParams & { sort: AlertSort; order: 'asc' | 'desc' }; hrefOf: (p: Partial<QueueView>) => string }) {
  const t = useT();
  const q = useQuery(alertGroupsQuery(by, filters));
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) => setOpen((prev) => toggled(prev, key));
  return (
    <section aria-label={t('q.groupsLabel', { by: t(`q.group.${by}`) })} data-testid="alert-groups">
      <p className="small muted" role="status" aria-live="polite">
        {q.data ? t('q.groupsCount', { groups: q.data.totalGroups, alerts: q.data.total }) : t('common.loading')}
        {q.data && q.data.totalGroups > q.data.groups.length ? ` ${t('q.groupsCapped', { n: q.data.groups.length })}` : ''}
      </p>
      {q.isError ? <ErrorBox title={t('queue.loadError')} error={q.error} /> : null}
      <div className={styles.groupList}>
        {(q.data?.groups ?? []).map((g) => (
          <Group key={g.key ?? '\u0000'} g={g} by={by} filters={filters} open={g.key !== null && open.has(g.key)} onToggle={() => g.key !== null && toggle(g.key)} hrefOf={hrefOf} />
        ))}
      </div>
    </section>
  );
}

function Group({
  g,
  by,
  filters,
  open,
  onToggle,
  hrefOf,
}: {
  g: AlertGroupValue;
  by: GroupBy;
  filters: QueueParams & { sort: AlertSort; order: 'asc' | 'desc' };
  open: boolean;
  onToggle: () => void;
  hrefOf: (p: Partial<QueueView>) => string;
}) {
  const t = useT();
  const bodyId = useId();
  const name = g.label ?? g.key ?? t(`q.group.none.${by}`);
  return (
    <div className={styles.group} data-testid="alert-group" data-group-key={g.key ?? ''}>
      <div className={styles.groupHead}>
        <h2>
          {g.key === null ? (
            <span>{name}</span>
          ) : (
            <button type="button" aria-expanded={open} aria-controls={open ? bodyId : undefined} onClick={onToggle} data-testid="group-toggle">
              {open ? '▾' : '▸'} <span className={by === 'rule' ? undefined : 'mono'}>{name}</span>
            </button>
          )}
        </h2>
        <SeverityBadge severity={g.severity} />
        <span data-testid="group-count">{t('queue.total', { count: g.count })}</span>
        <span className="small muted">{t('q.groupOpen', { n: g.open })}</span>
        {g.key !== null ? <GroupBulk by={by} groupKey={g.key} name={name} count={g.count} filters={filters} /> : <span className="small muted">{t('q.groupNoKey')}</span>}
      </div>
      {open && g.key !== null ? (
        <div id={bodyId}>
          <GroupItems by={by} groupKey={g.key} filters={filters} hrefOf={hrefOf} />
        </div>
      ) : null}
    </div>
  );
}

function GroupItems({ by, groupKey, filters, hrefOf }: { by: GroupBy; groupKey: string; filters: QueueParams & { sort: AlertSort; order: 'asc' | 'desc' }; hrefOf: (p: Partial<QueueView>) => string }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const q = useQuery(alertGroupItemsQuery(by, groupKey, filters, page, GROUP_PAGE));
  const table = useAlertTable(t, () => undefined, hrefOf);
  const items = q.data?.items ?? [];
  const pages = Math.max(1, Math.ceil((q.data?.total ?? 0) / GROUP_PAGE));
  return (
    <>
      {q.isError ? <ErrorBox title={t('queue.loadError')} error={q.error} /> : null}
      <QueueTable
        label={t('q.groupTable', { name: groupKey })}
        items={items}
        {...table}
        bodyHeight={320}
        placeholder={q.isPending ? <p className="page muted">{t('queue.loading')}</p> : undefined}
      />
      {pages > 1 ? <Pager page={page} pages={pages} onPage={setPage} /> : null}
    </>
  );
}

type BulkKind = 'assign' | 'acknowledge' | 'close';

/** A bulk action: which of the group's alerts it changes (the others have it already), and the request that changes them. */
interface BulkAction {
  applies: (a: SelectedAlert) => boolean;
  send: (alerts: SelectedAlert[], onProgress: (finished: number) => void) => ReturnType<typeof sendBulk>;
}

/** One group's bulk action: what to do, then every alert of the group (as filtered) is changed, the server checking each. */
function GroupBulk({ by, groupKey, name, count, filters }: { by: GroupBy; groupKey: string; name: string; count: number; filters: QueueParams }) {
  const t = useT();
  const client = useQueryClient();
  const me = useQuery(meQuery());
  const canAssign = me.data?.can.assign ?? false;
  const users = useQuery(assignableQuery(canAssign));
  const [kind, setKind] = useState<BulkKind | ''>('');
  const [assignee, setAssignee] = useState('');
  const [verdict, setVerdict] = useState('');
  const [progress, setProgress] = useState<{ finished: number; total: number } | null>(null);
  const ids = { kind: useId(), who: useId(), verdict: useId() };
  const bulk = useMutation({
    mutationFn: async (action: BulkAction) => {
      const alerts = await fetchWholeGroup(by, groupKey, filters, BULK_CAP);
      const selected: SelectedAlert[] = alerts.map((a) => ({ id: a.id, version: a.version, assignee: a.assignee, ruleName: a.ruleName, hostName: a.hostName, status: a.status }));
      const total = selected.filter(action.applies).length;
      setProgress({ finished: 0, total });
      return action.send(selected, (finished) => setProgress({ finished, total }));
    },
    onSettled: () => {
      setProgress(null);
      return client.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
  if (!me.data?.can.work) return null;
  const who = canAssign ? assignee : me.data.user.name;
  const parsedVerdict = verdictSchema.safeParse(verdict);
  const ready = kind === 'acknowledge' || (kind === 'assign' && !!who) || (kind === 'close' && parsedVerdict.success);
  function run() {
    const status = (applies: BulkAction['applies'], change: Parameters<typeof bulkRequests.status>[1]): BulkAction => ({
      applies,
      send: (alerts, onProgress) => sendBulk(alerts, applies, (items) => bulkRequests.status(items, change), onProgress, t),
    });
    if (kind === 'assign' && who) bulk.mutate({ applies: (a) => a.assignee !== who, send: (alerts, onProgress) => assignEach(alerts, who, bulkRequests.assign, onProgress, t) });
    else if (kind === 'acknowledge') bulk.mutate(status((a) => a.status === 'open', { status: 'acknowledged' }));
    else if (kind === 'close' && parsedVerdict.success) bulk.mutate(status((a) => a.status !== 'closed', { status: 'closed', verdict: parsedVerdict.data }));
  }
  const refused: Refusal[] = bulk.data?.refused ?? [];
  return (
    <form
      className="bulk-bar"
      aria-label={t('q.bulkFor', { name })}
      data-testid="group-bulk"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) run();
      }}
    >
      <label htmlFor={ids.kind} className="small">
        {t('q.bulk')}
      </label>
      <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as BulkKind | '')} data-testid="group-bulk-kind">
        <option value="">—</option>
        <option value="assign">{t(canAssign ? 'q.bulk.assign' : 'q.bulk.assignMe')}</option>
        <option value="acknowledge">{t('q.bulk.acknowledge')}</option>
        <option value="close">{t('q.bulk.close')}</option>
      </select>
      {kind === 'assign' && canAssign ? (
        <>
          <label htmlFor={ids.who} className="small">
            {t('assign.assignee')}
          </label>
          <select id={ids.who} value={assignee} onChange={(e) => setAssignee(e.target.value)} data-testid="group-bulk-assignee">
            <option value="">—</option>
            {(users.data?.items ?? []).map((u) => (
              <option key={u.name} value={u.name}>
                {u.name}
              </option>
            ))}
          </select>
        </>
      ) : null}
      {kind === 'close' ? (
        <>
          <label htmlFor={ids.verdict} className="small">
            {t('queue.verdict')}
          </label>
          <VerdictSelect id={ids.verdict} value={verdict} onChange={setVerdict} testId="group-bulk-verdict" />
        </>
      ) : null}
      <button type="submit" disabled={!ready || bulk.isPending} data-testid="group-bulk-apply">
        {t('q.bulk.apply', { n: Math.min(count, BULK_CAP) })}
      </button>
      <span role="status" aria-live="polite" className="small">
        {progress ? t('q.bulk.progress', { done: progress.finished, total: progress.total }) : null}
        {bulk.data ? <span data-testid="group-bulk-result">{t('q.bulk.result', { done: bulk.data.done, unchanged: bulk.data.unchanged, refused: refused.length })}</span> : null}
      </span>
      {bulk.error ? (
        <span className="error-box" role="alert">
          {errorMessage(bulk.error)}
        </span>
      ) : null}
      {refused.length ? (
        <details className="bulk-result">
          <summary>{t('q.bulk.refusedList', { n: refused.length })}</summary>
          <ul>
            {refused.slice(0, 50).map((r) => (
              <li key={r.alert.id}>
                <span className="mono">{r.alert.id}</span>: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </form>
  );
}
