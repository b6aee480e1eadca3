import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { listAudit } from '@/lib/store/audit';
import { advanceWindow, getRuleState, recordAttempt } from '@/lib/store/rule-state';
import { listRulesWithStatus, pendingGapOf, setRuleCatalogue, setRuleEnabled, listEnabledRules } from '@/lib/detection/rules';
import { runRule } from '@/lib/detection/run';
import { at, fakeSource, fileEvent, makeRule, RULE_ID } from './helpers';

const rule = makeRule();
const other = makeRule({ rule_id: 'other-rule', name: 'Other', enabled: false });

beforeEach(() => {
  useMemoryDb();
  setRuleCatalogue([rule, other]);
});

describe('rules with status', () => {
  it('shows enabled state, the last run (window, hits, alerts, error) and no gap before any run', async () => {
    const before = listRulesWithStatus({ now: new Date(at(0)) });
    expect(before.map((r) => [r.ruleId, r.enabled, r.lastRun, r.pendingGap])).toEqual([
      [RULE_ID, true, null, null],
      ['other-rule', false, null, null],
    ]);
    await runRule(rule, { from: at(-9), to: at(0) }, { source: fakeSource([fileEvent(at(-1)), fileEvent(at(-2))]), trigger: 'manual' });
    const s = listRulesWithStatus({ now: new Date(at(0)) })[0];
    expect(s.lastRun).toMatchObject({ from: at(-9), to: at(0), hits: 2, alertsCreated: 2, error: null, status: 'succeeded', trigger: 'manual' });
    expect(s.running).toBe(false);
  });

  it('shows a pending gap after downtime (no failure needed) and after a failure', () => {
    advanceWindow(getDb(), RULE_ID, at(0));
    expect(pendingGapOf(rule, getRuleState(getDb(), RULE_ID), new Date(at(5)))).toBeNull();
    expect(pendingGapOf(rule, getRuleState(getDb(), RULE_ID), new Date(at(30)))).toEqual({ from: at(0), to: at(30) });
    // a first run in progress (coverage starts at now-9m) shows no gap; a stalled one does
    expect(pendingGapOf(rule, getRuleState(getDb(), RULE_ID), new Date(at(9)), { running: true })).toBeNull();
    expect(pendingGapOf(rule, getRuleState(getDb(), RULE_ID), new Date(at(9)))).toEqual({ from: at(0), to: at(9) });
    expect(pendingGapOf(rule, getRuleState(getDb(), RULE_ID), new Date(at(30)), { running: true })).toEqual({ from: at(0), to: at(30) });
    recordAttempt(getDb(), RULE_ID, at(5), { failed: true, nextRetryAt: at(5.25) });
    expect(pendingGapOf(rule, getRuleState(getDb(), RULE_ID), new Date(at(5)))).toEqual({ from: at(0), to: at(5) });
  });

  it('enables and disables rules with an audit row; a disabled rule is not scheduled; unknown rules are refused', () => {
    expect(listEnabledRules().map((r) => r.rule_id)).toEqual([RULE_ID]);
    const s = setRuleEnabled('other-rule', true, 'lead');
    expect(s.enabled).toBe(true);
    setRuleEnabled(RULE_ID, false, 'lead');
    expect(listEnabledRules().map((r) => r.rule_id)).toEqual(['other-rule']);
    expect(listAudit(getDb(), { entity: 'rule' }).map((a) => [a.entityId, a.action, a.before, a.after, a.actor])).toEqual([
      ['other-rule', 'enable', { enabled: false }, { enabled: true }, 'lead'],
      [RULE_ID, 'disable', { enabled: true }, { enabled: false }, 'lead'],
    ]);
    expect(() => setRuleEnabled('nope', true, 'lead')).toThrow(/unknown rule nope/);
  });

  it('a re-enabled rule starts afresh: its disabled period is not a gap', () => {
    advanceWindow(getDb(), RULE_ID, at(0));
    setRuleEnabled(RULE_ID, false, 'lead');
    setRuleEnabled(RULE_ID, true, 'lead');
    expect(getRuleState(getDb(), RULE_ID)).toBeNull();
    expect(listRulesWithStatus({ now: new Date(at(600)) })[0].pendingGap).toBeNull();
  });
});
