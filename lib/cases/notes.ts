/** Append-only notes of an alert (findings), audited. */
import { getDb } from '../store/db';
import { appendNote, listNotesOf, type AlertNote } from '../store/notes';
import { appendAudit } from '../store/audit';
import { getAlertRow } from '../store/alerts';
import { CaseError } from './errors';
import { claimAlert } from './claim';

export type { AlertNote };

export function addNote(alertId: string, body: string, ctx: { actor: string; now?: Date; claim?: boolean }): AlertNote {
  const text = body.trim();
  if (!text) throw new CaseError('invalid_request', 'body: a note cannot be empty');
  if (text.length > 20_000) throw new CaseError('invalid_request', 'body: longer than 20000 characters');
  const now = (ctx.now ?? new Date()).toISOString();
  const db = getDb();
  return db
    .transaction(() => {
      if (!getAlertRow(db, alertId)) throw new CaseError('not_found', `alert ${alertId} not found`);
      const note = appendNote(db, { alertId, body: text, author: ctx.actor, createdAt: now });
      appendAudit(db, { actor: ctx.actor, entity: 'alert', entityId: alertId, action: 'note', after: { noteId: note.id, body: text }, at: now });
      if (ctx.claim) claimAlert(alertId, ctx.actor, now, db);
      return note;
    })
    .immediate();
}

export function listNotes(alertId: string): AlertNote[] {
  return listNotesOf(getDb(), alertId);
}
