/** A rule run's vocabulary, defined once (zod first, types derived). */
import { z } from 'zod';

export const ruleRunStatusSchema = z.enum(['running', 'succeeded', 'partial', 'failed']);
export type RuleRunStatus = z.infer<typeof ruleRunStatusSchema>;

export const ruleRunTriggerSchema = z.enum(['scheduled', 'backfill', 'manual']);
export type RuleRunTrigger = z.infer<typeof ruleRunTriggerSchema>;

export const ruleRunSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  /** detection window (ISO) */
  from: z.string(),
  to: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: ruleRunStatusSchema,
  hits: z.number(),
  alertsCreated: z.number(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  trigger: ruleRunTriggerSchema,
});
export type RuleRun = z.infer<typeof ruleRunSchema>;

/** One scheduler cycle, as the detection worker reports it and GET /api/health shows it. */
export const detectionCycleSchema = z.object({
  startedAt: z.string(),
  durationMs: z.number(),
  rules: z.number().int(),
  runs: z.number().int(),
  failed: z.number().int(),
  intervalMs: z.number().nullable(),
  engine: z.enum(['scan', 'pool', 'per-rule']),
});
export type DetectionCycle = z.infer<typeof detectionCycleSchema>;
