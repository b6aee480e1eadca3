/** Repository of `checklist_steps`: the state of each guide / response step of an alert. */
import type { StepState } from '../domain/checklist';
import type { AppDb } from './db';

export type { StepState };
export type StepSection = 'guide' | 'response';

export interface ChecklistStep {
  alertId: string;
  stepId: string;
  section: StepSection;
  state: StepState;
  reason: string | null;
  note: string | null;
  owner: string | null;
  actor: string;
  updatedAt: string;
  version: number;
}

interface Row {
  alert_id: string;
  step_id: string;
  section: StepSection;
  state: StepState;
  reason: string | null;
  note: string | null;
  owner: string | null;
  actor: string;
  updated_at: string;
  version: number;
}

const toStep = (r: Row): ChecklistStep => ({
  alertId: r.alert_id,
  stepId: r.step_id,
  section: r.section,
  state: r.state,
  reason: r.reason,
  note: r.note,
  owner: r.owner,
  actor: r.actor,
  updatedAt: r.updated_at,
  version: r.version,
});

export function getStep(db: AppDb, alertId: string, stepId: string): ChecklistStep | null {
  const r = db.prepare<unknown[], Row>('SELECT * FROM checklist_steps WHERE alert_id = ? AND step_id = ?').get(alertId, stepId);
  return r ? toStep(r) : null;
}

export function listSteps(db: AppDb, alertId: string): ChecklistStep[] {
  return (db.prepare<unknown[], Row>('SELECT * FROM checklist_steps WHERE alert_id = ? ORDER BY step_id').all(alertId)).map(toStep);
}

/** Insert or replace one step's row (version = previous + 1). */
export function writeStep(db: AppDb, step: Omit<ChecklistStep, 'version'>): ChecklistStep {
  db.prepare(
    `INSERT INTO checklist_steps (alert_id, step_id, section, state, reason, note, owner, actor, updated_at, version)
     VALUES (@alert_id, @step_id, @section, @state, @reason, @note, @owner, @actor, @updated_at, 1)
     ON CONFLICT (alert_id, step_id) DO UPDATE SET section = excluded.section, state = excluded.state,
       reason = excluded.reason, note = excluded.note, owner = excluded.owner, actor = excluded.actor,
       updated_at = excluded.updated_at, version = checklist_steps.version + 1`,
  ).run({
    alert_id: step.alertId,
    step_id: step.stepId,
    section: step.section,
    state: step.state,
    reason: step.reason,
    note: step.note,
    owner: step.owner,
    actor: step.actor,
    updated_at: step.updatedAt,
  });
  const saved = getStep(db, step.alertId, step.stepId);
  if (!saved) throw new Error(`checklist step ${step.stepId} of alert ${step.alertId} was not saved`);
  return saved;
}
