import { ruleRunRequestSchema } from '@/lib/contracts/rules';
import { getRule } from '@/lib/detection/rules';
import { runRule } from '@/lib/detection/run';
import { scheduledWindow } from '@/lib/detection/window';
import { getEventSource } from '@/lib/events';
import { json, parseJsonBody, RouteError, withRoute } from '../../../_lib/route';

// POST /api/rules/:id/run — run the rule now over its look-back window (or the given one)
export const POST = withRoute<{ id: string }>(async ({ req, params }) => {
  const body = await parseJsonBody(req, ruleRunRequestSchema);
  const rule = getRule(params.id);
  if (!rule) throw new RouteError('not_found', `no rule with rule_id ${params.id}`);
  const window = body.from && body.to ? { from: body.from, to: body.to } : scheduledWindow(rule.from, new Date());
  const outcome = await runRule(rule, window, { source: getEventSource(), trigger: 'manual' });
  if (outcome.busy) throw new RouteError('conflict', 'a run of this rule is in progress; try again when it ends');
  if (!outcome.run) throw new RouteError('invalid_request', outcome.error?.message ?? 'the rule was not run');
  return json({ run: outcome.run, created: outcome.created.map((a) => a.id) });
}, { action: 'rules:manage' });
