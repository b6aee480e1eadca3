/**
 * Repository of `rule_versions`: the name and investigation guide (the note, placeholders
 * already filled) of every rule version Guidepost has loaded. An alert keeps the guide of
 * the version that raised it, so upgrading a rule file never orphans the checklist states
 * of older alerts.
 */
import { createHash } from 'node:crypto';
import type { AppDb } from './db';

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
export function recordRuleVersions(db: AppDb, rules: readonly RuleVersionInput[], now = new Date().toISOString()): number {
  const known = new Map(
    (db.prepare<unknown[], { rule_id: string; version: number; note_hash: string }>('SELECT rule_id, version, note_hash FROM rule_versions').all()).map(
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

export function getRuleVersion(db: AppDb, ruleId: string, version: number): RuleVersionRow | null {
  const r = db.prepare<unknown[], | Row>('SELECT rule_id, version, name, note, first_seen_at FROM rule_versions WHERE rule_id = ? AND version = ?').get(ruleId, version);
  return r ? { ruleId: r.rule_id, version: r.version, name: r.name, note: r.note, firstSeenAt: r.first_seen_at } : null;
}

// ---------------------------------------------------------------- the catalogue (migration 11)

/** A stored rule version with its whole definition (the rule's input shape as JSON). */
export interface RuleDefinitionRow {
  ruleId: string;
  version: number;
  name: string;
  definition: string | null;
  definitionHash: string | null;
  origin: string | null;
  firstSeenAt: string;
}

export interface RuleDefinitionInput {
  ruleId: string;
  version: number;
  name: string;
  /** the guide with placeholders filled (what alerts of this version show) */
  note: string | null;
  definition: string;
  definitionHash: string;
  origin: string;
}

/** Hash of every stored definition, by `rule_id \0 version`. */
export function definitionHashes(db: AppDb): Map<string, string | null> {
  const rows = db.prepare<unknown[], {
    rule_id: string;
    version: number;
    definition_hash: string | null;
  }>('SELECT rule_id, version, definition_hash FROM rule_versions').all();
  return new Map(rows.map((r) => [`${r.rule_id}\u0000${r.version}`, r.definition_hash]));
}

/**
 * Record rule versions with their definitions (an unchanged definition is not written again).
 * Runs inside the caller's transaction when there is one.
 */
export function recordRuleDefinitions(db: AppDb, rows: readonly RuleDefinitionInput[], now = new Date().toISOString()): number {
  const known = definitionHashes(db);
  const upsert = db.prepare(
    `INSERT INTO rule_versions (rule_id, version, name, note, note_hash, first_seen_at, definition, definition_hash, origin)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (rule_id, version) DO UPDATE SET name = excluded.name, note = excluded.note, note_hash = excluded.note_hash,
       definition = excluded.definition, definition_hash = excluded.definition_hash, origin = excluded.origin`,
  );
  let written = 0;
  db.transaction(() => {
    for (const r of rows) {
      if (known.get(`${r.ruleId}\u0000${r.version}`) === r.definitionHash) continue;
      upsert.run(r.ruleId, r.version, r.name, r.note, hashOf(r.note), now, r.definition, r.definitionHash, r.origin);
      written += 1;
    }
  })();
  return written;
}

/** Every version of a rule seen (newest first), definitions included. */
export function listRuleVersionsOf(db: AppDb, ruleId: string): RuleDefinitionRow[] {
  const rows = db
    .prepare<unknown[], {
    rule_id: string;
    version: number;
    name: string;
    definition: string | null;
    definition_hash: string | null;
    origin: string | null;
    first_seen_at: string;
  }>(
      'SELECT rule_id, version, name, definition, definition_hash, origin, first_seen_at FROM rule_versions WHERE rule_id = ? ORDER BY version DESC',
    )
    .all(ruleId);
  return rows.map((r) => ({
    ruleId: r.rule_id,
    version: r.version,
    name: r.name,
    definition: r.definition,
    definitionHash: r.definition_hash,
    origin: r.origin,
    firstSeenAt: r.first_seen_at,
  }));
}

/** An imported rule's current version and its definition. */
export interface ImportedRuleRow {
  ruleId: string;
  version: number;
  origin: string;
  importedAt: string;
  importedBy: string;
  definition: string;
}

/** The imported rules (their current versions' definitions). */
export function listImportedRules(db: AppDb): ImportedRuleRow[] {
  const rows = db
    .prepare<unknown[], { rule_id: string; version: number; origin: string; imported_at: string; imported_by: string; definition: string }>(
      `SELECT i.rule_id, i.version, i.origin, i.imported_at, i.imported_by, v.definition
       FROM imported_rules i JOIN rule_versions v ON v.rule_id = i.rule_id AND v.version = i.version
       WHERE v.definition IS NOT NULL ORDER BY i.rule_id`,
    )
    .all();
  return rows.map((r) => ({
    ruleId: r.rule_id,
    version: r.version,
    origin: r.origin,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
    definition: r.definition,
  }));
}

/** Make `version` the imported rule's current one unless a higher version is already current. */
export function upsertImportedRule(db: AppDb, r: { ruleId: string; version: number; origin: string }, actor: string, now = new Date().toISOString()): void {
  db.prepare(
    `INSERT INTO imported_rules (rule_id, version, origin, imported_at, imported_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (rule_id) DO UPDATE SET version = excluded.version, origin = excluded.origin,
       imported_at = excluded.imported_at, imported_by = excluded.imported_by
     WHERE excluded.version >= imported_rules.version`,
  ).run(r.ruleId, r.version, r.origin, now, actor);
}

/** The catalogue's change counter (bumped by every import that changed something). */
export function catalogueVersion(db: AppDb): number {
  const row = db.prepare<unknown[], { version: number }>('SELECT version FROM rule_catalogue_version WHERE id = 1').get();
  return row?.version ?? 0;
}

export function bumpCatalogueVersion(db: AppDb): void {
  db.prepare('UPDATE rule_catalogue_version SET version = version + 1 WHERE id = 1').run();
}
