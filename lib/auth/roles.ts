/**
 * Roles and what each may do. Pure: route handlers and pages ask `can(role, action)`.
 * viewer reads; analyst works alerts assigned to them or unassigned; lead also assigns and
 * reassigns and manages exceptions; admin also manages users, rules, ingest and the event source.
 */
import { z } from 'zod';

export const roles = ['viewer', 'analyst', 'lead', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export type Action =
  | 'read' // queue, alerts, evidence, rules list, exports
  | 'work' // status, verdict, steps, notes on alerts one may work
  | 'exception:create' // add an exception from an alert (an analyst's is a proposal)
  | 'exception:approve' // approve or reject a proposed exception; create one in force at once
  | 'exception:delete'
  | 'assign' // assign / reassign / unassign anyone
  | 'dashboard' // team-lead dashboard
  | 'rules:manage' // enable/disable, run now, backfill
  | 'ingest'
  | 'users:manage'
  | 'webhooks:manage'; // incident webhooks (lib/incidents/notify)

const rank: Record<Role, number> = { viewer: 0, analyst: 1, lead: 2, admin: 3 };

const minimumRole: Record<Action, Role> = {
  read: 'viewer',
  work: 'analyst',
  'exception:create': 'analyst',
  'exception:approve': 'lead',
  'exception:delete': 'lead',
  assign: 'lead',
  dashboard: 'lead',
  'rules:manage': 'admin',
  ingest: 'admin',
  'users:manage': 'admin',
  'webhooks:manage': 'admin',
};

export function can(role: Role, action: Action): boolean {
  return rank[role] >= rank[minimumRole[action]];
}

/** An analyst works alerts assigned to them or unassigned; leads and admins work any. */
export function canWorkAlert(user: { name: string; role: Role }, assignee: string | null): boolean {
  if (!can(user.role, 'work')) return false;
  if (can(user.role, 'assign')) return true;
  return assignee === null || assignee === user.name;
}
