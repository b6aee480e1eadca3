import { z } from 'zod';
import { rulePostSchema, rulesBulkSchema } from '@/lib/contracts/rules';
import { rulesOverview, setEnabled } from '@/lib/server/rules';
import { json, parseJsonBody, withRoute } from '../_lib/route';

// GET /api/rules — rules with enabled state, last run, pending gap and facets; rule files that failed to load; whether detection keeps up
export const GET = withRoute(() => json(rulesOverview()));

const postSchema = z.union([rulePostSchema, rulesBulkSchema]);

// POST /api/rules — enable or disable a rule ({ruleId, enabled}), or many ({ruleIds | all | matchingData, enabled}) (admins)
export const POST = withRoute(async ({ req, actor }) => json(setEnabled(await parseJsonBody(req, postSchema), actor)), { action: 'rules:manage' });
