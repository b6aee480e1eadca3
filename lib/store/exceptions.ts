/** Repository of `exceptions`: per rule, items of entries that suppress matching events. */
import type { ExceptionEntry } from '../events/types';
import { getDb, type AppDb } from './db';

export interface RuleException {
  id: string;
  ruleId: string;
  entries: ExceptionEntry[];
  comment: string;
  /** ISO; null = never expires */
  expiresAt: string | null;
  createdBy: string;
  createdAt: string;
  /** the alert it was created from, if any */
  sourceAlertId: string | null;
}

interface Row {
  id: string;
  rule_id: string;
  entries: string;
  comment: string;
  expires_at: string | null;
  created_by: string;
  created_at: string;
  source_alert_id: string | null;
}

const toException = (r: Row): RuleException => ({
  id: r.id,
  ruleId: r.rule_id,
  entries: JSON.parse(r.entries) as ExceptionEntry[],
  comment: r.comment,
  expiresAt: r.expires_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  sourceAlertId: r.source_alert_id,
});

export function insertException(e: RuleException, db: AppDb = getDb()): void {
  db.prepare(
    `INSERT INTO exceptions (id, rule_id, entries, comment, expires_at, created_by, created_at, source_alert_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.id, e.ruleId, JSON.stringify(e.entries), e.comment, e.expiresAt, e.createdBy, e.createdAt, e.sourceAlertId);
}

export function getException(id: string, db: AppDb = getDb()): RuleException | null {
  const r = db.prepare('SELECT * FROM exceptions WHERE id = ?').get(id) as Row | undefined;
  return r ? toException(r) : null;
}

/** Exceptions of a rule (all, or only those unexpired at `activeAt`), oldest first. */
export function listExceptionsOf(ruleId: string, activeAt?: string): RuleException[] {
  const rows = activeAt
    ? (getDb()
        .prepare('SELECT * FROM exceptions WHERE rule_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id')
        .all(ruleId, activeAt) as Row[])
    : (getDb().prepare('SELECT * FROM exceptions WHERE rule_id = ? ORDER BY created_at, id').all(ruleId) as Row[]);
  return rows.map(toException);
}

export function deleteException(id: string, db: AppDb = getDb()): boolean {
  return db.prepare('DELETE FROM exceptions WHERE id = ?').run(id).changes === 1;
}
