/** Repository of `checklist_steps`: the state of each guide / response step of an alert. */
import type { StepState } from '../domain/checklist';
import { getDb, type AppDb } from './db';

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

export function getStep(alertId: string, stepId: string, db: AppDb = getDb()): ChecklistStep | null {
  const r = db.prepare('SELECT * FROM checklist_steps WHERE alert_id = ? AND step_id = ?').get(alertId, stepId) as Row | undefined;
  return r ? toStep(r) : null;
}

export function listSteps(alertId: string, db: AppDb = getDb()): ChecklistStep[] {
  return (db.prepare('SELECT * FROM checklist_steps WHERE alert_id = ? ORDER BY step_id').all(alertId) as Row[]).map(toStep);
}

/** Insert or replace one step's row (version = previous + 1). */
export function writeStep(step: Omit<ChecklistStep, 'version'>, db: AppDb = getDb()): ChecklistStep {
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
  const saved = getStep(step.alertId, step.stepId, db);
  if (!saved) throw new Error(`checklist step ${step.stepId} of alert ${step.alertId} was not saved`);
  return saved;
}
