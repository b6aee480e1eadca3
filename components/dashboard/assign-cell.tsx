'use client';

import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { patchAlert } from '@/lib/queries/alerts';
import { assignableQuery, meQuery } from '@/lib/queries/auth';
import { describeError } from '@/lib/queries/error-text';
import { roleLabel, useT } from '@/components/i18n/use-t';
import { formatUtc } from '@/components/ui/timestamp';

export interface AssignCellProps {
  alert: { id: string; version: number; assignee: string | null; ruleName: string; hostName: string | null; timestamp: string };
  /** where the result is said (one live region for the table) */
  onResult: (message: string, ok: boolean) => void;
}

/**
 * The assignee of an open investigation; leads (can.assign) choose another one here. The
 * change goes through PATCH /api/alerts/:id (the server checks the role and the alert's
 * version, so a stale dashboard row is refused, not applied over someone's newer change).
 */
export function AssignCell({ alert, onResult }: AssignCellProps) {
  const t = useT();
  const id = useId();
  const qc = useQueryClient();
  const me = useQuery(meQuery());
  const canAssign = me.data?.can.assign ?? false;
  const users = useQuery(assignableQuery(canAssign));
  const [choice, setChoice] = useState<string | null>(null);
  const names = { rule: alert.ruleName, host: alert.hostName ?? '—', time: formatUtc(alert.timestamp) };
  const assign = useMutation({
    mutationFn: (assignee: string | null) => patchAlert(alert.id, { expectedVersion: alert.version, assignee }),
    onSuccess: (_res, assignee) => {
      setChoice(null);
      onResult(assignee ? t('dash2.assigned', { ...names, name: assignee }) : t('dash2.unassigned', names), true);
    },
    onError: (err) => onResult(t('dash2.assignFailed', { ...names, message: describeError(t, err) }), false),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: ['dashboard'] }), qc.invalidateQueries({ queryKey: ['alerts'] })]),
  });
  if (!canAssign) return <>{alert.assignee ?? <span className="muted">{t('dash.unassigned')}</span>}</>;
  const target = choice ?? alert.assignee ?? '';
  const changed = target !== (alert.assignee ?? '');
  return (
    <form
      className="dash-assign"
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) assign.mutate(target || null);
      }}
    >
      <label htmlFor={id} className="sr-only">
        {t('dash2.assignLabel', names)}
      </label>
      <select id={id} value={target} onChange={(e) => setChoice(e.target.value)} disabled={assign.isPending} data-testid="dash-assignee">
        <option value="">{t('dash2.nobody')}</option>
        {alert.assignee && !users.data?.items.some((u) => u.name === alert.assignee) ? <option value={alert.assignee}>{alert.assignee}</option> : null}
        {users.data?.items.map((u) => (
          <option key={u.name} value={u.name}>
            {u.name} ({roleLabel(t, u.role)})
          </option>
        ))}
      </select>
      <button type="submit" disabled={assign.isPending || !changed} aria-label={t('dash2.assignButton', names)} data-testid="dash-assign">
        {t('dash2.assign')}
      </button>
    </form>
  );
}
