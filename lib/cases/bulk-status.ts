/**
 * Many alerts to one status at once (the queue's bulk acknowledge and close): each alert goes
 * through `changeAlertAs` — the policy, the workflow's transitions and verdict rule, the claim,
 * the version check and the audit row of a single PATCH — and a refusal does not stop the rest.
 * Up to BULK_CHUNK alerts share one IMMEDIATE transaction (each alert's change is a savepoint in
 * it, so a refused one leaves nothing behind), instead of one transaction and fsync per alert.
 */
import type { AlertStatus, Verdict } from '../detection/types';
import { getDb } from '../store/db';
import { changeAlertAs, type AssignOutcome, type Worker } from './assignment';
import { CaseError } from './errors';
import { getAlertOrThrow } from './workflow';

export const BULK_CHUNK = 500;

export interface BulkStatusChange {
  status: AlertStatus;
  verdict?: Verdict;
  /** the closing note (kept as a note on each alert changed) */
  note?: string;
}

/**
 * Set `change` on each item as `user`. An alert that has the status (and the verdict, when one
 * is given) already and gets no note is unchanged; a CaseError (not found, stale version, not
 * theirs, a transition the workflow refuses) is listed with its code and message.
 */
export function changeAlertsStatusAs(user: Worker, items: readonly { id: string; expectedVersion: number }[], change: BulkStatusChange): AssignOutcome {
  const out: AssignOutcome = { done: [], unchanged: [], refused: [] };
  const db = getDb();
  const chunk = db.transaction((part: readonly { id: string; expectedVersion: number }[]) => {
    for (const { id, expectedVersion } of part) {
      try {
        const current = getAlertOrThrow(id);
        if (current.status === change.status && (change.verdict === undefined || current.verdict === change.verdict) && !change.note?.trim()) {
          out.unchanged.push(id);
          continue;
        }
        changeAlertAs(user, id, change, expectedVersion);
        out.done.push(id);
      } catch (err) {
        if (!(err instanceof CaseError)) throw err;
        out.refused.push({ id, code: err.code, message: err.message });
      }
    }
  });
  for (let i = 0; i < items.length; i += BULK_CHUNK) chunk.immediate(items.slice(i, i + BULK_CHUNK));
  return out;
}
