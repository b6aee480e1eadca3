import { z } from 'zod';

export const exceptionOperatorSchema = z.enum(['is', 'is_one_of', 'matches', 'exists']);
export type ExceptionOperator = z.infer<typeof exceptionOperatorSchema>;

export const exceptionOperatorLabels: Record<ExceptionOperator, string> = {
  is: 'is',
  is_one_of: 'is one of',
  matches: 'matches',
  exists: 'exists',
};

export const exceptionEntrySchema = z
  .object({
    field: z.string().trim().min(1, 'field is required').max(300),
    operator: exceptionOperatorSchema,
    values: z.array(z.string().max(4096)).max(500).default([]),
    negate: z.boolean().optional(),
  })
  .refine((e) => e.operator === 'exists' || e.values.some((v) => v.length > 0), {
    message: 'needs at least one value (only "exists" takes none)',
    path: ['values'],
  })
  .refine((e) => e.operator !== 'is' || e.values.length === 1, { message: '"is" takes exactly one value', path: ['values'] });
export type ExceptionEntryValue = z.infer<typeof exceptionEntrySchema>;

/** POST /api/rules/:id/exceptions */
export const exceptionCreateSchema = z
  .object({
    entries: z.array(exceptionEntrySchema).min(1, 'an exception needs at least one entry').max(50),
    comment: z.string().trim().max(5000).default(''),
    expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
    /** close the rule's open / acknowledged alerts the exception matches */
    closeMatchingAlerts: z.boolean().default(false),
    closeVerdict: z.enum(['true_positive', 'benign_true_positive', 'false_positive']).default('benign_true_positive'),
    /** the alert it is created from */
    fromAlertId: z.string().max(300).optional(),
  })
  .strict();
export type ExceptionCreate = z.infer<typeof exceptionCreateSchema>;
export type ExceptionCreateInput = z.input<typeof exceptionCreateSchema>;

export const ruleExceptionSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  entries: z.array(
    z.object({ field: z.string(), operator: exceptionOperatorSchema, values: z.array(z.string()), negate: z.boolean().optional() }),
  ),
  comment: z.string(),
  expiresAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  sourceAlertId: z.string().nullable(),
});
export type RuleExceptionValue = z.infer<typeof ruleExceptionSchema>;

export const exceptionCreateResponseSchema = z.object({
  exception: ruleExceptionSchema,
  closedAlertIds: z.array(z.string()).default([]),
});

export const exceptionListResponseSchema = z.object({ items: z.array(ruleExceptionSchema) });

/** DELETE /api/rules/:id/exceptions?exceptionId=… */
export const exceptionDeleteQuerySchema = z.object({ exceptionId: z.string().min(1).max(300) });

export const ruleRunSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  from: z.string(),
  to: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'partial', 'failed']),
  hits: z.number(),
  alertsCreated: z.number(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  trigger: z.enum(['scheduled', 'backfill', 'manual']),
});
export type RuleRunValue = z.infer<typeof ruleRunSchema>;

export const ruleListItemSchema = z.object({
  ruleId: z.string(),
  name: z.string(),
  version: z.number().nullable().default(null),
  type: z.string().default('eql'),
  severity: z.string(),
  riskScore: z.number(),
  enabled: z.boolean(),
  interval: z.string().nullable().default(null),
  from: z.string().nullable().default(null),
  maxSignals: z.number().nullable().default(null),
  index: z.array(z.string()).default([]),
  lastRun: ruleRunSchema.nullable().default(null),
  lastSuccessEnd: z.string().nullable().default(null),
  /** a missed range still to run (shown while pending) */
  pendingGap: z.object({ from: z.string(), to: z.string() }).nullable().default(null),
  consecutiveFailures: z.number().default(0),
  nextRetryAt: z.string().nullable().default(null),
  running: z.boolean().default(false),
});
export type RuleListItem = z.infer<typeof ruleListItemSchema>;

/** a rule file that could not be loaded: the file (with the line for a TOML error) and why */
export const ruleFileErrorSchema = z.object({ file: z.string(), message: z.string() });

/** GET /api/rules — the rules, and the rule files that failed to load */
export const ruleListResponseSchema = z.object({ items: z.array(ruleListItemSchema), errors: z.array(ruleFileErrorSchema).default([]) });

/** POST /api/rules/reload — what reading the rule files again changed */
export const ruleReloadResponseSchema = z.object({
  rules: z.number().int(),
  added: z.array(z.object({ ruleId: z.string(), name: z.string(), version: z.number().int() })),
  upgraded: z.array(z.object({ ruleId: z.string(), name: z.string(), from: z.number().int(), to: z.number().int() })),
  removed: z.array(z.object({ ruleId: z.string(), name: z.string(), version: z.number().int() })),
  errors: z.array(ruleFileErrorSchema),
});
export type RuleReloadValue = z.infer<typeof ruleReloadResponseSchema>;

/** POST /api/rules — enable or disable a rule */
export const rulePostSchema = z
  .object({
    ruleId: z.string().min(1).max(300),
    enabled: z.boolean(),
  })
  .strict();
export type RulePost = z.infer<typeof rulePostSchema>;

const isoDate = z.iso.datetime({ offset: true });

/** POST /api/rules/:id/run — run now (optionally over a window) */
export const ruleRunRequestSchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict()
  .refine((r) => (r.from === undefined) === (r.to === undefined), { message: 'give both from and to, or neither' })
  .refine((r) => !r.from || !r.to || r.from < r.to, { message: 'from must be before to', path: ['from'] });

/** POST /api/rules/:id/backfill */
export const backfillRequestSchema = z
  .object({ from: isoDate, to: isoDate })
  .strict()
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { message: 'from must be before to', path: ['from'] });
export type BackfillRequest = z.infer<typeof backfillRequestSchema>;

export const backfillProgressSchema = z.object({
  id: z.string(),
  ruleIds: z.array(z.string()),
  range: z.object({ from: z.string(), to: z.string() }),
  status: z.enum(['running', 'succeeded', 'partial', 'failed']),
  doneChunks: z.number().int().min(0),
  totalChunks: z.number().int().min(0),
  alertsCreated: z.number().int().min(0),
  errors: z.array(z.object({ ruleId: z.string(), window: z.object({ from: z.string(), to: z.string() }), message: z.string() })).default([]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type BackfillProgress = z.infer<typeof backfillProgressSchema>;

export const backfillResponseSchema = z.object({ backfill: backfillProgressSchema.nullable() });
