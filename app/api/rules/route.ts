import { z } from 'zod';
import { rulePostSchema, rulesBulkSchema } from '@/lib/contracts/rules';
import { rulesOverviewAnswer, setEnabled } from '@/lib/server/rules';
import { json, parseJsonBody, revalidatedJson, withRoute } from '../_lib/route';

// GET /api/rules — rules with enabled state, last run, pending gap and facets; rule files that failed to load; whether detection keeps up (ETag: 304 while unchanged)
export const GET = withRoute(({ req }) => revalidatedJson(req, rulesOverviewAnswer()));

const postSchema = z.union([rulePostSchema, rulesBulkSchema]);

// POST /api/rules — enable or disable a rule ({ruleId, enabled}), or many ({ruleIds | all | matchingData, enabled}) (admins)
export const POST = withRoute(async ({ req, actor }) => json(setEnabled(await parseJsonBody(req, postSchema), actor)), { action: 'rules:manage' });
