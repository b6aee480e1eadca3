/**
 * The messages of the detection worker (detection-worker.ts, started by detection-driver.ts):
 * - `cycle`: one detection cycle (a scheduler tick); the answer says what ran — each run's
 *   window, the alerts it created, its error — and the cycle's record, which the web process
 *   keeps for /api/health and the rules page;
 * - `run`: one rule over one window ("run now" on the rules page);
 * - `backfill`: rules over a past range in chunks, with progress; `cancel-backfill` stops one.
 */
import { z } from 'zod';
import { detectionCycleSchema, ruleRunTriggerSchema } from '@/lib/domain/rule-run';

const windowSchema = z.object({ from: z.string().min(1).max(64), to: z.string().min(1).max(64) });
const docRef = z.object({ _index: z.string(), _id: z.string() });
const ruleId = z.string().min(1).max(512);

export const detectionRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('cycle'),
    /** run every rule now, due or not (run-rules) */
    force: z.boolean().optional(),
    /** only these rules (run-rules --rule); default: the catalogue's enabled EQL rules */
    ruleIds: z.array(ruleId).max(100_000).optional(),
    /** missed-range chunks per rule in this cycle (run-rules catches a whole gap up at once) */
    maxChunksPerTick: z.number().int().min(1).max(1_000_000).optional(),
  }),
  z.object({ type: z.literal('run'), ruleId, window: windowSchema }),
  z.object({ type: z.literal('backfill'), id: z.string().min(1).max(64), ruleIds: z.array(ruleId).min(1).max(100_000), range: windowSchema, trigger: ruleRunTriggerSchema }),
  z.object({ type: z.literal('cancel-backfill'), id: z.string().min(1).max(64) }),
  /** group every alert not in an incident yet (the server's first start) */
  z.object({ type: z.literal('group') }),
]);
export type DetectionRequest = z.infer<typeof detectionRequestSchema>;

export const cycleRecordSchema = detectionCycleSchema;

const createdAlert = z.object({
  id: z.string(),
  ruleId: z.string(),
  event: docRef,
  sequenceEvents: z.array(docRef).nullable(),
});

export const backfillProgressSchema = z.object({
  id: z.string(),
  ruleIds: z.array(z.string()),
  range: windowSchema,
  status: z.enum(['running', 'succeeded', 'partial', 'failed']),
  doneChunks: z.number().int(),
  totalChunks: z.number().int(),
  alertsCreated: z.number().int(),
  errors: z.array(z.object({ ruleId: z.string(), window: windowSchema, message: z.string() })),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const cycleResponseSchema = z.object({
  kind: z.literal('cycle'),
  at: z.string(),
  interrupted: z.number().int(),
  runs: z.array(
    z.object({
      ruleId: z.string(),
      window: windowSchema,
      /** the alerts the run created: id and event (a sequence's events too) */
      created: z.array(createdAlert),
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

export const detectionResponseSchema = z.discriminatedUnion('kind', [
  cycleResponseSchema,
  z.object({
    kind: z.literal('run'),
    /** the recorded run (null when refused: another run of the rule holds it) */
    runId: z.string().nullable(),
    created: z.array(createdAlert),
    busy: z.boolean(),
    error: z.string().nullable(),
  }),
  backfillProgressSchema.extend({ kind: z.literal('backfill') }),
  z.object({ kind: z.literal('cancel-backfill'), cancelled: z.boolean() }),
  z.object({ kind: z.literal('group'), grouped: z.number().int().min(0) }),
]);
export type DetectionResponse = z.infer<typeof detectionResponseSchema>;
export type CycleResponse = z.infer<typeof cycleResponseSchema>;
