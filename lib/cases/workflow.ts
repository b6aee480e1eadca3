/**
 * Alert workflow: status (open → acknowledged → closed, reopen), verdict with a closing
 * note, assignee. Every change is guarded by `expectedVersion` (a stale change is refused
 * with a CaseError 'conflict', never silently overwritten) and written to the audit table
 * in the same transaction.
 */
import type { Alert, AlertStatus, Verdict } from '../detection/types';
import { getDb } from '../store/db';
import { getAlertRow, updateAlertRow, type AlertRowPatch } from '../store/alerts';
import { appendAudit } from '../store/audit';
import { appendNote } from '../store/notes';
import { CaseError } from './errors';

export interface AlertChange {
  status?: AlertStatus;
  /** null clears it */
  verdict?: Verdict | null;
  /** null unassigns */
  assignee?: string | null;
  /** a note written with the change (the closing note when closing); also appended to the notes */
  note?: string;
}

export interface ChangeContext {
  /** the version the client last saw */
  expectedVersion: number;
  actor: string;
  now?: Date;
}

const allowed: Record<AlertStatus, AlertStatus[]> = {
  open: ['acknowledged', 'closed'],
  acknowledged: ['open', 'closed'],
  closed: ['open'],
};

function snapshot(a: Alert) {
  return { status: a.status, verdict: a.verdict, assignee: a.assignee, closingNote: a.closingNote ?? null, version: a.version };
}

/** The alert, or a CaseError 'not_found'. */
export function getAlertOrThrow(alertId: string): Alert {
  const a = getAlertRow(getDb(), alertId);
  if (!a) throw new CaseError('not_found', `alert ${alertId} not found`);
  return a;
}

/**
 * Change status / verdict / assignee of an alert. Closing needs a verdict (given now or
 * already set); reopening clears the verdict and closing note. Returns the updated alert.
 */
export function updateAlert(alertId: string, change: AlertChange, ctx: ChangeContext): Alert {
  const now = (ctx.now ?? new Date()).toISOString();
  const db = getDb();
  return db
    .transaction(() => {
      const before = getAlertOrThrow(alertId);
      if (before.version !== ctx.expectedVersion) {
        throw new CaseError(
          'conflict',
          `alert ${alertId} was changed by someone else (now version ${before.version}, you had version ${ctx.expectedVersion}); reload it and try again`,
          before.version,
        );
      }
      const patch: AlertRowPatch = {};
      const target = change.status ?? before.status;
      if (change.status !== undefined && change.status !== before.status) {
        if (!allowed[before.status].includes(change.status)) {
          throw new CaseError('invalid_request', `status: an alert that is ${before.status} cannot become ${change.status}${before.status === 'closed' ? ' (reopen it first)' : ''}`);
        }
        patch.status = change.status;
        if (before.status === 'open' && !before.acknowledgedAt) patch.acknowledgedAt = now;
        if (change.status === 'closed') patch.closedAt = now;
        if (change.status === 'open' && before.status === 'closed') {
          patch.closedAt = null;
          if (change.verdict === undefined) patch.verdict = null;
          patch.closingNote = null;
        }
      }
      if (change.verdict !== undefined) patch.verdict = change.verdict;
      const verdictAfter = patch.verdict !== undefined ? patch.verdict : before.verdict;
      if (target === 'closed' && !verdictAfter) {
        throw new CaseError('invalid_request', 'verdict: closing an alert needs a verdict (true_positive, benign_true_positive or false_positive)');
      }
      if (change.assignee !== undefined) {
        const a = change.assignee === null ? null : change.assignee.trim();
        if (a === '') throw new CaseError('invalid_request', 'assignee: must not be empty (use null to unassign)');
        patch.assignee = a;
      }
      const note = change.note?.trim();
      if (note && patch.status === 'closed') patch.closingNote = note;
      if (Object.keys(patch).length === 0 && !note) {
        throw new CaseError('invalid_request', 'nothing to change: give status, verdict, assignee or a note');
      }
      if (!updateAlertRow(db, alertId, patch, ctx.expectedVersion, now)) {
        throw new CaseError('conflict', `alert ${alertId} was changed by someone else; reload it and try again`);
      }
      if (note) appendNote(db, { alertId, body: note, author: ctx.actor, createdAt: now });
      const after = getAlertOrThrow(alertId);
      const action =
        patch.status === 'closed' ? 'close' : patch.status === 'open' && before.status === 'closed' ? 'reopen' : patch.status ? `status:${patch.status}` : 'update';
      appendAudit(db, { actor: ctx.actor, entity: 'alert', entityId: alertId, action, before: snapshot(before), after: { ...snapshot(after), ...(note ? { note } : {}) }, at: now });
      return after;
    })
    .immediate();
}
