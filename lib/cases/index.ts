/**
 * Cases: the server API the alert pages and route handlers call.
 *
 * - workflow: `updateAlert(alertId, {status, verdict, assignee, note}, {expectedVersion, actor})`
 * - checklist: `setStepState(alertId, stepId, {state, reason, note, owner, section}, {actor})`, `getChecklist`
 * - notes: `addNote(alertId, body, {actor})`, `listNotes`
 * - `getCase(alertId)`: alert + steps + notes + audit + progress, in one call
 * Refusals are `CaseError` with `code` 'not_found' | 'conflict' | 'invalid_request'.
 */
import type { Alert } from '../detection/types';
import { flattenSteps, type GuideStep } from '../rules/guide';
import { guideOfVersion } from './guide';
import { listAudit, type AuditEntry } from '../store/audit';
import { getAlertOrThrow } from './workflow';
import { getChecklist, progressOf, type ChecklistStep, type Progress } from './checklist';
import { listNotes, type AlertNote } from './notes';

export * from './errors';
export { updateAlert, getAlertOrThrow, type AlertChange, type ChangeContext } from './workflow';
export { setStepState, getChecklist, progressOf, type StepChange, type Progress, type ChecklistStep } from './checklist';
export { addNote, listNotes, type AlertNote } from './notes';

export { guideOfVersion, type VersionedGuide } from './guide';

/**
 * The guide steps of a rule (all sections), from the guide model of `version` (the alert's
 * rule version; default: the rule as loaded now); [] when there is no guide.
 */
export function guideStepsOf(ruleId: string, version?: number): GuideStep[] {
  const cached = guideOfVersion(ruleId, version).guide;
  if (!cached) return [];
  let steps = flatSteps.get(cached.guide);
  if (!steps) {
    steps = flattenSteps(cached.guide);
    flatSteps.set(cached.guide, steps);
  }
  return steps;
}
const flatSteps = new WeakMap<object, GuideStep[]>();

export interface CaseProgress {
  /** every step of the guide (investigation, false positive analysis, response, …) */
  all: Progress;
  /** the response & remediation steps only */
  response: Progress;
}

export function progressFor(ruleId: string, states: ChecklistStep[], version?: number): CaseProgress {
  const steps = guideStepsOf(ruleId, version);
  return {
    all: progressOf(states, steps.map((s) => s.id)),
    response: progressOf(states, steps.filter((s) => s.section === 'response').map((s) => s.id)),
  };
}

export interface CaseView {
  alert: Alert;
  steps: ChecklistStep[];
  notes: AlertNote[];
  /** the alert's history (status, verdict, steps, notes), oldest first */
  audit: AuditEntry[];
  progress: CaseProgress;
}

export function getCase(alertId: string): CaseView {
  const alert = getAlertOrThrow(alertId);
  const steps = getChecklist(alertId);
  return {
    alert,
    steps,
    notes: listNotes(alertId),
    audit: listAudit({ entity: 'alert', entityId: alertId }),
    progress: progressFor(alert.ruleId, steps, alert.ruleVersion),
  };
}
