/**
 * Search, filters and sort of the rules page (pure; linear in the number of rules, search
 * text matched as a plain substring — never a pattern — so any input costs the same).
 */
import type { RuleListItem } from '@/lib/contracts/rules';

export type TriState = 'any' | 'yes' | 'no';
export type RuleSort = 'default' | 'name' | 'duration' | 'hits' | 'alerts' | 'severity';

export interface RuleFilter {
  q: string;
  os: string;
  dataSource: string;
  severity: string;
  enabled: TriState;
  deprecated: TriState;
  failing: boolean;
  hasAlerts: boolean;
  sort: RuleSort;
}

export const emptyFilter: RuleFilter = {
  q: '',
  os: '',
  dataSource: '',
  severity: '',
  enabled: 'any',
  deprecated: 'any',
  failing: false,
  hasAlerts: false,
  sort: 'default',
};

/** the text a rule is searched by: name, id, tags, MITRE tactic and technique ids and names */
function haystack(r: RuleListItem): string {
  const mitre = r.mitre.flatMap((m) => [m.tacticId, m.tacticName, m.techniqueId ?? '', m.techniqueName ?? '', m.subtechniqueId ?? '']);
  return [r.name, r.ruleId, ...r.tags, ...mitre].join('\n').toLowerCase();
}

const cache = new WeakMap<RuleListItem, string>();
function textOf(r: RuleListItem): string {
  let s = cache.get(r);
  if (s === undefined) {
    s = haystack(r);
    cache.set(r, s);
  }
  return s;
}

export function isFailing(r: RuleListItem): boolean {
  return r.consecutiveFailures > 0 || r.lastRun?.status === 'failed' || r.lastRun?.status === 'partial';
}

const tri = (want: TriState, value: boolean) => want === 'any' || (want === 'yes') === value;

const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export function filterRules(items: readonly RuleListItem[], f: RuleFilter): RuleListItem[] {
  const terms = f.q.toLowerCase().split(/\s+/).filter(Boolean);
  const out = items.filter(
    (r) =>
      terms.every((t) => textOf(r).includes(t)) &&
      (f.os === '' || r.os.includes(f.os)) &&
      (f.dataSource === '' || r.dataSources.includes(f.dataSource)) &&
      (f.severity === '' || r.severity === f.severity) &&
      tri(f.enabled, r.enabled) &&
      tri(f.deprecated, r.deprecated) &&
      (!f.failing || isFailing(r)) &&
      (!f.hasAlerts || r.alertCount > 0),
  );
  const byName = (a: RuleListItem, b: RuleListItem) => a.name.localeCompare(b.name) || a.ruleId.localeCompare(b.ruleId);
  const desc = (key: (r: RuleListItem) => number) => (a: RuleListItem, b: RuleListItem) => key(b) - key(a) || byName(a, b);
  switch (f.sort) {
    case 'name':
      return out.sort(byName);
    case 'duration':
      return out.sort(desc((r) => r.lastRun?.durationMs ?? -1));
    case 'hits':
      return out.sort(desc((r) => r.lastRun?.hits ?? -1));
    case 'alerts':
      return out.sort(desc((r) => r.alertCount));
    case 'severity':
      return out.sort(desc((r) => SEVERITY_RANK[r.severity] ?? 0));
    default:
      // what runs first (enabled, then rules Guidepost can run), then by name
      return out.sort((a, b) => Number(b.enabled) - Number(a.enabled) || Number(b.supported) - Number(a.supported) || byName(a, b));
  }
}

/** distinct values of a facet, sorted, for a filter's options */
export function facetValues(items: readonly RuleListItem[], pick: (r: RuleListItem) => readonly string[]): string[] {
  const set = new Set<string>();
  for (const r of items) for (const v of pick(r)) set.add(v);
  return [...set].sort((a, b) => a.localeCompare(b));
}
