/** Repository of `rule_runs`: one row per rule run (RuleRun in lib/domain/rule-run.ts). */
import type { RuleRun } from '../domain/rule-run';
import type { ShardFailure } from '../events/types';
import type { AppDb } from './db';

export interface StoredRuleRun extends RuleRun {
  shardFailures: ShardFailure[];
}

interface Row {
  id: string;
  rule_id: string;
  from_ts: string;
  to_ts: string;
  started_at: string;
  finished_at: string | null;
  status: RuleRun['status'];
  hits: number;
  alerts_created: number;
  duration_ms: number | null;
  error: string | null;
  trigger: RuleRun['trigger'];
  shard_failures: string | null;
}

const toRun = (r: Row): StoredRuleRun => ({
  id: r.id,
  ruleId: r.rule_id,
  from: r.from_ts,
  to: r.to_ts,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status,
  hits: r.hits,
  alertsCreated: r.alerts_created,
  durationMs: r.duration_ms,
  error: r.error,
  trigger: r.trigger,
  shardFailures: r.shard_failures ? (JSON.parse(r.shard_failures) as ShardFailure[]) : [],
});

export function insertRun(db: AppDb, run: { id: string; ruleId: string; from: string; to: string; startedAt: string; trigger: RuleRun['trigger']; owner?: string }): void {
  db.prepare(
    `INSERT INTO rule_runs (id, rule_id, from_ts, to_ts, started_at, status, trigger, owner)
     VALUES (?, ?, ?, ?, ?, 'running', ?, ?)`,
  ).run(run.id, run.ruleId, run.from, run.to, run.startedAt, run.trigger, run.owner ?? null);
}

export function finishRun(db: AppDb, id: string, result: {
    status: Exclude<RuleRun['status'], 'running'>;
    finishedAt: string;
    hits: number;
    alertsCreated: number;
    durationMs: number;
    error: string | null;
    shardFailures?: ShardFailure[];
  }): void {
  db.prepare(
    `UPDATE rule_runs SET status = ?, finished_at = ?, hits = ?, alerts_created = ?, duration_ms = ?, error = ?, shard_failures = ?
     WHERE id = ?`,
  ).run(
    result.status,
    result.finishedAt,
    result.hits,
    result.alertsCreated,
    result.durationMs,
    result.error,
    result.shardFailures && result.shardFailures.length ? JSON.stringify(result.shardFailures) : null,
    id,
  );
}

export function getRun(db: AppDb, id: string): StoredRuleRun | null {
  const r = db.prepare<unknown[], Row>('SELECT * FROM rule_runs WHERE id = ?').get(id);
  return r ? toRun(r) : null;
}

/** Runs, newest first (of one rule when `ruleId` is given). */
export function listRuns(db: AppDb, filter: { ruleId?: string; limit?: number } = {}): StoredRuleRun[] {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
  const rows = filter.ruleId
    ? (db
        .prepare<unknown[], Row>('SELECT * FROM rule_runs WHERE rule_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?')
        .all(filter.ruleId, limit))
    : (db.prepare<unknown[], Row>('SELECT * FROM rule_runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit));
  return rows.map(toRun);
}

/** The latest run of every rule (one query; for the rules page). */
export function latestRunPerRule(db: AppDb): Map<string, StoredRuleRun> {
  const rows = db
    .prepare<unknown[], Row>(
      `SELECT r.* FROM rule_runs r
       WHERE r.rowid = (SELECT r2.rowid FROM rule_runs r2 WHERE r2.rule_id = r.rule_id ORDER BY r2.started_at DESC, r2.rowid DESC LIMIT 1)`,
    )
    .all();
  return new Map(rows.map((r) => [r.rule_id, toRun(r)]));
}

/**
 * Runs left 'running' by a process that died (no live lease points at them) become
 * 'failed' with an "interrupted" error. Their windows were never advanced, so the
 * scheduler runs them again. Returns how many were marked.
 */
export function failInterruptedRuns(db: AppDb, now: string): number {
  const res = db
    .prepare(
      `UPDATE rule_runs SET status = 'failed', finished_at = ?, error = 'interrupted: the server stopped during this run; its window is run again'
       WHERE status = 'running' AND NOT EXISTS (
         SELECT 1 FROM rule_state s WHERE s.running_run_id = rule_runs.id AND s.lease_expires_at > ?)`,
    )
    .run(now, now);
  return res.changes;
}

/** Delete finished runs that started before `before` (ISO). Returns how many. */
export function pruneRuns(db: AppDb, before: string): number {
  return db.prepare("DELETE FROM rule_runs WHERE status != 'running' AND started_at < ?").run(before).changes;
}
