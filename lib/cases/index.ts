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
import { CaseError } from './errors';
import { getChecklist, progressOf, type ChecklistStep, type Progress } from './checklist';
import { listNotes, type AlertNote } from './notes';

export * from './errors';
export { updateAlert, getAlertOrThrow, type AlertChange, type ChangeContext } from './workflow';
export { setStepState, getChecklist, progressOf, type StepChange, type Progress, type ChecklistStep } from './checklist';
export { addNote, listNotes, type AlertNote } from './notes';

export { guideOfVersion, type VersionedGuide } from './guide';
export { claimOnWorkSetting, claimsOnWork, claimAlert } from './claim';

/**
 * The guide step `stepId` of the alert's guide (the rule version that raised it), or a
 * CaseError 'not_found': a made-up id is never stored.
 */
export function guideStepOrThrow(alert: Pick<Alert, 'id' | 'ruleId' | 'ruleVersion'>, stepId: string): GuideStep {
  const step = guideStepsOf(alert.ruleId, alert.ruleVersion).find((s) => s.id === stepId);
  if (!step) throw new CaseError('not_found', `step ${stepId} is not a step of the guide of alert ${alert.id}`);
  return step;
}

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
    steps: wellFormedDeep(steps),
    notes: wellFormedDeep(listNotes(alertId)),
    audit: wellFormedDeep(listAudit({ entity: 'alert', entityId: alertId })),
    progress: progressFor(alert.ruleId, steps, alert.ruleVersion),
  };
}
