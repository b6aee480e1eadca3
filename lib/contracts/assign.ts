import { z } from 'zod';

/** POST /api/alerts/assign — many alerts to one assignee (null unassigns), each version-checked */
export const bulkAssignSchema = z
  .object({
    items: z
      .array(z.object({ id: z.string().min(1).max(200), expectedVersion: z.number().int().min(0) }).strict())
      .min(1, 'choose at least one alert')
      .max(1000, 'at most 1000 alerts at once'),
    assignee: z.string().trim().min(1).max(200).nullable(),
  })
  .strict();
export type BulkAssign = z.infer<typeof bulkAssignSchema>;

export const bulkAssignResponseSchema = z.object({
  done: z.array(z.string()),
  unchanged: z.array(z.string()),
  refused: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
});
export type BulkAssignResponse = z.infer<typeof bulkAssignResponseSchema>;
