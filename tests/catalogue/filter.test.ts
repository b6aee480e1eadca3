/** The rules page's search, filters and sort, the query highlighter's pieces, and run gaps. */
import { describe, expect, it } from 'vitest';
import { ruleListItemSchema, type RuleListItem } from '@/lib/contracts/rules';
import { emptyFilter, filterRules } from '@/components/rules/catalogue-filter';
import { runGaps, segments } from '@/components/rules/rule-detail';

const item = (over: Partial<RuleListItem>): RuleListItem =>
  ruleListItemSchema.parse({ ruleId: 'x', name: 'x', severity: 'low', riskScore: 1, enabled: false, ...over });

const rules = [
  item({ ruleId: 'a', name: 'LSASS Memory Dump', severity: 'high', enabled: true, os: ['Windows'], tags: ['Tactic: Credential Access'], mitre: [{ tacticId: 'TA0006', tacticName: 'Credential Access', techniqueId: 'T1003', techniqueName: 'OS Credential Dumping' }], alertCount: 3 }),
  item({ ruleId: 'b', name: 'Deprecated - Old', deprecated: true, os: ['Linux'], dataSources: ['endpoint'] }),
  item({ ruleId: 'c', name: 'Cron job', os: ['Linux'], consecutiveFailures: 2, lastRun: null }),
];

describe('filterRules', () => {
  it('searches name, id, tag and MITRE tactic/technique, case-insensitively', () => {
    const q = (text: string) => filterRules(rules, { ...emptyFilter, q: text }).map((r) => r.ruleId);
    expect(q('lsass')).toEqual(['a']);
    expect(q('t1003')).toEqual(['a']);
    expect(q('credential dumping')).toEqual(['a']);
    // enabled first, then by name
    expect(q('c')).toEqual(['a', 'c', 'b']);
    expect(q('.*')).toEqual([]);
  });
  it('filters by OS, data source, enabled, deprecated, failing, has alerts', () => {
    const f = (over: Partial<typeof emptyFilter>) => filterRules(rules, { ...emptyFilter, ...over }).map((r) => r.ruleId);
    expect(f({ os: 'Linux' })).toEqual(['c', 'b']);
    expect(f({ dataSource: 'endpoint' })).toEqual(['b']);
    expect(f({ enabled: 'yes' })).toEqual(['a']);
    expect(f({ deprecated: 'no' })).toEqual(['a', 'c']);
    expect(f({ failing: true })).toEqual(['c']);
    expect(f({ hasAlerts: true })).toEqual(['a']);
    expect(f({ sort: 'alerts' })[0]).toBe('a');
    expect(f({ sort: 'name' })).toEqual(['c', 'b', 'a']);
  });
});

describe('segments', () => {
  it('cuts the query into token pieces and marks the problem span; the text is kept whole', () => {
    const text = 'process where nosuch(a) == "x"';
    const segs = segments(text, [{ start: 14, end: 20 }]);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.filter((s) => s.problem === 0).map((s) => s.text).join('')).toBe('nosuch');
    expect(segs.find((s) => s.text === 'nosuch')?.kind).toBe('function');
    expect(segs.find((s) => s.text === 'where')?.kind).toBe('keyword');
    expect(segs.find((s) => s.text === '"x"')?.kind).toBe('string');
  });
});

describe('runGaps', () => {
  it('names the uncovered range before a scheduled window', () => {
    const run = (id: string, from: string, to: string) => ({ id, ruleId: 'r', from, to, startedAt: to, finishedAt: to, status: 'succeeded' as const, hits: 0, alertsCreated: 0, durationMs: 1, error: null, trigger: 'scheduled' as const });
    const gaps = runGaps([run('1', '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z'), run('2', '2026-01-01T00:04:00Z', '2026-01-01T00:10:00Z'), run('3', '2026-01-01T00:20:00Z', '2026-01-01T00:25:00Z')]);
    expect([...gaps.entries()]).toEqual([['3', { from: '2026-01-01T00:10:00Z', to: '2026-01-01T00:20:00Z' }]]);
  });
});
