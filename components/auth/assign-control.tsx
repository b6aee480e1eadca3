'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { meQuery } from '@/lib/queries/auth';
import { useT } from '@/components/i18n/use-t';
import { AssigneeSelect } from './assignee-select';

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
  const [choice, setChoice] = useState('');
  if (!canAssign) return null;
  const target = choice || alert.assignee || '';
  return (
    <span className="assign-control" data-testid="assign-control" style={{ display: 'inline-flex', gap: '0.3rem', alignItems: 'center' }}>
      <label htmlFor={id} className="small">
        {t('assign.assignee')}
      </label>
      <AssigneeSelect id={id} value={target} onChange={setChoice} disabled={busy} />
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
