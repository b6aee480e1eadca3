/**
 * Checklist state per alert: each guide step (and each response & remediation step) is
 * open, done, or not applicable (with a reason), with who/when, a note and an owner.
 * Changes merge per step (two analysts ticking different steps never collide); an
 * optional per-step `expectedVersion` refuses a stale change. Every change is audited.
 */
import { getDb } from '../store/db';
import { getStep, listSteps, writeStep, type ChecklistStep, type StepSection, type StepState } from '../store/checklist';
import { appendAudit } from '../store/audit';
import { getAlertRow } from '../store/alerts';
import { CaseError } from './errors';
import { claimAlert } from './claim';

export type { ChecklistStep, StepSection, StepState };

export interface StepChange {
  state?: StepState;
  section?: StepSection;
  /** required with not_applicable */
  reason?: string;
  /** the step's note (replaces the previous one; empty string clears it) */
  note?: string;
  /** response & remediation: who owns the step (null clears) */
  owner?: string | null;
}

const MAX_TEXT = 20_000;

function stepSnapshot(s: ChecklistStep | null) {
  return s ? { state: s.state, reason: s.reason, note: s.note, owner: s.owner, section: s.section } : null;
}

/** Set one step's state / note / owner, merging with what is stored. Returns the stored step. */
export function setStepState(
  alertId: string,
  stepId: string,
  change: StepChange,
  ctx: {
    actor: string;
    now?: Date;
    /** the step version the change was made on (0: never changed); a different stored one is refused */
    expectedVersion?: number;
    /** the change also claims the alert for the actor (lib/cases/claim) */
    claim?: boolean;
  },
): ChecklistStep {
  if (!stepId.trim()) throw new CaseError('invalid_request', 'stepId: must not be empty');
  for (const [k, v] of [['reason', change.reason], ['note', change.note]] as const) {
    if (v !== undefined && v.length > MAX_TEXT) throw new CaseError('invalid_request', `${k}: longer than ${MAX_TEXT} characters`);
  }
  const now = (ctx.now ?? new Date()).toISOString();
  const db = getDb();
  return db
    .transaction(() => {
      if (!getAlertRow(db, alertId)) throw new CaseError('not_found', `alert ${alertId} not found`);
      const before = getStep(db, alertId, stepId);
      const current = before?.version ?? 0;
      if (ctx.expectedVersion !== undefined && current !== ctx.expectedVersion) {
        const what = before ? `${before.actor} set it to ${before.state.replace('_', ' ')} at ${before.updatedAt}` : 'it was reset';
        throw new CaseError(
          'conflict',
          `step ${stepId} was changed since you loaded it (${what}; version ${current}, you had ${ctx.expectedVersion}); your change was not saved: reload to see it, then try again`,
          current,
        );
      }
      const state = change.state ?? before?.state ?? 'open';
      const reasonIn = change.reason?.trim();
      const reason = state === 'not_applicable' ? (reasonIn || (change.state === undefined ? before?.reason : null) || null) : null;
      if (state === 'not_applicable' && !reason) {
        throw new CaseError('invalid_request', `reason: marking step ${stepId} not applicable needs a reason`);
      }
      const note = change.note !== undefined ? change.note.trim() || null : (before?.note ?? null);
      const owner = change.owner !== undefined ? (change.owner?.trim() || null) : (before?.owner ?? null);
      const saved = writeStep(db, { alertId, stepId, section: change.section ?? before?.section ?? 'guide', state, reason, note, owner, actor: ctx.actor, updatedAt: now });
      appendAudit(db, { actor: ctx.actor, entity: 'alert', entityId: alertId, action: `step:${stepId}`, before: stepSnapshot(before), after: stepSnapshot(saved), at: now });
      if (ctx.claim) claimAlert(alertId, ctx.actor, now, db);
      return saved;
    })
    .immediate();
}

/** The stored state of every step of an alert (steps never touched are absent: open). */
export function getChecklist(alertId: string): ChecklistStep[] {
  return listSteps(getDb(), alertId);
}

export interface Progress {
  done: number;
  notApplicable: number;
  /** done + not applicable */
  completed: number;
  total: number;
}

/** done + n/a of the given steps (ids of the guide model); states of unknown ids are ignored. */
export function progressOf(states: Pick<ChecklistStep, 'stepId' | 'state'>[], stepIds: readonly string[]): Progress {
  const ids = new Set(stepIds);
  let done = 0;
  let notApplicable = 0;
  for (const s of states) {
    if (!ids.has(s.stepId)) continue;
    if (s.state === 'done') done += 1;
    else if (s.state === 'not_applicable') notApplicable += 1;
  }
  return { done, notApplicable, completed: done + notApplicable, total: ids.size };
}
