import 'server-only';
import type { RulePost, RulesBulk } from '@/lib/contracts/rules';
import type { z } from 'zod';
import type { backfillRequestSchema, ruleRunRequestSchema } from '@/lib/contracts/rules';
import { AppError } from '@/lib/errors';
import { getRule, importRuleText, listRulesWithStatus, reloadRules, loadRules, ruleDetail, ruleLoadErrors, rulesMatchingData, setRuleEnabled, setRulesEnabled, storedIndexNames } from '@/lib/detection/rules';
import { getDetectionHealth } from '@/lib/detection/engine/cycle';
import { listBackfills, startBackfill } from '@/lib/detection/backfill';
import { listPendingExceptions } from '@/lib/detection/exceptions';
import { backfillRunner, runRuleOffThread } from '@/lib/server/workers/detection-driver';
import { scheduledWindow } from '@/lib/detection/window';
import { getEventSource } from '@/lib/events';
import type { Rule } from '@/lib/rules/model';
import { cached, dataVersion } from '@/lib/store/answer-cache';
import { getDb } from '@/lib/store/db';
import { revalidatableJson, type RevalidatableJson } from './revalidate';
import { spawnWorker, workersEnabled, type WorkerPool } from './workers/spawn';
import { rulesImportRequestSchema, rulesImportResponseSchema, type RulesImportRequest } from './workers/rules-import-protocol';
import type { RuleImportReport } from '@/lib/contracts/rules';

/**
 * The rules page's answer, serialised with its validator. Kept while the app database has not
 * changed and detection has not finished a cycle, for at most 5 s (a rule's "running" mark
 * follows its lease's clock): twenty rules pages polling cost one computation per change.
 */
export function rulesOverviewAnswer(now = Date.now()): RevalidatableJson {
  const db = getDb();
  const health = getDetectionHealth();
  const version = `${dataVersion(db)}|${health.lastCycle?.startedAt ?? ''}|${health.behindCycles}`;
  return cached('rules:overview', version, () => revalidatableJson(rulesOverview()), now, 5_000);
}

/** The rules page: rules with enabled state, last run, pending gap and facets; files that failed to load; whether detection keeps up. */
export function rulesOverview() {
  return { items: listRulesWithStatus(), errors: ruleLoadErrors(), detection: getDetectionHealth() };
}

/** The rule `id` as loaded, or AppError 'not_found'. */
export function ruleOrThrow(id: string): Rule {
  const rule = getRule(id);
  if (!rule) throw new AppError('not_found', `no rule with rule_id ${id}`);
  return rule;
}

/** The rule page's detail, or 'not_found'. */
export function ruleDetailOrThrow(id: string) {
  const detail = ruleDetail(id);
  if (!detail) throw new AppError('not_found', `no rule with rule_id ${id}`);
  return detail;
}

/** Enable or disable one rule, or many: the ids given, all, or the ones whose index patterns match stored data. */
export function setEnabled(body: RulePost | RulesBulk, actor: string) {
  if ('ruleId' in body) {
    ruleOrThrow(body.ruleId);
    return { rule: setRuleEnabled(body.ruleId, body.enabled, actor) };
  }
  let ids: string[];
  if (body.all) ids = loadRules().rules.map((r) => r.rule_id);
  else if (body.matchingData) {
    const indices = storedIndexNames();
    if (indices === null) throw new AppError('invalid_request', 'the rules that can match the stored data are known on the embedded event store only; choose the rules instead');
    ids = rulesMatchingData(loadRules().rules, indices).map((r) => r.rule_id);
  } else ids = body.ruleIds ?? [];
  return setRulesEnabled(ids, body.enabled, actor);
}

/** Run a rule now over its look-back window (or the given one). */
export async function runRuleNow(id: string, body: z.infer<typeof ruleRunRequestSchema>) {
  const rule = ruleOrThrow(id);
  const window = body.from && body.to ? { from: body.from, to: body.to } : scheduledWindow(rule.from, new Date());
  // in the detection worker: the run's search never holds the web thread
  const outcome = await runRuleOffThread(rule, window);
  if (outcome.busy) throw new AppError('conflict', 'a run of this rule is in progress; try again when it ends');
  if (!outcome.run) throw new AppError('invalid_request', outcome.error?.message ?? 'the rule was not run');
  return { run: outcome.run, created: outcome.created.map((a) => a.id) };
}

/** Start a backfill of one rule over a past range (in chunks; progress via latestBackfillOf). */
export function backfillRule(id: string, range: z.infer<typeof backfillRequestSchema>) {
  return { backfill: startBackfill([ruleOrThrow(id)], range, { source: getEventSource(), trigger: 'backfill', remote: backfillRunner() }) };
}

/** The rule's latest backfill (null when none since the server started). */
export function latestBackfillOf(id: string) {
  return { backfill: listBackfills().find((b) => b.ruleIds.includes(id)) ?? null };
}

/** Proposed exceptions waiting for a lead, across rules, oldest first, with their rule's name. */
export function pendingExceptions() {
  return { items: listPendingExceptions().map((e) => ({ ...e, ruleName: getRule(e.ruleId)?.name ?? null })) };
}

const POOL_KEY = Symbol.for('guidepost.rules-import.worker');
function importPool(): WorkerPool<RulesImportRequest, RuleImportReport> {
  const g = globalThis as typeof globalThis & { [POOL_KEY]?: WorkerPool<RulesImportRequest, RuleImportReport> };
  return (g[POOL_KEY] ??= spawnWorker({
    name: 'rules-import',
    module: 'lib/server/workers/rules-import-worker.ts',
    request: rulesImportRequestSchema,
    response: rulesImportResponseSchema,
    size: 1,
    timeoutMs: 5 * 60_000,
  }));
}

/**
 * Imports a rule file (Kibana NDJSON, corpus JSONL or one TOML rule): read, checked and stored
 * on the rules-import worker's thread (its own app.db connection), then this process's
 * catalogue is read again. In this thread when workers are off (GUIDEPOST_WORKERS=off) or the
 * database lives in memory (tests: a worker could not see it).
 */
export async function importRules(text: string, fileName: string, opts: { actor: string; enable: boolean }): Promise<RuleImportReport> {
  if (!workersEnabled() || getDb().memory) return importRuleText(text, fileName, opts);
  const report = await importPool().request({ text, fileName, actor: opts.actor, enable: opts.enable });
  reloadRules();
  return report;
}
