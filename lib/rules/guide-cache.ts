/**
 * Guides built once per rule version: buildGuide parses markdown (tens of ms), the triage
 * page asks for the same guide again and again.
 */
import { matchGuideEvidence, type EvidenceKind } from './evidence-match';
import { buildGuide, stableHash, type Guide } from './guide';
import type { Rule } from './model';

export interface RuleGuide {
  guide: Guide;
  /** step id → evidence kinds (matcher + the rule's overrides) */
  evidence: Record<string, EvidenceKind[]>;
}

const MAX = 500;
const cache = new Map<string, RuleGuide>();

/** The rule's guide and evidence map, or null when the rule has no note. Cached by rule id, version and note text. */
export function guideForRule(rule: Pick<Rule, 'rule_id' | 'version' | 'note'>): RuleGuide | null {
  if (!rule.note) return null;
  const key = `${rule.rule_id}:${rule.version}:${stableHash(rule.note)}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const guide = buildGuide(rule.note);
  const value: RuleGuide = { guide, evidence: Object.fromEntries(matchGuideEvidence(guide, rule.rule_id)) };
  cache.set(key, value);
  if (cache.size > MAX) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return value;
}
