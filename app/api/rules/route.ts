import { z } from 'zod';
import { rulePostSchema, rulesBulkSchema } from '@/lib/contracts/rules';
import { getRule, listRulesWithStatus, loadRules, ruleLoadErrors, rulesMatchingData, setRuleEnabled, setRulesEnabled, storedIndexNames } from '@/lib/detection/rules';
import { getDetectionHealth } from '@/lib/detection/engine/cycle';
import { json, parseJsonBody, RouteError, withRoute } from '../_lib/route';

// GET /api/rules — rules with enabled state, last run, pending gap and facets; rule files that failed to load; whether detection keeps up
export const GET = withRoute(() => json({ items: listRulesWithStatus(), errors: ruleLoadErrors(), detection: getDetectionHealth() }));

const postSchema = z.union([rulePostSchema, rulesBulkSchema]);

// POST /api/rules — enable or disable a rule ({ruleId, enabled}), or many ({ruleIds | all | matchingData, enabled}) (admins)
export const POST = withRoute(async ({ req, actor }) => {
  const body = await parseJsonBody(req, postSchema);
  if ('ruleId' in body) {
    if (!getRule(body.ruleId)) throw new RouteError('not_found', `no rule with rule_id ${body.ruleId}`);
    return json({ rule: setRuleEnabled(body.ruleId, body.enabled, actor) });
  }
  let ids: string[];
  if (body.all) ids = loadRules().rules.map((r) => r.rule_id);
  else if (body.matchingData) {
    const indices = storedIndexNames();
    if (indices === null) throw new RouteError('invalid_request', 'the rules that can match the stored data are known on the embedded event store only; choose the rules instead');
    ids = rulesMatchingData(loadRules().rules, indices).map((r) => r.rule_id);
  } else ids = body.ruleIds ?? [];
  return json(setRulesEnabled(ids, body.enabled, actor));
}, { action: 'rules:manage' });
