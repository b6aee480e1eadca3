/**
 * Storing an import (lib/rules/import.ts read it) in app.db, in one transaction: each rule
 * is added (rule_id not in the catalogue), a new version (known rule_id, a version or text
 * not stored before), or unchanged (this exact version already stored). Imported rules live
 * in app.db from then on (imported_rules + rule_versions); the file is not needed again.
 *
 * Newly added rules start disabled unless the import asks to enable them (`enable`), and a
 * deprecated rule is never enabled by an import. A known rule keeps its enabled state.
 */
import { getDb, type AppDb } from '../store/db';
import { appendAudit } from '../store/audit';
import { upsertLoadedRule } from '../store/rules';
import { bumpCatalogueVersion, definitionHashes, recordRuleDefinitions, upsertImportedRule } from '../store/rule-versions';
import { isDeprecatedRule } from './model';
import type { ImportParse, ImportRefusal } from './import';

export interface ImportReport {
  added: number;
  newVersion: number;
  unchanged: number;
  refused: ImportRefusal[];
  /** rule ids per outcome */
  addedIds: string[];
  newVersionIds: string[];
  /** added rules that were enabled (the import asked for it; deprecated ones excluded) */
  enabledIds: string[];
  /** time spent storing, ms */
  ms: number;
}

/** `rules import: <a> added, <v> new version, <u> unchanged, <r> refused` */
export function formatImportSummary(r: Pick<ImportReport, 'added' | 'newVersion' | 'unchanged' | 'refused'>): string {
  return `rules import: ${r.added} added, ${r.newVersion} new version, ${r.unchanged} unchanged, ${r.refused.length} refused`;
}

/** one line per refused rule: `refused <file>:<line> rule_id <id>: <reason>` */
export function formatRefusal(r: ImportRefusal): string {
  return `refused ${r.where} rule_id ${r.ruleId ?? '(none)'}: ${r.reason}`;
}

/**
 * Store the candidates. `catalogue` maps each rule_id the catalogue holds now (rule files
 * and earlier imports) to its current version.
 */
export function applyImport(
  parsed: ImportParse,
  opts: { actor: string; enable: boolean; catalogue: ReadonlyMap<string, number> },
  db: AppDb = getDb(),
): ImportReport {
  const t0 = performance.now();
  const report: ImportReport = { added: 0, newVersion: 0, unchanged: 0, refused: [...parsed.refused], addedIds: [], newVersionIds: [], enabledIds: [], ms: 0 };
  db.transaction(() => {
    const hashes = definitionHashes(db);
    const toRecord: Parameters<typeof recordRuleDefinitions>[1][number][] = [];
    const now = new Date().toISOString();
    for (const c of parsed.candidates) {
      const r = c.rule;
      const known = opts.catalogue.has(r.rule_id);
      if (known && hashes.get(`${r.rule_id}\u0000${r.version}`) === c.hash) {
        report.unchanged += 1;
        continue;
      }
      toRecord.push({ ruleId: r.rule_id, version: r.version, name: r.name, note: r.note, definition: c.definition, definitionHash: c.hash, origin: c.where });
      upsertImportedRule(db, { ruleId: r.rule_id, version: r.version, origin: c.where }, opts.actor, now);
      if (known) {
        report.newVersion += 1;
        report.newVersionIds.push(r.rule_id);
      } else {
        const enabled = opts.enable && !isDeprecatedRule(r);
        upsertLoadedRule(getDb(), { ruleId: r.rule_id, version: r.version, name: r.name, file: c.where }, enabled, now);
        report.added += 1;
        report.addedIds.push(r.rule_id);
        if (enabled) report.enabledIds.push(r.rule_id);
      }
    }
    if (toRecord.length) {
      recordRuleDefinitions(db, toRecord, now);
      bumpCatalogueVersion(db);
      appendAudit(db, {
          actor: opts.actor,
          entity: 'rule',
          entityId: '*',
          action: 'import',
          after: { added: report.addedIds, newVersion: report.newVersionIds, enabled: report.enabledIds, unchanged: report.unchanged, refused: report.refused.length },
        });
    }
  }).immediate();
  report.ms = Math.round(performance.now() - t0);
  return report;
}
