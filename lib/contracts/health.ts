import { z } from 'zod';

export const sourceHealthSchema = z.object({
  kind: z.enum(['embedded', 'elasticsearch']),
  ok: z.boolean(),
  detail: z.string(),
});

export const healthResponseSchema = z.object({
  ok: z.boolean(),
  source: sourceHealthSchema,
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
