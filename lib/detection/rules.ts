/**
 * The rule catalogue as detection sees it: the rule files (lib/rules: bundled dir plus
 * GUIDEPOST_RULES_DIR) joined with the enabled state and run status kept in app.db.
 */
import type { Rule } from '../rules/model';
import { durationMs } from '../rules/model';
import { loadAllRules, type RuleFileError } from '../rules/load';
import type { TimeWindow } from '../events/types';
import { getRuleRow, listRuleRows, setRuleEnabledRow, upsertLoadedRule } from '../store/rules';
import { recordRuleVersions } from '../store/rule-versions';
import { getRuleState, listRuleStates, resetRuleState, type RuleState } from '../store/rule-state';
import { latestRunPerRule, type StoredRuleRun } from '../store/runs';
import { appendAudit } from '../store/audit';
import { getDb } from '../store/db';
import { isRuleLocked } from './locks';
import { resolveDate } from './window';

let catalogue: { rules: Rule[]; errors: RuleFileError[] } | null = null;
/** the catalogue whose versions were last recorded, and in which database */
let versionsRecorded: { catalogue: object; db: object } | null = null;

/** Use these rules instead of the rule files (tests, embedding). `null` goes back to the files. */
export function setRuleCatalogue(rules: Rule[] | null): void {
  catalogue = rules ? { rules, errors: [] } : null;
}

/** Re-read the rule files on next use. */
export function reloadRules(): void {
  catalogue = null;
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
    appendAudit({ actor, entity: 'rule', entityId: '*', action: 'reload', before: versionsBefore, after: versionsAfter });
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
  const known = new Map(listRuleRows().map((r) => [r.ruleId, r]));
  const db = getDb();
  if (versionsRecorded?.catalogue !== catalogue || versionsRecorded.db !== db) {
    // every version's guide is kept, so alerts raised by an older version keep their checklist
    recordRuleVersions(catalogue.rules.map((r) => ({ ruleId: r.rule_id, version: r.version, name: r.name, note: r.note ?? null })), db);
    versionsRecorded = { catalogue, db };
  }
  db.transaction(() => {
    for (const r of catalogue!.rules) {
      const row = known.get(r.rule_id);
      if (!row || row.version !== r.version || row.file !== r.origin || row.name !== r.name) {
        upsertLoadedRule({ ruleId: r.rule_id, version: r.version, name: r.name, file: r.origin }, r.enabled);
      }
    }
  })();
  return catalogue;
}

/** Rule files that could not be loaded (file and reason), for the rules page. */
export function ruleLoadErrors(): RuleFileError[] {
  return loadRules().errors;
}

export function getRule(ruleId: string): Rule | null {
  return loadRules().rules.find((r) => r.rule_id === ruleId) ?? null;
}

export function isRuleEnabled(rule: Rule): boolean {
  const row = getRuleRow(rule.rule_id);
  return row ? row.enabled : rule.enabled;
}

/** The rules the scheduler runs: enabled, EQL. */
export function listEnabledRules(): Rule[] {
  const { rules } = loadRules();
  const rows = new Map(listRuleRows().map((r) => [r.ruleId, r]));
  return rules.filter((r) => r.type === 'eql' && (rows.get(r.rule_id)?.enabled ?? r.enabled));
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
  const rows = new Map(listRuleRows().map((r) => [r.ruleId, r]));
  const states = new Map(listRuleStates().map((s) => [s.ruleId, s]));
  const runs = latestRunPerRule();
  return rules.map((r) => {
    const state = states.get(r.rule_id) ?? null;
    const enabled = rows.get(r.rule_id)?.enabled ?? r.enabled;
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
    };
  });
}

/** Enable or disable a rule (audited). Unknown rule ids are refused. */
export function setRuleEnabled(ruleId: string, enabled: boolean, actor: string): RuleWithStatus {
  const rule = getRule(ruleId);
  if (!rule) throw new Error(`unknown rule ${ruleId}`);
  const db = getDb();
  db.transaction(() => {
    const before = getRuleRow(ruleId)?.enabled ?? rule.enabled;
    setRuleEnabledRow(ruleId, enabled, actor);
    // a disabled period is not a gap: a re-enabled rule starts afresh at its next run
    if (enabled && !before) resetRuleState(ruleId);
    appendAudit({ actor, entity: 'rule', entityId: ruleId, action: enabled ? 'enable' : 'disable', before: { enabled: before }, after: { enabled } }, db);
  }).immediate();
  const status = listRulesWithStatus().find((r) => r.ruleId === ruleId);
  if (!status) throw new Error(`unknown rule ${ruleId}`);
  return status;
}

export { getRuleState };
