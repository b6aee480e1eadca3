'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { assignableQuery, meQuery } from '@/lib/queries/auth';
import { patchAlert } from '@/lib/queries/alerts';
import { errorMessage } from '@/lib/queries/fetch-json';
import { useT } from '@/components/i18n/use-t';

export interface QueueTeamBarProps {
  /** "my alerts" on or off */
  mine: boolean;
  onMine: (mine: boolean) => void;
  /** the alerts shown on this page (bulk assign acts on them) */
  items: { id: string; version: number; assignee: string | null }[];
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

/** Queue toolbar additions: "my alerts", CSV export of the current filters, bulk assign (leads). */
export function QueueTeamBar({ mine, onMine, items, csvParams }: QueueTeamBarProps) {
  const t = useT();
  const id = useId();
  const client = useQueryClient();
  const me = useQuery(meQuery());
  const canAssign = me.data?.can.assign ?? false;
  const users = useQuery(assignableQuery(canAssign));
  const [target, setTarget] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const bulk = useMutation({
    mutationFn: async (assignee: string) => {
      let done = 0;
      const failed: string[] = [];
      for (const a of items) {
        if (a.assignee === assignee) continue;
        try {
          await patchAlert(a.id, { expectedVersion: a.version, assignee });
          done++;
        } catch (err) {
          failed.push(`${a.id.slice(0, 8)}: ${errorMessage(err)}`);
        }
      }
      return { done, failed };
    },
    onSuccess: ({ done, failed }, assignee) => {
      setResult(`${done} → ${assignee}${failed.length ? `; ${failed.length} refused (${failed.slice(0, 3).join('; ')})` : ''}`);
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['alerts'] }),
  });
  return (
    <div className="toolbar" data-testid="queue-team-bar" style={{ display: 'flex', gap: '0.8rem', alignItems: 'center', flexWrap: 'wrap' }}>
      <label className="small">
        <input type="checkbox" checked={mine} onChange={(e) => onMine(e.target.checked)} /> {t('assign.myAlerts')}
      </label>
      <a className="button small" href={csvUrl(mine ? { ...csvParams, assignee: 'me' } : csvParams)} download>
        {t('export.csv')}
      </a>
      {canAssign ? (
        <span style={{ display: 'inline-flex', gap: '0.3rem', alignItems: 'center' }}>
          <label htmlFor={id} className="small">
            {t('assign.bulk')}
          </label>
          <select id={id} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">—</option>
            {users.data?.items.map((u) => (
              <option key={u.name} value={u.name}>
                {u.name} ({u.role})
              </option>
            ))}
          </select>
          <button type="button" disabled={!target || bulk.isPending || items.length === 0} onClick={() => bulk.mutate(target)}>
            {t('assign.assign')} ({items.length})
          </button>
        </span>
      ) : null}
      {result ? (
        <span role="status" className="small" data-testid="bulk-result">
          {result}
        </span>
      ) : null}
      {bulk.isError ? <span role="alert">{errorMessage(bulk.error)}</span> : null}
    </div>
  );
}
