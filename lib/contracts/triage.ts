import { z } from 'zod';
import { alertSchema, auditEntrySchema, noteSchema, stepStateSchema } from './alerts';
import { evidenceKindSchema, guideSchema } from './guide';

export const ruleBriefSchema = z.object({
  ruleId: z.string(),
  name: z.string(),
  version: z.number().nullable().optional(),
  description: z.string().default(''),
  severity: z.string(),
  riskScore: z.number(),
  query: z.string().nullable().optional(),
  index: z.array(z.string()).default([]),
  references: z.array(z.string()).default([]),
});
export type RuleBrief = z.infer<typeof ruleBriefSchema>;

/** GET /api/alerts/:id */
export const alertDetailResponseSchema = z.object({
  alert: alertSchema,
  rule: ruleBriefSchema.nullable(),
  guide: guideSchema.nullable(),
  /** the rule version the guide belongs to: the version that raised the alert, when it is known */
  guideVersion: z.number().nullable().default(null),
  /** evidence kinds beside each step (step id → kinds) */
  evidenceKinds: z.record(z.string(), z.array(evidenceKindSchema)).default({}),
  steps: z.array(stepStateSchema),
  notes: z.array(noteSchema).default([]),
  audit: z.array(auditEntrySchema).default([]),
});
export type AlertDetailResponse = z.infer<typeof alertDetailResponseSchema>;
