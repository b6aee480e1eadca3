/** Repository of `exceptions`: per rule, items of entries that suppress matching events once approved. */
import type { Alert } from '../domain/alert';
import type { ExceptionEntry, ExceptionStatus, RuleException } from '../domain/exception';
import type { AppDb } from './db';
import { rowToAlert, type AlertRow } from './alerts';

export type { ExceptionStatus, RuleException };

interface Row {
  id: string;
  rule_id: string;
  entries: string;
  comment: string;
  expires_at: string | null;
  created_by: string;
  created_at: string;
  source_alert_id: string | null;
  status: ExceptionStatus;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string;
  close_matching: number;
  close_verdict: RuleException['closeVerdict'];
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
  status: r.status,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  closeMatchingAlerts: r.close_matching === 1,
  closeVerdict: r.close_verdict,
});

export function insertException(db: AppDb, e: RuleException): void {
  db.prepare(
    `INSERT INTO exceptions (id, rule_id, entries, comment, expires_at, created_by, created_at, source_alert_id,
                             status, decided_by, decided_at, decision_note, close_matching, close_verdict)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.id,
    e.ruleId,
    JSON.stringify(e.entries),
    e.comment,
    e.expiresAt,
    e.createdBy,
    e.createdAt,
    e.sourceAlertId,
    e.status,
    e.decidedBy,
    e.decidedAt,
    e.decisionNote,
    e.closeMatchingAlerts ? 1 : 0,
    e.closeVerdict,
  );
}

export function getException(db: AppDb, id: string): RuleException | null {
  const r = db.prepare<unknown[], Row>('SELECT * FROM exceptions WHERE id = ?').get(id);
  return r ? toException(r) : null;
}

/**
 * Exceptions of a rule, oldest first: all of them, or — with `activeAt` — only those in force
 * then (approved and unexpired), which is what a detection run applies.
 */
export function listExceptionsOf(db: AppDb, ruleId: string, activeAt?: string): RuleException[] {
  const rows = activeAt
    ? (db
        .prepare<unknown[], Row>("SELECT * FROM exceptions WHERE rule_id = ? AND status = 'approved' AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id")
        .all(ruleId, activeAt))
    : (db.prepare<unknown[], Row>('SELECT * FROM exceptions WHERE rule_id = ? ORDER BY created_at, id').all(ruleId));
  return rows.map(toException);
}

/** Every exception in a state (e.g. the proposals waiting for a lead), oldest first, bounded. */
export function listExceptionsByStatus(db: AppDb, status: ExceptionStatus, limit = 500): RuleException[] {
  const rows = db.prepare<unknown[], Row>('SELECT * FROM exceptions WHERE status = ? ORDER BY created_at, id LIMIT ?').all(status, limit);
  return rows.map(toException);
}

/** Record a decision on a pending exception; false when it was no longer pending. */
export function decideException(db: AppDb, id: string, d: { status: 'approved' | 'rejected'; decidedBy: string; decidedAt: string; note: string }): boolean {
  return (
    db
      .prepare("UPDATE exceptions SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ? AND status = 'pending'")
      .run(d.status, d.decidedBy, d.decidedAt, d.note, id).changes === 1
  );
}

export function deleteException(db: AppDb, id: string): boolean {
  return db.prepare('DELETE FROM exceptions WHERE id = ?').run(id).changes === 1;
}

/** The rule's most recent alerts, any status (the sample an exception is checked against), newest first. */
export function recentAlertsOfRule(db: AppDb, ruleId: string, limit: number): Alert[] {
  const rows = db.prepare<unknown[], AlertRow>('SELECT * FROM alerts WHERE rule_id = ? ORDER BY timestamp DESC LIMIT ?').all(ruleId, limit);
  return rows.map(rowToAlert);
}

/** The rule's alerts with status 'open' (nobody has taken them up), oldest first, bounded. */
export function openAlertsOfRule(db: AppDb, ruleId: string, limit: number): Alert[] {
  const rows = db.prepare<unknown[], AlertRow>("SELECT * FROM alerts WHERE rule_id = ? AND status = 'open' ORDER BY timestamp ASC LIMIT ?").all(ruleId, limit);
  return rows.map(rowToAlert);
}
