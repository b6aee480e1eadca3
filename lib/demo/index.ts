/**
 * Public API of the demo data set.
 *
 *   generateDemoData({ now, seed?, events? }) → { events, stories, window, counts, seed }
 *   loadDemoData(writer, { now, seed?, events?, batchSize?, onProgress? })
 *   loadDemoDataIfEmpty(writer, opts) — for the first start of the server
 *
 * `stories` says which events the seed rule must (and must not) alert on; the detection
 * backfill on first start should cover `window` (from → to).
 */
export {
  DEFAULT_DEMO_EVENTS,
  DEFAULT_DEMO_SEED,
  DEMO_HOSTS,
  DEMO_INDEX_NAMES,
  DEMO_INDICES,
  DEMO_USERS,
  DEMO_WINDOW_HOURS,
  generateDemoData,
  streamDemoData,
  countByIndex,
  type DemoStream,
  resolveDemoOptions,
  type DemoDataSet,
  type DemoOptions,
  type DemoStory,
  type EventRef,
  type StoryEventRef,
} from './generate';
export { loadDemoData, loadDemoDataIfEmpty, type LoadDemoOptions, type LoadDemoResult, type LoadProgress } from './load';
export { CRITICAL_PROCESS_NAMES, SEED_RULE_INDEX_PATTERNS, seedRuleClauses, seedRuleWouldMatch, type RuleClauses } from './rule-fields';
