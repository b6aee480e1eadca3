/**
 * Who may work and assign an alert or incident — one policy for the API, the CLI and bulk
 * assignment. An analyst works what is assigned to them or to nobody, may take an unassigned
 * one or release their own; assigning anyone else needs a lead (lib/auth 'assign'). A new
 * assignee must be an active user whose role works alerts.
 */
import type { Alert } from '../detection/types';
import { can, canWorkAlert, type Role } from '../auth/roles';
import { getUserByName } from '../auth/users';
import { claimsOnWork } from './claim';
import { CaseError } from './errors';
import { getAlertOrThrow, updateAlert, type AlertChange } from './workflow';
import { setStepState, type ChecklistStep, type StepChange } from './checklist';
import { addNote, type AlertNote } from './notes';
import { guideStepOrThrow } from './guide-steps';
import { getDb } from '../store/db';

/** Who acts: a signed-in user (the API) or the CLI's named user. */
export interface Worker {
  name: string;
  role: Role;
}

export type WorkItem = 'alert' | 'incident';

/** Throws CaseError 'forbidden' unless `user` may work an item assigned to `assignee`. */
export function requireWork(user: Worker | null, assignee: string | null, what = 'this alert'): void {
  if (!user || !canWorkAlert(user, assignee)) {
    throw new CaseError('forbidden', `${what} is assigned to ${assignee ?? 'nobody'}; only they or a lead may work it`);
  }
}

/**
 * The assignee `user` may set on an item now assigned to `current`: the user's stored name, or
 * null to unassign. Throws CaseError 'forbidden' (not theirs to give) or 'invalid_request' (no
 * such active user, or one whose role does not work alerts).
 */
export function resolveAssignee(user: Worker, current: string | null, next: string | null, item: WorkItem = 'alert'): string | null {
  if (next === current) return next;
  const selfService = (current === null && next === user.name) || (current === user.name && next === null);
  if (!selfService && !can(user.role, 'assign')) {
    throw new CaseError('forbidden', `assignee: your role (${user.role}) may take an unassigned ${item} or release your own; assigning others needs a lead`, undefined, 'assignee');
  }
  if (next === null) return null;
  const target = getUserByName(getDb(), next);
  if (!target || target.disabled) throw new CaseError('invalid_request', `assignee: no active user '${next}'`, undefined, 'assignee');
  if (!can(target.role, 'work')) {
    throw new CaseError('invalid_request', `assignee: ${target.name} is a ${target.role} and cannot work ${item}s`, undefined, 'assignee');
  }
  return target.name;
}

/**
 * The change `user` may make to `current`, as it will be applied: the assignee checked and
 * resolved, and — when the change works an unassigned alert — the claim (lib/cases/claim,
 * GUIDEPOST_CLAIM_ON_WORK): the alert goes to the analyst, an open one becomes acknowledged.
 */
export function authorizeAlertChange(user: Worker, current: Alert, change: AlertChange): AlertChange {
  requireWork(user, current.assignee);
  const out: AlertChange = { ...change };
  if (out.assignee !== undefined) out.assignee = resolveAssignee(user, current.assignee, out.assignee, 'alert');
  if (claimsOnWork(user.role) && out.assignee === undefined && current.assignee === null && current.status !== 'closed') {
    out.assignee = user.name;
    if (out.status === undefined && current.status === 'open') out.status = 'acknowledged';
  }
  return out;
}

/** Change an alert as `user` (policy above, then the version-checked update). */
export function changeAlertAs(user: Worker, alertId: string, change: AlertChange, expectedVersion: number): Alert {
  const current = getAlertOrThrow(alertId);
  return updateAlert(alertId, authorizeAlertChange(user, current, change), { expectedVersion, actor: user.name });
}

/** Append a note as `user` (who must work the alert); an analyst's note claims an unassigned alert. */
export function addNoteAs(user: Worker, alertId: string, body: string): AlertNote {
  requireWork(user, getAlertOrThrow(alertId).assignee);
  return addNote(alertId, body, { actor: user.name, claim: claimsOnWork(user.role) });
}

/**
 * Set a guide step's state, note or owner as `user` (who must work the alert). Only steps of
 * the alert's guide exist (else 'not_found'); a response step is kept in its own section.
 */
export function setStepAs(user: Worker, alertId: string, stepId: string, change: Omit<StepChange, 'section'>, expectedVersion?: number): ChecklistStep {
  const alert = getAlertOrThrow(alertId);
  requireWork(user, alert.assignee);
  const section = guideStepOrThrow(alert, stepId).section === 'response' ? 'response' : 'guide';
  return setStepState(alert.id, stepId, { ...change, section }, { actor: user.name, expectedVersion, claim: claimsOnWork(user.role) });
}

export interface AssignOutcome {
  done: string[];
  unchanged: string[];
  refused: { id: string; code: string; message: string }[];
}

/**
 * Assign many alerts to `assignee` (or unassign with null) as `user`, each through the same
 * policy and version check as a single change; a refused alert does not stop the others.
 */
export function assignAlerts(user: Worker, items: readonly { id: string; expectedVersion: number }[], assignee: string | null): AssignOutcome {
  const out: AssignOutcome = { done: [], unchanged: [], refused: [] };
  for (const { id, expectedVersion } of items) {
    try {
      const current = getAlertOrThrow(id);
      if (current.assignee === assignee) {
        out.unchanged.push(id);
        continue;
      }
      changeAlertAs(user, id, { assignee }, expectedVersion);
      out.done.push(id);
    } catch (err) {
      if (!(err instanceof CaseError)) throw err;
      out.refused.push({ id, code: err.code, message: err.message });
    }
  }
  return out;
}
