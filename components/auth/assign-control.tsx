'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { assignableQuery, meQuery } from '@/lib/queries/auth';
import { roleLabel, useT } from '@/components/i18n/use-t';

export interface AssignControlProps {
  alert: { version: number; assignee: string | null };
  busy: boolean;
  /** sends PATCH {expectedVersion, assignee} (a stale version is refused by the API) */
  onAssign: (patch: { expectedVersion: number; assignee: string | null }) => void;
}

/** Leads: assign, reassign or unassign an alert. Renders nothing for other roles. */
export function AssignControl({ alert, busy, onAssign }: AssignControlProps) {
  const t = useT();
  const id = useId();
  const me = useQuery(meQuery());
  const canAssign = me.data?.can.assign ?? false;
  const users = useQuery(assignableQuery(canAssign));
  const [choice, setChoice] = useState('');
  if (!canAssign) return null;
  const target = choice || alert.assignee || '';
  return (
    <span className="assign-control" data-testid="assign-control" style={{ display: 'inline-flex', gap: '0.3rem', alignItems: 'center' }}>
      <label htmlFor={id} className="small">
        {t('assign.assignee')}
      </label>
      <select id={id} value={target} onChange={(e) => setChoice(e.target.value)} disabled={busy}>
        <option value="">—</option>
        {users.data?.items.map((u) => (
          <option key={u.name} value={u.name}>
            {u.name} ({roleLabel(t, u.role)})
          </option>
        ))}
      </select>
      <button type="button" disabled={busy || !target || target === alert.assignee} onClick={() => onAssign({ expectedVersion: alert.version, assignee: target })}>
        {t('assign.assign')}
      </button>
      {alert.assignee ? (
        <button type="button" disabled={busy} onClick={() => onAssign({ expectedVersion: alert.version, assignee: null })}>
          {t('assign.unassign')}
        </button>
      ) : null}
    </span>
  );
}
