import { reloadRuleFiles } from '@/lib/detection/rules';
import { json, withRoute } from '../../_lib/route';

// POST /api/rules/reload — read the rule files again (admin): what was added, upgraded, removed, and the files that failed
export const POST = withRoute(({ actor }) => json(reloadRuleFiles(actor)), { action: 'rules:manage' });
