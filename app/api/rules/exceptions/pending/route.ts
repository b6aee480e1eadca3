import { getRule } from '@/lib/detection/rules';
import { listPendingExceptions } from '@/lib/detection/exceptions';
import { json, withRoute } from '../../../_lib/route';

// GET /api/rules/exceptions/pending — proposed exceptions waiting for a lead, across rules, oldest first
export const GET = withRoute(() => json({ items: listPendingExceptions().map((e) => ({ ...e, ruleName: getRule(e.ruleId)?.name ?? null })) }));
