/** Repository of the `rules` table: enabled state and the version/file last loaded, per rule_id. */
import type { AppDb } from './db';

export interface RuleRow {
  ruleId: string;
  enabled: boolean;
  version: number | null;
  name: string | null;
  file: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

interface Row {
  rule_id: string;
  enabled: number;
  version: number | null;
  name: string | null;
  file: string | null;
  updated_at: string;
  updated_by: string | null;
}

const toRow = (r: Row): RuleRow => ({
  ruleId: r.rule_id,
  enabled: r.enabled === 1,
  version: r.version,
  name: r.name,
  file: r.file,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export function getRuleRow(db: AppDb, ruleId: string): RuleRow | null {
  const r = db.prepare<unknown[], Row>('SELECT * FROM rules WHERE rule_id = ?').get(ruleId);
  return r ? toRow(r) : null;
}

export function listRuleRows(db: AppDb): RuleRow[] {
  return (db.prepare<unknown[], Row>('SELECT * FROM rules ORDER BY rule_id').all()).map(toRow);
}

/**
 * Record that a rule file was loaded (version, name, file). A rule seen for the first time
 * gets `enabledByDefault`; the enabled state of a known rule is kept.
 */
export function upsertLoadedRule(db: AppDb, rule: { ruleId: string; version: number; name: string; file: string | null }, enabledByDefault: boolean, now = new Date().toISOString()): void {
  db
    .prepare(
      `INSERT INTO rules (rule_id, enabled, version, name, file, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (rule_id) DO UPDATE SET version = excluded.version, name = excluded.name, file = excluded.file`,
    )
    .run(rule.ruleId, enabledByDefault ? 1 : 0, rule.version, rule.name, rule.file, now);
}

/** Set the enabled flag (the row must exist or is created). */
export function setRuleEnabledRow(db: AppDb, ruleId: string, enabled: boolean, actor: string, now = new Date().toISOString()): void {
  db
    .prepare(
      `INSERT INTO rules (rule_id, enabled, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (rule_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .run(ruleId, enabled ? 1 : 0, now, actor);
}

/** Set the enabled flag of many rules in one transaction; returns the ids whose state changed. */
export function setRulesEnabledRows(db: AppDb, rules: readonly { ruleId: string; enabledBefore: boolean }[], enabled: boolean, actor: string, now = new Date().toISOString()): string[] {
  const changed = rules.filter((r) => r.enabledBefore !== enabled).map((r) => r.ruleId);
  for (const id of changed) setRuleEnabledRow(db, id, enabled, actor, now);
  return changed;
}

/** Alerts per rule (all statuses), read from the (rule_id, …) queue index. */
export function alertCountsByRule(db: AppDb): Map<string, number> {
  const rows = db.prepare<unknown[], { rule_id: string; n: number }>('SELECT rule_id, count(*) AS n FROM alerts GROUP BY rule_id').all();
  return new Map(rows.map((r) => [r.rule_id, r.n]));
}
