import { alertPatchSchema } from '@/lib/contracts/alerts';
import { getCase, updateAlert } from '@/lib/cases';
import { getRule } from '@/lib/detection/rules';
import { buildGuide } from '@/lib/rules/guide';
import { matchGuideEvidence } from '@/lib/rules/evidence-match';
import { json, parseJsonBody, withRoute } from '../../_lib/route';

// GET /api/alerts/:id — the alert, its rule and guide (with evidence kinds per step), checklist state, notes, history
export const GET = withRoute<{ id: string }>(({ params }) => {
  const c = getCase(params.id);
  const rule = getRule(c.alert.ruleId);
  const guide = rule?.note ? buildGuide(rule.note) : null;
  return json({
    alert: c.alert,
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
    evidenceKinds: guide ? Object.fromEntries(matchGuideEvidence(guide, rule?.rule_id)) : {},
    steps: c.steps,
    notes: c.notes,
    audit: c.audit,
    progress: c.progress,
  });
});

// PATCH /api/alerts/:id — status / verdict / assignee, refused when expectedVersion is stale
export const PATCH = withRoute<{ id: string }>(async ({ req, params, actor }) => {
  const { expectedVersion, ...change } = await parseJsonBody(req, alertPatchSchema);
  return json({ alert: updateAlert(params.id, change, { expectedVersion, actor }) });
});
