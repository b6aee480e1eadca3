import { rulePostSchema } from '@/lib/contracts/rules';
import { getRule, listRulesWithStatus, ruleLoadErrors, setRuleEnabled } from '@/lib/detection/rules';
import { json, parseJsonBody, RouteError, withRoute } from '../_lib/route';

// GET /api/rules — rules with enabled state, last run and pending gap; rule files that failed to load
export const GET = withRoute(() => json({ items: listRulesWithStatus(), errors: ruleLoadErrors() }));

// POST /api/rules — enable or disable a rule
export const POST = withRoute(async ({ req, actor }) => {
  const body = await parseJsonBody(req, rulePostSchema);
  if (!getRule(body.ruleId)) throw new RouteError('not_found', `no rule with rule_id ${body.ruleId}`);
  return json({ rule: setRuleEnabled(body.ruleId, body.enabled, actor) });
}, { action: 'rules:manage' });
