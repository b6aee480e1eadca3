import 'server-only';
import { getRule } from '@/lib/detection/rules';
import { buildGuide, type Guide } from '@/lib/rules/guide';
import { matchGuideEvidence, type EvidenceKind } from '@/lib/rules/evidence-match';

interface CachedGuide {
  guide: Guide | null;
  evidenceKinds: Record<string, EvidenceKind[]>;
}

const cache = new Map<string, CachedGuide>();

/** The guide model of a rule version and the evidence kinds of its steps (parsed once per version). */
export function guideOfRule(ruleId: string): CachedGuide & { rule: ReturnType<typeof getRule> } {
  const rule = getRule(ruleId);
  if (!rule?.note) return { rule, guide: null, evidenceKinds: {} };
  const key = `${rule.rule_id}@${rule.version}@${rule.note.length}`;
  let hit = cache.get(key);
  if (!hit) {
    const guide = buildGuide(rule.note);
    hit = { guide, evidenceKinds: Object.fromEntries(matchGuideEvidence(guide, rule.rule_id)) };
    cache.set(key, hit);
  }
  return { rule, ...hit };
}
