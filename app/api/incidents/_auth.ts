import 'server-only';
import { can, canWorkAlert, getUserByName, type User } from '@/lib/auth';
import { getIncidentOrThrow } from '@/lib/incidents/manual';
import type { IncidentSummary } from '@/lib/incidents/types';
import { RouteError } from '../_lib/route';

/**
 * An analyst works incidents assigned to them or unassigned; leads and admins work any
 * (the same rule as for alerts). Returns the incident.
 */
export function requireIncidentWork(user: User | null, id: string): IncidentSummary {
  const inc = getIncidentOrThrow(id);
  if (!user || !canWorkAlert(user, inc.assignee)) {
    throw new RouteError('forbidden', `incident ${inc.id} is assigned to ${inc.assignee ?? 'nobody'}; only they or a lead may work it`);
  }
  return inc;
}

/** An analyst may take an unassigned incident or release their own; assigning others needs a lead. */
export function checkAssignee(user: User, current: string | null, next: string | null): string | null {
  if (next === current) return next;
  const selfService = (current === null && next === user.name) || (current === user.name && next === null);
  if (!selfService && !can(user.role, 'assign')) {
    throw new RouteError('forbidden', `assignee: your role (${user.role}) may take an unassigned incident or release your own; assigning others needs a lead`);
  }
  if (next === null) return null;
  const target = getUserByName(next);
  if (!target || target.disabled) throw new RouteError('invalid_request', `assignee: no active user '${next}'`);
  if (!can(target.role, 'work')) throw new RouteError('invalid_request', `assignee: ${target.name} is a ${target.role} and cannot work incidents`);
  return target.name;
}
