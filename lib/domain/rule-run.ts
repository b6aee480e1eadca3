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
