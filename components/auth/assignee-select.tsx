'use client';

import { useQuery } from '@tanstack/react-query';
import { assignableQuery } from '@/lib/queries/auth';
import { roleLabel, useT } from '@/components/i18n/use-t';

export interface AssigneeSelectProps {
  /** the id its visible label points at (htmlFor) */
  id: string;
  value: string;
  onChange: (name: string) => void;
  disabled: boolean;
}

/** The people a lead may assign alerts to, with their roles; "—" (empty value) first. */
export function AssigneeSelect({ id, value, onChange, disabled }: AssigneeSelectProps) {
  const t = useT();
  const users = useQuery(assignableQuery(true));
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
      <option value="">—</option>
      {users.data?.items.map((u) => (
        <option key={u.name} value={u.name}>
          {u.name} ({roleLabel(t, u.role)})
        </option>
      ))}
    </select>
  );
}
