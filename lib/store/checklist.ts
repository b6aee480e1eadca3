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

/** the table's columns, named as ChecklistStep names them */
const STEP_COLUMNS = 'alert_id AS alertId, step_id AS stepId, section, state, reason, note, owner, actor, updated_at AS updatedAt, version';

export function getStep(db: AppDb, alertId: string, stepId: string): ChecklistStep | null {
  return db.prepare<unknown[], ChecklistStep>(`SELECT ${STEP_COLUMNS} FROM checklist_steps WHERE alert_id = ? AND step_id = ?`).get(alertId, stepId) ?? null;
}

export function listSteps(db: AppDb, alertId: string): ChecklistStep[] {
  return db.prepare<unknown[], ChecklistStep>(`SELECT ${STEP_COLUMNS} FROM checklist_steps WHERE alert_id = ? ORDER BY step_id`).all(alertId);
}

/** Insert or replace one step's row (version = previous + 1). */
export function writeStep(db: AppDb, step: Omit<ChecklistStep, 'version'>): ChecklistStep {
  db.prepare(
    `INSERT INTO checklist_steps (alert_id, step_id, section, state, reason, note, owner, actor, updated_at, version)
     VALUES (@alertId, @stepId, @section, @state, @reason, @note, @owner, @actor, @updatedAt, 1)
     ON CONFLICT (alert_id, step_id) DO UPDATE SET section = excluded.section, state = excluded.state,
       reason = excluded.reason, note = excluded.note, owner = excluded.owner, actor = excluded.actor,
       updated_at = excluded.updated_at, version = checklist_steps.version + 1`,
  ).run(step);
  const saved = getStep(db, step.alertId, step.stepId);
  if (!saved) throw new Error(`checklist step ${step.stepId} of alert ${step.alertId} was not saved`);
  return saved;
}
