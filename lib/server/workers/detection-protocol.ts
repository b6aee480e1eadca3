/**
 * The messages of the detection worker (detection-worker.ts, started by detection-driver.ts):
 * one request runs one detection cycle (a scheduler tick) in the worker; the answer says
 * what ran — each run's window, the ids of the alerts it created, its error — and the
 * cycle's record, which the web process keeps for /api/health and the rules page.
 */
import { z } from 'zod';

export const detectionRequestSchema = z.object({
  type: z.literal('cycle'),
  /** run every rule now, due or not (run-rules) */
  force: z.boolean().optional(),
  /** only these rules (run-rules --rule); default: the catalogue's enabled EQL rules */
  ruleIds: z.array(z.string().min(1).max(512)).max(100_000).optional(),
  /** missed-range chunks per rule in this cycle (run-rules catches a whole gap up at once) */
  maxChunksPerTick: z.number().int().min(1).max(1_000_000).optional(),
});
export type DetectionRequest = z.infer<typeof detectionRequestSchema>;

const windowSchema = z.object({ from: z.string(), to: z.string() });
const docRef = z.object({ _index: z.string(), _id: z.string() });

export const cycleRecordSchema = z.object({
  startedAt: z.string(),
  durationMs: z.number(),
  rules: z.number().int(),
  runs: z.number().int(),
  failed: z.number().int(),
  intervalMs: z.number().nullable(),
  engine: z.enum(['scan', 'pool', 'per-rule']),
});

export const detectionResponseSchema = z.object({
  at: z.string(),
  interrupted: z.number().int(),
  runs: z.array(
    z.object({
      ruleId: z.string(),
      window: windowSchema,
      /** the alerts the run created: id and event (a sequence's events too) */
      created: z.array(
        z.object({
          id: z.string(),
          ruleId: z.string(),
          event: docRef,
          sequenceEvents: z.array(docRef).nullable(),
        }),
      ),
      error: z.string().nullable(),
    }),
  ),
  /** the cycle's record (null when no rule was due) */
  cycle: cycleRecordSchema.nullable(),
  /** the worker's thread id (never the web thread's, 0) */
  threadId: z.number().int(),
  /** the worker's heap after the cycle, MiB */
  heapUsedMiB: z.number(),
});
export type DetectionResponse = z.infer<typeof detectionResponseSchema>;
