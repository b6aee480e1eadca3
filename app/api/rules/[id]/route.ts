import { ruleDetail } from '@/lib/detection/rules';
import { json, RouteError, withRoute } from '../../_lib/route';

// GET /api/rules/:id — the rule page: query (formatted, problems), guide, setup, MITRE, references, index matches, versions, exceptions, runs
export const GET = withRoute<{ id: string }>(({ params }) => {
  const detail = ruleDetail(params.id);
  if (!detail) throw new RouteError('not_found', `no rule with rule_id ${params.id}`);
  return json(detail);
});
