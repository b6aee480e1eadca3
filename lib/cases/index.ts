/**
 * Cases: the server API the alert pages and route handlers call.
 *
 * - workflow: `updateAlert(alertId, {status, verdict, assignee, note}, {expectedVersion, actor})`
 * - checklist: `setStepState(alertId, stepId, {state, reason, note, owner, section}, {actor})`, `getChecklist`
 * - notes: `addNote(alertId, body, {actor})`, `listNotes`
 * - `getCase(alertId)`: alert + steps + notes + audit + progress, in one call
 * - assignment: who may work and assign (`requireWork`, `resolveAssignee`, `changeAlertAs`, `assignAlerts`)
 * Refusals are `CaseError` (an AppError) with `code` 'not_found' | 'conflict' | 'invalid_request' | 'forbidden'.
 */
import type { Alert } from '../detection/types';
import { listAudit, type AuditEntry } from '../store/audit';
import { getAlertOrThrow } from './workflow';
import { guideStepsOf } from './guide-steps';
import { getChecklist, progressOf, type ChecklistStep, type Progress } from './checklist';
import { listNotes, type AlertNote } from './notes';
import { getDb } from '../store/db';

export * from './errors';
export { updateAlert, getAlertOrThrow, type AlertChange, type ChangeContext } from './workflow';
export { setStepState, getChecklist, progressOf, type StepChange, type Progress, type ChecklistStep } from './checklist';
export { addNote, listNotes, type AlertNote } from './notes';

export { guideOfVersion, type VersionedGuide } from './guide';
export { guideStepOrThrow, guideStepsOf } from './guide-steps';
export { claimOnWorkSetting, claimsOnWork, claimAlert } from './claim';
export { requireWork, resolveAssignee, authorizeAlertChange, changeAlertAs, addNoteAs, setStepAs, assignAlerts, type Worker, type WorkItem, type AssignOutcome } from './assignment';
export { changeAlertsStatusAs, type BulkStatusChange } from './bulk-status';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text (deep, in plain objects and arrays) with each lone UTF-16 surrogate replaced by U+FFFD,
 * so text stored before the edge refused it renders the same on the server and in the
 * browser (a lone surrogate broke the triage page's hydration, React #418).
 */
export function wellFormedDeep<T>(value: T): T {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\ufffd') as T;
  if (Array.isArray(value)) return value.map((v) => wellFormedDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellFormedDeep(v)])) as T;
  }
  return value;
}

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
    steps: wellFormedDeep(steps),
    notes: wellFormedDeep(listNotes(alertId)),
    audit: wellFormedDeep(listAudit(getDb(), { entity: 'alert', entityId: alertId })),
    progress: progressFor(alert.ruleId, steps, alert.ruleVersion),
  };
}
