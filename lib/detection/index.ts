/**
 * Detection: the server API (route handlers, CLI, instrumentation call these).
 *
 * rules      listRulesWithStatus({now?}), setRuleEnabled(ruleId, enabled, actor), getRule(id),
 *            listEnabledRules(), loadRules(), ruleLoadErrors(), setRuleCatalogue(rules|null)
 * runs       runRule(rule, window, {source, trigger, now?, advanceState?, attempts?…}) → RunOutcome
 *            buildSearchRequest(rule, window, exceptions), alertIdFor(ruleId, dedupKey)
 * scheduler  startScheduler({source, …}), stopScheduler(), getScheduler(), new Scheduler(opts).tick()
 * engine     getDetectionHealth() → {lastCycle, behind, behindCycles, message}: does detection keep up?
 * backfill   startBackfill(rules, {from,to}, {source}) → progress (poll getBackfillProgress(id)),
 *            runBackfill(rules, {from,to}, {source, onProgress?, onAlerts?}) (awaited), listBackfills()
 * exceptions createException(input, {actor}), listExceptions(ruleId), removeException(id, {actor}),
 *            suggestExceptionEntries(alert), alertsMatchingEntries(ruleId, entries)
 * windows    scheduledWindow(from, now), resolveDate(expr, now), splitRange(range, chunkMs)
 */
export * from './rules';
export * from './run';
export * from './scheduler';
export * from './backfill';
export * from './exceptions';
export * from './window';
export { getDetectionHealth, type DetectionHealth, type CycleRecord } from './engine/cycle';
export type { Alert, AlertStatus, Verdict, Severity, RuleRun, MitreTechnique } from './types';
