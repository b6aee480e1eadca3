import 'server-only';
import { canWorkAlert, getUserByName } from '@/lib/auth';
import { requireWork, resolveAssignee, type Worker } from '@/lib/cases';
import { AppError } from '@/lib/errors';
import { getIncidentOrThrow, mergeIncidents, moveAlert, setIncidentStep, splitAlerts, updateIncident, type IncidentChange } from '@/lib/incidents/manual';
import { RESPONSE_STEPS, type ResponseStepId } from '@/lib/incidents/steps';
import type { IncidentSummary } from '@/lib/incidents/types';
import { getDb } from '@/lib/store/db';
import { membershipOf } from '@/lib/store/incidents';

/**
 * The incident `id` when `user` may work it: the same policy as for alerts (lib/cases/assignment):
 * an analyst works incidents assigned to them or unassigned; leads and admins work any.
 */
export function requireIncidentWork(user: Worker | null, id: string): IncidentSummary {
  const inc = getIncidentOrThrow(id);
  requireWork(user, inc.assignee, `incident ${inc.id}`);
  return inc;
}

/** An analyst may take an unassigned incident or release their own; assigning others needs a lead. */
export function checkAssignee(user: Worker, current: string | null, next: string | null): string | null {
  return resolveAssignee(user, current, next, 'incident');
}

/**
 * Change an incident's status, assignee or verdict as `user`: they must work it, the assignee
 * goes through the assignment policy, and closing it closes only the open alerts they may work.
 */
export function updateIncidentAs(user: Worker, id: string, change: IncidentChange, expectedVersion: number) {
  const current = requireIncidentWork(user, id);
  const out = { ...change };
  if (out.assignee !== undefined) out.assignee = checkAssignee(user, current.assignee, out.assignee);
  return updateIncident(current.id, out, { actor: user.name, expectedVersion, mayCloseAlertOf: (a) => canWorkAlert(user, a) });
}

/** Merge `sources` into incident `id` as `user`, who must work every one of them. */
export function mergeIncidentsAs(user: Worker, id: string, sources: string[], expectedVersion?: number): IncidentSummary {
  const target = requireIncidentWork(user, id);
  for (const s of sources) requireIncidentWork(user, s);
  return mergeIncidents(target.id, sources, { actor: user.name, expectedVersion });
}

/** Split alerts off incident `id` into a new incident, as `user` (who must work it). */
export function splitAlertsAs(user: Worker, id: string, alertIds: string[], expectedVersion?: number): IncidentSummary {
  const source = requireIncidentWork(user, id);
  return splitAlerts(source.id, alertIds, { actor: user.name, expectedVersion });
}

/** Move one alert of incident `sourceId` into incident `to`, as `user` (who must work both). */
export function moveAlertAs(user: Worker, sourceId: string, alertId: string, to: string): IncidentSummary {
  const source = requireIncidentWork(user, sourceId);
  const target = requireIncidentWork(user, to);
  if (membershipOf(getDb(), alertId)?.incidentId !== source.id) {
    throw new AppError('invalid_request', `alertId: alert ${alertId} is not in incident ${source.id}`, { details: { field: 'alertId' } });
  }
  return moveAlert(alertId, target.id, { actor: user.name });
}

/** `stepId` when it names a response step, else 'not_found'. */
export function responseStepOrThrow(stepId: string): ResponseStepId {
  if (!(RESPONSE_STEPS as readonly string[]).includes(stepId)) {
    throw new AppError('not_found', `step '${stepId}' is not a response step (${RESPONSE_STEPS.join(', ')})`);
  }
  return stepId as ResponseStepId;
}

/** A response step of an incident: its state, owner (an active user) and note, as `user`. */
export function setIncidentStepAs(
  user: Worker,
  id: string,
  stepId: ResponseStepId,
  change: { state: Parameters<typeof setIncidentStep>[2]['state']; owner?: string | null; note?: string | null },
) {
  const inc = requireIncidentWork(user, id);
  const out = { ...change };
  if (out.owner) {
    const owner = getUserByName(getDb(), out.owner);
    if (!owner || owner.disabled) throw new AppError('invalid_request', `owner: no active user '${out.owner}'`, { details: { field: 'owner' } });
    out.owner = owner.name;
  }
  return setIncidentStep(inc.id, stepId, out, { actor: user.name });
}
