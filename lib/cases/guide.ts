/**
 * The investigation guide an alert is worked with: the guide of the rule version that
 * raised it. When the rule file has moved on (an upgrade rewrites steps, so their ids
 * change), the older version's guide comes from `rule_versions`, so the alert's ticks,
 * notes and progress stay attached to the steps they were made on.
 */
import { getRule } from '../detection/rules';
import { guideForRule, type RuleGuide } from '../rules/guide-cache';
import type { Rule } from '../rules/model';
import { getRuleVersion } from '../store/rule-versions';
import { getDb } from '../store/db';

export interface VersionedGuide {
  /** the rule as loaded now (null when its file is gone) */
  rule: Rule | null;
  /** the guide model and evidence map; null when that version has no note */
  guide: RuleGuide | null;
  /** the rule version the guide belongs to (null when neither the rule nor the version is known) */
  guideVersion: number | null;
}

/**
 * The guide of `ruleId` at `version` (the alert's rule version); without a version, or when
 * that version was never recorded, the guide of the rule as loaded now.
 */
export function guideOfVersion(ruleId: string, version?: number): VersionedGuide {
  const rule = getRule(ruleId);
  if (version !== undefined && rule?.version !== version) {
    const kept = getRuleVersion(getDb(), ruleId, version);
    if (kept) return { rule, guide: guideForRule({ rule_id: ruleId, version, note: kept.note }), guideVersion: version };
  }
  return { rule, guide: rule ? guideForRule(rule) : null, guideVersion: rule?.version ?? null };
}
