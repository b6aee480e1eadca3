import { z } from 'zod';
import { detectionHealthSchema } from './rules';

/** starting: the server's first start (demo data, its backfill) is under way (503 meanwhile) */
export const healthStatusSchema = z.enum(['ok', 'degraded', 'starting']);

/**
 * The server's first start under way: checking whether it is one, loading the demo data, or
 * backfilling the enabled rules over it (chunks run of all, alerts created so far).
 */
export const firstStartSchema = z.object({
  phase: z.enum(['checking', 'loading', 'backfilling']),
  doneChunks: z.number().int(),
  totalChunks: z.number().int(),
  alertsCreated: z.number().int(),
});
export type FirstStartProgress = z.infer<typeof firstStartSchema>;

export const sourceHealthSchema = z.object({
  kind: z.enum(['embedded', 'elasticsearch']),
  ok: z.boolean(),
  /** admins only; secrets (credentials in URLs, configured passwords and keys) are never in it */
  detail: z.string().optional(),
});

export const storeHealthSchema = z.object({ ok: z.boolean(), detail: z.string() });

/**
 * GET /api/health. Anonymous callers get `{status}` only (a cached answer); signed-in users
 * also which source is used and whether it answers; admins the details (never secrets).
 */
export const healthResponseSchema = z.object({
  status: healthStatusSchema,
  ok: z.boolean().optional(),
  source: sourceHealthSchema.optional(),
  /** admins only: the app-state database and the embedded event store */
  store: storeHealthSchema.optional(),
  /** signed-in users: whether detection keeps up (a cycle longer than the interval says so) */
  detection: detectionHealthSchema.optional(),
  /** signed-in users, while the first start is under way: where it stands */
  firstStart: firstStartSchema.optional(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
