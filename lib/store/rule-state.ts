/**
 * Repository of `rule_state`: per rule, the end of the last SUCCESSFUL scheduled window,
 * the pending gap, failure/backoff bookkeeping, and the run lease (so that runs never
 * overlap for one rule, even across a restart).
 *
 * All times are ISO-8601 strings from `Date#toISOString()` (so they compare as text).
 */
import type { AppDb } from './db';

export interface RuleState {
  ruleId: string;
  lastSuccessEnd: string | null;
  lastAttemptAt: string | null;
  consecutiveFailures: number;
  nextRetryAt: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  runningRunId: string | null;
  gapFrom: string | null;
  gapTo: string | null;
}

interface Row {
  rule_id: string;
  last_success_end: string | null;
  last_attempt_at: string | null;
  consecutive_failures: number;
  next_retry_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  running_run_id: string | null;
  gap_from: string | null;
  gap_to: string | null;
}

const toState = (r: Row): RuleState => ({
  ruleId: r.rule_id,
  lastSuccessEnd: r.last_success_end,
  lastAttemptAt: r.last_attempt_at,
  consecutiveFailures: r.consecutive_failures,
  nextRetryAt: r.next_retry_at,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at,
  runningRunId: r.running_run_id,
  gapFrom: r.gap_from,
  gapTo: r.gap_to,
});

function ensure(db: AppDb, ruleId: string): void {
  db.prepare('INSERT OR IGNORE INTO rule_state (rule_id) VALUES (?)').run(ruleId);
}

export function getRuleState(db: AppDb, ruleId: string): RuleState | null {
  const r = db.prepare<unknown[], Row>('SELECT * FROM rule_state WHERE rule_id = ?').get(ruleId);
  return r ? toState(r) : null;
}

export function listRuleStates(db: AppDb): RuleState[] {
  return (db.prepare<unknown[], Row>('SELECT * FROM rule_state').all()).map(toState);
}

/**
 * Take the run lease of a rule for `owner` until `expiresAt`. Refused (false) while
 * another owner holds an unexpired lease. Atomic.
 */
export function acquireLease(db: AppDb, ruleId: string, owner: string, runId: string, now: string, expiresAt: string): boolean {
  return db
    .transaction(() => {
      ensure(db, ruleId);
      const res = db
        .prepare(
          `UPDATE rule_state SET lease_owner = ?, lease_expires_at = ?, running_run_id = ?
           WHERE rule_id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at IS NULL OR lease_expires_at <= ?)`,
        )
        .run(owner, expiresAt, runId, ruleId, owner, now);
      return res.changes === 1;
    })
    .immediate();
}

/** Give the lease back (only when `owner` still holds it). */
export function releaseLease(db: AppDb, ruleId: string, owner: string): void {
  db.prepare(
    'UPDATE rule_state SET lease_owner = NULL, lease_expires_at = NULL, running_run_id = NULL WHERE rule_id = ? AND lease_owner = ?',
  ).run(ruleId, owner);
}

/**
 * Move the end of the last successful window forward to `to` (never backwards) and reset
 * the failure count. Call it in the transaction that stores the window's alerts.
 */
export function advanceWindow(db: AppDb, ruleId: string, to: string): void {
  ensure(db, ruleId);
  db.prepare(
    `UPDATE rule_state SET
       last_success_end = CASE WHEN last_success_end IS NULL OR last_success_end < ? THEN ? ELSE last_success_end END,
       consecutive_failures = 0, next_retry_at = NULL
     WHERE rule_id = ?`,
  ).run(to, to, ruleId);
}

/**
 * Where a rule's scheduled coverage begins: set the window end to `start` when the rule
 * has none yet (its first scheduled run), so that if that run fails, the range from
 * `start` on is a gap to catch up rather than forgotten.
 */
export function initCoverage(db: AppDb, ruleId: string, start: string): void {
  ensure(db, ruleId);
  db.prepare('UPDATE rule_state SET last_success_end = ? WHERE rule_id = ? AND last_success_end IS NULL').run(start, ruleId);
}

/** Record a scheduled attempt: its time and, on failure, the failure count and the next retry time. */
export function recordAttempt(db: AppDb, ruleId: string, at: string, outcome: { failed: false } | { failed: true; nextRetryAt: string | null }): void {
  ensure(db, ruleId);
  if (outcome.failed) {
    db.prepare(
      'UPDATE rule_state SET last_attempt_at = ?, consecutive_failures = consecutive_failures + 1, next_retry_at = ? WHERE rule_id = ?',
    ).run(at, outcome.nextRetryAt, ruleId);
  } else {
    db.prepare('UPDATE rule_state SET last_attempt_at = ? WHERE rule_id = ?').run(at, ruleId);
  }
}

/** Store the pending gap (missed range not yet run), or clear it with nulls. */
export function setGap(db: AppDb, ruleId: string, from: string | null, to: string | null): void {
  ensure(db, ruleId);
  db.prepare('UPDATE rule_state SET gap_from = ?, gap_to = ? WHERE rule_id = ?').run(from, to, ruleId);
}

/** Forget a rule's window bookkeeping (it starts afresh at its next run). */
export function resetRuleState(db: AppDb, ruleId: string): void {
  db.prepare('DELETE FROM rule_state WHERE rule_id = ?').run(ruleId);
}
