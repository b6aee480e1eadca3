/**
 * Repository of `rule_versions`: the name and investigation guide (the note, placeholders
 * already filled) of every rule version Guidepost has loaded. An alert keeps the guide of
 * the version that raised it, so upgrading a rule file never orphans the checklist states
 * of older alerts.
 */
import { createHash } from 'node:crypto';
import type { AppDb } from './db';
import { getDb } from './db';

export interface RuleVersionRow {
  ruleId: string;
  version: number;
  name: string;
  note: string | null;
  firstSeenAt: string;
}

export interface RuleVersionInput {
  ruleId: string;
  version: number;
  name: string;
  note: string | null;
}

interface Row {
  rule_id: string;
  version: number;
  name: string;
  note: string | null;
  first_seen_at: string;
}

const hashOf = (note: string | null) => createHash('sha256').update(note ?? '').digest('hex');

/**
 * Record the versions of the loaded rules. A version seen before keeps its first-seen time;
 * when the same version's text changed (a rule file edited without a version bump) the
 * newer text wins, as it is what that version now means.
 */
export function recordRuleVersions(rules: readonly RuleVersionInput[], db: AppDb = getDb(), now = new Date().toISOString()): number {
  const known = new Map(
    (db.prepare('SELECT rule_id, version, note_hash FROM rule_versions').all() as { rule_id: string; version: number; note_hash: string }[]).map(
      (r) => [`${r.rule_id}\u0000${r.version}`, r.note_hash],
    ),
  );
  const upsert = db.prepare(
    `INSERT INTO rule_versions (rule_id, version, name, note, note_hash, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (rule_id, version) DO UPDATE SET name = excluded.name, note = excluded.note, note_hash = excluded.note_hash`,
  );
  let written = 0;
  db.transaction(() => {
    for (const r of rules) {
      const hash = hashOf(r.note);
      if (known.get(`${r.ruleId}\u0000${r.version}`) === hash) continue;
      upsert.run(r.ruleId, r.version, r.name, r.note, hash, now);
      written += 1;
    }
  })();
  return written;
}

export function getRuleVersion(ruleId: string, version: number, db: AppDb = getDb()): RuleVersionRow | null {
  const r = db.prepare('SELECT rule_id, version, name, note, first_seen_at FROM rule_versions WHERE rule_id = ? AND version = ?').get(ruleId, version) as
    | Row
    | undefined;
  return r ? { ruleId: r.rule_id, version: r.version, name: r.name, note: r.note, firstSeenAt: r.first_seen_at } : null;
}
