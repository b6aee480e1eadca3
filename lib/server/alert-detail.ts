import 'server-only';
import { getCase } from '@/lib/cases';
import { ruleGuide } from '@/lib/server/triage';
import { alertWithExactDigits } from '@/lib/store/alerts';

/** GET /api/alerts/:id's answer; the triage page also renders it on the server for a fast first paint. */
export function alertDetail(alertId: string) {
  const c = getCase(alertId);
  // the guide of the rule version that raised the alert (its step states belong to it)
  const { rule, guide: cached, guideVersion } = ruleGuide(c.alert);
  const guide = cached?.guide ?? null;
  const evidenceKinds = cached?.evidence ?? {};
  return {
    // integers beyond 2^53 of its events as their digits (a JSON number would be rounded on the way)
    alert: alertWithExactDigits(c.alert),
    rule: rule
      ? {
          ruleId: rule.rule_id,
          name: rule.name,
          version: rule.version,
          description: rule.description,
          severity: rule.severity,
          riskScore: rule.risk_score,
          query: rule.query,
          index: rule.index,
          references: rule.references,
        }
      : null,
    guide,
    guideVersion,
    evidenceKinds,
    steps: c.steps,
    notes: c.notes,
    audit: c.audit,
    progress: c.progress,
  };
}
