import { z } from 'zod';
import { alertPatchSchema, alertStatusSchema, verdictSchema } from './alerts';
import { bulkAssignResponseSchema, bulkAssignSchema } from './assign';

/** the most alerts one bulk request changes (the client sends a larger selection in several) */
export const BULK_MAX_ITEMS = 500;

/**
 * POST /api/alerts/status — many alerts to one status (with a verdict and note when closing),
 * each through the same policy, workflow rules and version check as PATCH /api/alerts/:id
 */
export const bulkStatusSchema = z
  .object({
    items: z.array(bulkAssignSchema.shape.items.element).min(1, 'choose at least one alert').max(BULK_MAX_ITEMS, `at most ${BULK_MAX_ITEMS} alerts at once`),
    status: alertStatusSchema,
    verdict: verdictSchema.optional(),
    note: alertPatchSchema.shape.note,
  })
  .strict();
export type BulkStatus = z.infer<typeof bulkStatusSchema>;

/** what a bulk request did: the alerts changed, those that had it already, and each refusal with its code and reason */
export const bulkOutcomeSchema = bulkAssignResponseSchema;
export type BulkOutcomeResponse = z.infer<typeof bulkOutcomeSchema>;
