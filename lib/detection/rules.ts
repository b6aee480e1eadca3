/**
 * The rule catalogue as detection sees it: the rule files (lib/rules: bundled dir plus
 * GUIDEPOST_RULES_DIR) joined with the enabled state and run status kept in app.db.
 */
import { AppError } from '../errors';
import type { Rule } from '../rules/model';
import { buildRule, durationMs, isDeprecatedRule } from '../rules/model';
import { loadAllRules, type RuleFileError } from '../rules/load';
import { renderNote } from '../rules/transform';
import { definitionOf } from '../rules/import';
import type { TimeWindow } from '../events/types';
import { alertCountsByRule, getRuleRow, listRuleRows, setRuleEnabledRow, setRulesEnabledRows, upsertLoadedRule } from '../store/rules';
import { indexMatcher } from '../events/embedded/fields';
import { eventSourceKind } from '../events';
import { getEventStore } from '../events/embedded/store';
import { parseImportText, SUPPORTED_RULE_TYPES } from '../rules/import';
import { applyImport, formatImportSummary } from '../rules/import-apply';
import { catalogueVersion, listImportedRules, listRuleVersionsOf, recordRuleDefinitions, recordRuleVersions } from '../store/rule-versions';
import { getRuleState, listRuleStates, resetRuleState, type RuleState } from '../store/rule-state';
import { latestRunPerRule, listRuns, type StoredRuleRun } from '../store/runs';
import { listExceptionsOf } from '../store/exceptions';
import { parseAndCheck } from '../eql/check';
import { format as formatEql } from '../eql/format';
import { appendAudit } from '../store/audit';
import { getDb } from '../store/db';
import { isRuleLocked } from './locks';
import { resolveDate } from './window';

/** the rule files' rules (or the rules given by setRuleCatalogue) */
let catalogue: { rules: Rule[]; errors: RuleFileError[] } | null = null;
/** set by setRuleCatalogue: no imported rules are added */
let fixedCatalogue = false;
/** the catalogue whose versions were last recorded, and in which database */
let versionsRecorded: { catalogue: object; db: object } | null = null;
/** the imported rules (app.db), read again when the catalogue's change counter moves */
let imported: { db: object; version: number; rules: Rule[]; errors: RuleFileError[] } | null = null;
/** the catalogue whose rows (version, name, file) were last written to the rules table, and where */
let rowsSynced: { catalogue: object; db: object } | null = null;
/** rule files merged with imported rules: the catalogue everyone sees */
let merged: { files: object; imported: object | null; value: { rules: Rule[]; errors: RuleFileError[] } } | null = null;

/** Use these rules instead of the rule files and imports (tests, embedding). `null` goes back to the files. */
export function setRuleCatalogue(rules: Rule[] | null): void {
  catalogue = rules ? { rules, errors: [] } : null;
  fixedCatalogue = rules !== null;
}

/** Re-read the rule files (and the imported rules) on next use. */
export function reloadRules(): void {
  if (!fixedCatalogue) catalogue = null;
  imported = null;
}

/** The imported rules of app.db (each built again from its stored definition). */
function importedRules(): { rules: Rule[]; errors: RuleFileError[] } | null {
  if (fixedCatalogue) return null;
  const db = getDb();
  const version = catalogueVersion(db);
  if (imported && imported.db === db && imported.version === version) return imported;
  const rules: Rule[] = [];
  const errors: RuleFileError[] = [];
  for (const row of listImportedRules(db)) {
    try {
      rules.push(buildRule(JSON.parse(row.definition), { origin: row.origin, renderNote }));
    } catch (e) {
      // a stored definition the current model refuses: reported like a broken rule file
      errors.push({ file: `app.db import ${row.ruleId} v${row.version}`, message: e instanceof Error ? e.message : String(e) });
    }
  }
  imported = { db, version, rules, errors };
  return imported;
}

/**
 * Files and imports together: for a rule_id in both, the higher version wins (the rule file
 * on a tie), so importing a newer Elastic release of a bundled rule upgrades it.
 */
function mergedCatalogue(files: { rules: Rule[]; errors: RuleFileError[] }): { rules: Rule[]; errors: RuleFileError[] } {
  const imp = importedRules();
  if (!imp || (imp.rules.length === 0 && imp.errors.length === 0)) return files;
  if (merged && merged.files === files && merged.imported === imp) return merged.value;
  const byId = new Map<string, Rule>(imp.rules.map((r) => [r.rule_id, r]));
  for (const r of files.rules) {
    const other = byId.get(r.rule_id);
    if (!other || r.version >= other.version) byId.set(r.rule_id, r);
  }
  const value = { rules: [...byId.values()], errors: [...files.errors, ...imp.errors] };
  merged = { files, imported: imp, value };
  return value;
}

/** What a reload of the rule files changed. */
export interface RuleReload {
  /** rules loaded now */
  rules: number;
  added: { ruleId: string; name: string; version: number }[];
  upgraded: { ruleId: string; name: string; from: number; to: number }[];
  removed: { ruleId: string; name: string; version: number }[];
  errors: RuleFileError[];
}

/**
 * Read the rule files again now (a rule file replaced, added or removed while the server
 * runs): new versions are recorded with their guides, so alerts already raised keep theirs
 * and new runs use the new one. A change is audited with who asked and the versions before
 * and after; a reload that changes nothing leaves no entry.
 */
export function reloadRuleFiles(actor: string): RuleReload {
  const before = new Map(loadRules().rules.map((r) => [r.rule_id, r]));
  reloadRules();
  const now = loadRules();
  const after = new Map(now.rules.map((r) => [r.rule_id, r]));
  const added = now.rules.filter((r) => !before.has(r.rule_id)).map((r) => ({ ruleId: r.rule_id, name: r.name, version: r.version }));
  const removed = [...before.values()].filter((r) => !after.has(r.rule_id)).map((r) => ({ ruleId: r.rule_id, name: r.name, version: r.version }));
  const upgraded = now.rules.flatMap((r) => {
    const old = before.get(r.rule_id);
    return old && old.version !== r.version ? [{ ruleId: r.rule_id, name: r.name, from: old.version, to: r.version }] : [];
  });
  // one entry per reload that changed anything: each changed rule's version before and after (null: none)
  const versionsBefore: Record<string, number | null> = {};
  const versionsAfter: Record<string, number | null> = {};
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const [from, to] = [before.get(id)?.version ?? null, after.get(id)?.version ?? null];
    if (from === to) continue;
    versionsBefore[id] = from;
    versionsAfter[id] = to;
  }
  if (Object.keys(versionsBefore).length) {
    appendAudit(getDb(), { actor, entity: 'rule', entityId: '*', action: 'reload', before: versionsBefore, after: versionsAfter });
  }
  return { rules: now.rules.length, added, upgraded, removed, errors: now.errors };
}

/**
 * Every rule of the rule files (cached), recorded in the `rules` table (version, file; a
 * new rule starts enabled as its file says). Load errors are returned, not thrown.
 */
export function loadRules(): { rules: Rule[]; errors: RuleFileError[] } {
  if (!catalogue) {
    catalogue = loadAllRules();
  }
  const db = getDb();
  if (versionsRecorded?.catalogue !== catalogue || versionsRecorded.db !== db) {
    // every version's guide is kept, so alerts raised by an older version keep their checklist
    recordRuleVersions(db, catalogue.rules.map((r) => ({ ruleId: r.rule_id, version: r.version, name: r.name, note: r.note ?? null })));
    if (!fixedCatalogue) {
      // and every rule file's version is kept whole, as imported versions are
      recordRuleDefinitions(db, catalogue.rules.map((r) => ({ ruleId: r.rule_id, version: r.version, name: r.name, note: r.note ?? null, origin: r.origin, ...definitionHash(r) })));
    }
    versionsRecorded = { catalogue, db };
  }
  const all = mergedCatalogue(catalogue);
  // the rows were brought in line with this catalogue in this database already
  if (rowsSynced?.catalogue === all && rowsSynced.db === db) return all;
  const known = new Map(listRuleRows(getDb()).map((r) => [r.ruleId, r]));
  const stale = all.rules.filter((r) => {
    const row = known.get(r.rule_id);
    return !row || row.version !== r.version || row.file !== r.origin || row.name !== r.name;
  });
  if (stale.length) {
    db.transaction(() => {
      // a rule seen for the first time runs as its file says, unless it is deprecated
      for (const r of stale) upsertLoadedRule(getDb(), { ruleId: r.rule_id, version: r.version, name: r.name, file: r.origin }, r.enabled && !isDeprecatedRule(r));
    })();
  }
  rowsSynced = { catalogue: all, db };
  return all;
}

function definitionHash(r: Rule): { definition: string; definitionHash: string } {
  const d = definitionOf(r);
  return { definition: d.definition, definitionHash: d.hash };
}

/** Rule files that could not be loaded (file and reason), for the rules page. */
export function ruleLoadErrors(): RuleFileError[] {
  return loadRules().errors;
}

export function getRule(ruleId: string): Rule | null {
  return loadRules().rules.find((r) => r.rule_id === ruleId) ?? null;
}

export function isRuleEnabled(rule: Rule): boolean {
  const row = getRuleRow(getDb(), rule.rule_id);
  return row ? row.enabled : rule.enabled && !isDeprecatedRule(rule);
}

/** The rules the scheduler runs: enabled, EQL. */
export function listEnabledRules(): Rule[] {
  const { rules } = loadRules();
  const rows = new Map(listRuleRows(getDb()).map((r) => [r.ruleId, r]));
  return rules.filter((r) => r.type === 'eql' && (rows.get(r.rule_id)?.enabled ?? (r.enabled && !isDeprecatedRule(r))));
}

export interface RuleWithStatus {
  ruleId: string;
  name: string;
  version: number;
  type: string;
  severity: Rule['severity'];
  riskScore: number;
  interval: string;
  from: string;
  maxSignals: number;
  index: string[];
  origin: string;
  enabled: boolean;
  /** the latest run (any trigger) */
  lastRun: StoredRuleRun | null;
  /** end of the last successful scheduled window */
  lastSuccessEnd: string | null;
  /** range not yet covered by a successful scheduled run while runs failed or were missed; null when none */
  pendingGap: TimeWindow | null;
  consecutiveFailures: number;
  nextRetryAt: string | null;
  /** a run of this rule is in progress */
  running: boolean;
  /** Guidepost runs this rule type (EQL); other types are kept and listed as not supported yet */
  supported: boolean;
  deprecated: boolean;
  tags: string[];
  /** from the tags "OS: Windows" … */
  os: string[];
  /** integration / related_integrations packages, and "Data Source: …" tags */
  dataSources: string[];
  /** MITRE tactic and technique ids and names, for search */
  mitre: { tacticId: string; tacticName: string; techniqueId?: string; techniqueName?: string; subtechniqueId?: string }[];
  /** alerts of this rule in the queue (any status) */
  alertCount: number;
  /** where the rule comes from: a rule file, or an import */
  source: 'file' | 'import';
}

const OS_TAG = /^OS:\s*(.+)$/i;
const DATA_SOURCE_TAG = /^Data Source:\s*(.+)$/i;

/** The facets of a rule that the rules page searches and filters on. */
type RuleFacets = Pick<RuleWithStatus, 'supported' | 'deprecated' | 'tags' | 'os' | 'dataSources' | 'mitre'>;
const facetCache = new WeakMap<Rule, RuleFacets>();

export function ruleFacets(r: Rule): RuleFacets {
  let f = facetCache.get(r);
  if (!f) {
    f = computeFacets(r);
    facetCache.set(r, f);
  }
  return f;
}

function computeFacets(r: Rule): RuleFacets {
  const os = r.tags.flatMap((t) => OS_TAG.exec(t)?.[1]?.trim() ?? []);
  const sources = new Set<string>([...r.metadata.integration, ...r.related_integrations.map((i) => i.package)]);
  for (const t of r.tags) {
    const m = DATA_SOURCE_TAG.exec(t);
    if (m?.[1]) sources.add(m[1].trim());
  }
  return {
    supported: SUPPORTED_RULE_TYPES.has(r.type),
    deprecated: isDeprecatedRule(r),
    tags: r.tags,
    os,
    dataSources: [...sources],
    mitre: r.mitre.map((m) => ({
      tacticId: m.tacticId,
      tacticName: m.tacticName,
      ...(m.techniqueId ? { techniqueId: m.techniqueId, techniqueName: m.techniqueName } : {}),
      ...(m.subtechniqueId ? { subtechniqueId: m.subtechniqueId } : {}),
    })),
  };
}

/**
 * The missed range of a rule at `now`: from the end of its last successful window to now,
 * when the last attempt failed or more than an interval (plus `slackMs`) has gone uncovered.
 */
export function pendingGapOf(
  rule: Pick<Rule, 'interval' | 'from'>,
  state: RuleState | null,
  now: Date,
  opts: { slackMs?: number; running?: boolean } = {},
): TimeWindow | null {
  if (!state?.lastSuccessEnd) return null;
  const end = Date.parse(state.lastSuccessEnd);
  const uncovered = now.getTime() - end;
  if (uncovered <= 0) return null;
  // while a normal run is in progress its own window (up to the look-back) is not a gap
  const lookback = now.getTime() - resolveDate(rule.from, now).getTime();
  const allowed = (opts.running ? Math.max(lookback, durationMs(rule.interval)) : durationMs(rule.interval)) + (opts.slackMs ?? 60_000);
  if (state.consecutiveFailures > 0 || uncovered > allowed) {
    return { from: state.lastSuccessEnd, to: now.toISOString() };
  }
  return null;
}

/** Rules with enabled state, last run (window, hits, alerts, error) and pending gap. */
export function listRulesWithStatus(opts: { now?: Date } = {}): RuleWithStatus[] {
  const now = opts.now ?? new Date();
  const { rules } = loadRules();
  const rows = new Map(listRuleRows(getDb()).map((r) => [r.ruleId, r]));
  const states = new Map(listRuleStates(getDb()).map((s) => [s.ruleId, s]));
  const runs = latestRunPerRule(getDb());
  const alertCounts = alertCountsByRule(getDb());
  const fileRules = new Set<Rule>(catalogue?.rules ?? []);
  return rules.map((r) => {
    const state = states.get(r.rule_id) ?? null;
    const enabled = rows.get(r.rule_id)?.enabled ?? (r.enabled && !isDeprecatedRule(r));
    const leaseLive = !!(state?.leaseOwner && state.leaseExpiresAt && state.leaseExpiresAt > now.toISOString());
    return {
      ruleId: r.rule_id,
      name: r.name,
      version: r.version,
      type: r.type,
      severity: r.severity,
      riskScore: r.risk_score,
      interval: r.interval,
      from: r.from,
      maxSignals: r.max_signals,
      index: r.index,
      origin: r.origin,
      enabled,
      lastRun: runs.get(r.rule_id) ?? null,
      lastSuccessEnd: state?.lastSuccessEnd ?? null,
      pendingGap: enabled ? pendingGapOf(r, state, now, { running: isRuleLocked(r.rule_id) || leaseLive }) : null,
      consecutiveFailures: state?.consecutiveFailures ?? 0,
      nextRetryAt: state?.nextRetryAt ?? null,
      running: isRuleLocked(r.rule_id) || leaseLive,
      ...ruleFacets(r),
      alertCount: alertCounts.get(r.rule_id) ?? 0,
      source: fileRules.has(r) ? 'file' : 'import',
    };
  });
}

/** Enable or disable a rule (audited). Unknown rule ids are refused. */
export function setRuleEnabled(ruleId: string, enabled: boolean, actor: string): RuleWithStatus {
  const rule = getRule(ruleId);
  if (!rule) throw new Error(`unknown rule ${ruleId}`);
  const db = getDb();
  db.transaction(() => {
    const before = getRuleRow(getDb(), ruleId)?.enabled ?? (rule.enabled && !isDeprecatedRule(rule));
    setRuleEnabledRow(getDb(), ruleId, enabled, actor);
    // a disabled period is not a gap: a re-enabled rule starts afresh at its next run
    if (enabled && !before) resetRuleState(getDb(), ruleId);
    appendAudit(db, { actor, entity: 'rule', entityId: ruleId, action: enabled ? 'enable' : 'disable', before: { enabled: before }, after: { enabled } });
  }).immediate();
  const status = listRulesWithStatus().find((r) => r.ruleId === ruleId);
  if (!status) throw new Error(`unknown rule ${ruleId}`);
  return status;
}

/**
 * Enable or disable many rules at once (one transaction, one audit entry per rule whose
 * state changed). Unknown ids are refused before anything changes.
 */
export function setRulesEnabled(ruleIds: readonly string[], enabled: boolean, actor: string): { changed: string[]; unchanged: number } {
  const { rules } = loadRules();
  const byId = new Map(rules.map((r) => [r.rule_id, r]));
  const unknown = ruleIds.filter((id) => !byId.has(id));
  if (unknown.length) {
    throw new AppError('not_found', `unknown rule_id: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
  }
  const rows = new Map(listRuleRows(getDb()).map((r) => [r.ruleId, r]));
  const ids = [...new Set(ruleIds)];
  const db = getDb();
  let changed: string[] = [];
  db.transaction(() => {
    const now = new Date().toISOString();
    const before = ids.map((id) => {
      const rule = byId.get(id)!;
      return { ruleId: id, enabledBefore: rows.get(id)?.enabled ?? (rule.enabled && !isDeprecatedRule(rule)) };
    });
    changed = setRulesEnabledRows(getDb(), before, enabled, actor, now);
    for (const id of changed) {
      if (enabled) resetRuleState(getDb(), id);
      appendAudit(db, { actor, entity: 'rule', entityId: id, action: enabled ? 'enable' : 'disable', before: { enabled: !enabled }, after: { enabled }, at: now });
    }
  }).immediate();
  return { changed, unchanged: ids.length - changed.length };
}

/**
 * The concrete index names the event store holds, or null when they cannot be listed here
 * (on Elasticsearch the cluster is not asked from this path).
 */
export function storedIndexNames(): string[] | null {
  if (eventSourceKind() !== 'embedded') return null;
  return getEventStore().resolveIndices(['*']);
}

/** The stored indices a rule's index patterns match (null: unknown). */
export function matchingIndices(rule: Pick<Rule, 'index'>, indices: readonly string[] | null): string[] | null {
  if (indices === null) return null;
  if (rule.index.length === 0) return [];
  const match = indexMatcher(rule.index);
  return indices.filter(match);
}

/** The rules that can match the stored data: at least one index pattern matches a stored index. */
export function rulesMatchingData(rules: readonly Rule[], indices: readonly string[]): Rule[] {
  return rules.filter((r) => (matchingIndices(r, indices) ?? []).length > 0);
}

export { getRuleState };

/** Everything the rule page shows (GET /api/rules/:id); null for an unknown rule. */
export function ruleDetail(ruleId: string) {
  const rule = getRule(ruleId);
  if (!rule) return null;
  const status = listRulesWithStatus().find((r) => r.ruleId === ruleId)!;
  let formattedQuery: string | null = null;
  let problems: { message: string; line: number; column: number; start: number; end: number }[] = [];
  if (rule.type === 'eql' && rule.query.trim() !== '') {
    const first = parseAndCheck(rule.query);
    if (first.statement) {
      try {
        formattedQuery = formatEql(first.statement);
      } catch {
        formattedQuery = null;
      }
    }
    // positions refer to the text shown: the formatted query when there is one
    const shown = formattedQuery !== null ? parseAndCheck(formattedQuery) : first;
    problems = shown.diagnostics.map((d) => ({ message: d.message, line: d.line, column: d.column, start: d.span.start, end: d.span.end }));
  }
  const indices = storedIndexNames();
  return {
    rule: status,
    description: rule.description,
    language: rule.language,
    query: rule.query,
    formattedQuery,
    problems,
    note: rule.note,
    setup: rule.setup,
    references: rule.references,
    falsePositives: rule.false_positives,
    threat: rule.threat,
    relatedIntegrations: rule.related_integrations,
    maturity: rule.metadata.maturity,
    timestampOverride: rule.timestamp_override,
    indexMatches: indices === null ? null : rule.index.map((pattern) => ({ pattern, indices: matchingIndices({ index: [pattern] }, indices) ?? [] })),
    versions: listRuleVersionsOf(getDb(), ruleId).map((v) => ({ version: v.version, name: v.name, origin: v.origin, firstSeenAt: v.firstSeenAt })),
    exceptions: listExceptionsOf(getDb(), ruleId),
    runs: listRuns(getDb(), { ruleId, limit: 100 }),
  };
}

/**
 * Import an uploaded rule file (Kibana NDJSON, corpus JSONL, or one TOML) into the catalogue:
 * the same report the CLI prints. Nothing is stored when every rule is refused.
 */
export function importRuleText(text: string, fileName: string, opts: { actor: string; enable: boolean }) {
  const parsed = parseImportText(text, fileName);
  const catalogueNow = new Map(loadRules().rules.map((r) => [r.rule_id, r.version]));
  const report = applyImport(parsed, { actor: opts.actor, enable: opts.enable, catalogue: catalogueNow });
  reloadRules();
  return {
    summary: formatImportSummary(report),
    added: report.added,
    newVersion: report.newVersion,
    unchanged: report.unchanged,
    refused: report.refused,
    enabled: report.enabledIds.length,
    ms: report.ms,
  };
}
