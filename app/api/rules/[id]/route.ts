import { ruleDetailOrThrow } from '@/lib/server/rules';
import { json, withRoute } from '../../_lib/route';

// GET /api/rules/:id — the rule page: query (formatted, problems), guide, setup, MITRE, references, index matches, versions, exceptions, runs
export const GET = withRoute<{ id: string }>(({ params }) => json(ruleDetailOrThrow(params.id)));
