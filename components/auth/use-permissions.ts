'use client';

import { useQuery } from '@tanstack/react-query';
import { meQuery } from '@/lib/queries/auth';
import { can, canWorkAlert, type Action, type Role } from '@/lib/auth/roles';

export interface Permissions {
  /** false until the session is known: nothing that changes data is offered before */
  ready: boolean;
  name: string | null;
  role: Role | null;
  /** what the role allows (the API checks again) */
  can: (action: Action) => boolean;
  /** may work (status, verdict, steps, notes) an alert with this assignee */
  canWork: (assignee: string | null) => boolean;
}

/** The signed-in user's role as the UI uses it to offer only the controls that will work. */
export function usePermissions(): Permissions {
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;
  return {
    ready: user !== null,
    name: user?.name ?? null,
    role: user?.role ?? null,
    can: (action) => (user ? can(user.role, action) : false),
    canWork: (assignee) => (user ? canWorkAlert(user, assignee) : false),
  };
}
