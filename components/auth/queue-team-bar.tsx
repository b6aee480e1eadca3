'use client';

import Link from 'next/link';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { meQuery } from '@/lib/queries/auth';
import { bulkRequests } from '@/lib/incidents/queue-queries';
import { describeError } from '@/lib/queries/error-text';
import { useT } from '@/components/i18n/use-t';
import type { Translate } from '@/lib/i18n';
import { assignEach, type BulkOutcome, type SelectedAlert } from './bulk-assign';
import { AssigneeSelect } from './assignee-select';

export type { SelectedAlert } from './bulk-assign';

export interface QueueSelection {
  /** the selected alerts as the list shows them now */
  selected: SelectedAlert[];
  onClear: () => void;
  /** after a bulk action: the ids that were refused stay selected, the others are cleared */
  onSettled: (refusedIds: string[]) => void;
}

export interface QueueTeamBarProps {
  /** "my alerts" on or off */
  mine: boolean;
  onMine: (mine: boolean) => void;
  /** row selection and bulk assign (leads and admins); null for roles that have no bulk action */
  selection: QueueSelection | null;
  /** the queue's current filters as query parameters (for the CSV export) */
  csvParams: Record<string, string | string[] | undefined>;
}

export function csvUrl(params: Record<string, string | string[] | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    p.set(k, Array.isArray(v) ? v.join(',') : v);
  }
  const qs = p.toString();
  return `/api/alerts/export${qs ? `?${qs}` : ''}`;
}

/** Queue toolbar additions: "my alerts", CSV export of the current filters, bulk assign of the selected rows (leads). */
export function QueueTeamBar({ mine, onMine, selection, csvParams }: QueueTeamBarProps) {
  // the tick as the user set it, until the view read from the address changes
  const [pending, setPending] = useState<{ value: boolean; while: boolean } | null>(null);
  const shownMine = pending && pending.while === mine ? pending.value : mine;
  const t = useT();
  const id = useId();
  const client = useQueryClient();
  const me = useQuery(meQuery());
  const canWork = me.data?.can.work ?? false;
  const canAssign = selection !== null && (me.data?.can.assign ?? false);
  const [target, setTarget] = useState('');
  const [progress, setProgress] = useState<{ finished: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const selected = selection?.selected ?? [];
  const bulk = useMutation({
    mutationFn: async ({ alerts, assignee }: { alerts: SelectedAlert[]; assignee: string }) => {
      setOutcome(null);
      const total = alerts.filter((a) => a.assignee !== assignee).length;
      setProgress({ finished: 0, total });
      return assignEach(alerts, assignee, bulkRequests.assign, (finished) => setProgress({ finished, total }), t);
    },
    onSuccess: (result) => {
      setOutcome(result);
      selection?.onSettled(result.refused.map((r) => r.alert.id));
    },
    onSettled: () => {
      setProgress(null);
      return client.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
  return (
    <div className="toolbar team-bar" data-testid="queue-team-bar">
      {canWork ? (
        <label className="small">
          <input
            type="checkbox"
            checked={shownMine}
            onChange={(e) => {
              // shown at once; the address (the queue's view) follows a moment later
              setPending({ value: e.target.checked, while: mine });
              onMine(e.target.checked);
            }}
          />{' '}
          {t('assign.myAlerts')}
        </label>
      ) : null}
      <a className="button small" href={csvUrl(mine ? { ...csvParams, assignee: 'me' } : csvParams)} download>
        {t('export.csv')}
      </a>
      {canAssign ? (
        <div role="group" aria-label={t('bulk.label')} className="bulk-bar" data-testid="bulk-bar">
          <span className="small" data-testid="selected-count" aria-live="polite">
            {t('select.count', { count: selected.length })}
          </span>
          <button type="button" className="small" onClick={() => selection?.onClear()} disabled={selected.length === 0 || bulk.isPending}>
            {t('select.clear')}
          </button>
          <label htmlFor={id} className="small">
            {t('assign.bulk')}
          </label>
          <AssigneeSelect id={id} value={target} onChange={setTarget} disabled={bulk.isPending} />
          <button
            type="button"
            className="primary"
            data-testid="bulk-assign"
            disabled={!target || bulk.isPending || selected.length === 0}
            title={selected.length === 0 ? t('bulk.pickAlerts') : !target ? t('bulk.pickAssignee') : undefined}
            onClick={() => bulk.mutate({ alerts: selected, assignee: target })}
          >
            {t('bulk.assign', { count: selected.length })}
          </button>
        </div>
      ) : null}
      {progress ? (
        <span role="status" className="small">
          {t('bulk.working', { done: progress.finished, total: progress.total })}
        </span>
      ) : null}
      {outcome ? <BulkResult outcome={outcome} t={t} onDismiss={() => setOutcome(null)} /> : null}
      {bulk.isError ? <span role="alert">{describeError(t, bulk.error)}</span> : null}
    </div>
  );
}

function BulkResult({ outcome, t, onDismiss }: { outcome: BulkOutcome; t: Translate; onDismiss: () => void }) {
  return (
    <div className="bulk-result small" data-testid="bulk-result">
      <p role="status">
        {t('bulk.done', { done: outcome.done, name: outcome.assignee })}
        {outcome.unchanged ? ` ${t('bulk.unchanged', { count: outcome.unchanged, name: outcome.assignee })}` : ''}
      </p>
      {outcome.refused.length ? (
        <div role="alert" data-testid="bulk-refused">
          <p>{t('bulk.refused', { count: outcome.refused.length })}</p>
          <ul>
            {outcome.refused.map((r) => (
              <li key={r.alert.id} data-alert-id={r.alert.id}>
                <Link href={`/alerts/${encodeURIComponent(r.alert.id)}`}>{r.alert.ruleName}</Link>
                {r.alert.hostName ? <span className="mono"> · {r.alert.hostName}</span> : null}: {r.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <button type="button" className="small" onClick={onDismiss}>
        {t('bulk.dismiss')}
      </button>
    </div>
  );
}
