/** Repository of `alert_notes` (append-only). */
import type { AppDb } from './db';

export interface AlertNote {
  id: number;
  alertId: string;
  body: string;
  author: string;
  createdAt: string;
}

interface Row {
  id: number;
  alert_id: string;
  body: string;
  author: string;
  created_at: string;
}

const toNote = (r: Row): AlertNote => ({ id: r.id, alertId: r.alert_id, body: r.body, author: r.author, createdAt: r.created_at });

export function appendNote(db: AppDb, note: Omit<AlertNote, 'id'>): AlertNote {
  const res = db
    .prepare('INSERT INTO alert_notes (alert_id, body, author, created_at) VALUES (?, ?, ?, ?)')
    .run(note.alertId, note.body, note.author, note.createdAt);
  return { ...note, id: Number(res.lastInsertRowid) };
}

/** Notes of an alert, oldest first. */
export function listNotesOf(db: AppDb, alertId: string): AlertNote[] {
  return (db.prepare<unknown[], Row>('SELECT * FROM alert_notes WHERE alert_id = ? ORDER BY id').all(alertId)).map(toNote);
}
