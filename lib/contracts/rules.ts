import { z } from 'zod';
import { mitreTechniqueSchema } from '@/lib/domain/alert';
import { ruleExceptionSchema, type ExceptionEntry, type ExceptionOperator, type RuleException } from '@/lib/domain/exception';
import { detectionCycleSchema, ruleRunSchema, ruleRunStatusSchema } from '@/lib/domain/rule-run';

export {
  exceptionCreateSchema,
  exceptionDecisionSchema,
  exceptionEntrySchema,
  exceptionOperatorSchema,
  ruleExceptionSchema,
  type ExceptionCreate,
  type ExceptionCreateInput,
  type ExceptionDecisionInput,
  type ExceptionOperator,
} from '@/lib/domain/exception';
export type ExceptionEntryValue = ExceptionEntry;
export type RuleExceptionValue = RuleException;

export const exceptionOperatorLabels: Record<ExceptionOperator, string> = {
  is: 'is',
  is_one_of: 'is one of',
  matches: 'matches',
  exists: 'exists',
};

export const exceptionCreateResponseSchema = z.object({
  exception: ruleExceptionSchema,
  closedAlertIds: z.array(z.string()).default([]),
});

export const exceptionListResponseSchema = z.object({ items: z.array(ruleExceptionSchema) });


/** GET /api/rules/exceptions/pending — proposals waiting for a lead, across rules */
export const pendingExceptionsResponseSchema = z.object({
  items: z.array(ruleExceptionSchema.extend({ ruleName: z.string().nullable().default(null) })),
});

/** DELETE /api/rules/:id/exceptions?exceptionId=… */
export const exceptionDeleteQuerySchema = z.object({ exceptionId: z.string().min(1).max(300) });

export { ruleRunSchema };
export type RuleRunValue = z.infer<typeof ruleRunSchema>;

export const ruleMitreSchema = mitreTechniqueSchema;

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
  /** Guidepost runs the rule's type (EQL); others are listed as not supported yet */
  supported: z.boolean().default(true),
  deprecated: z.boolean().default(false),
  tags: z.array(z.string()).default([]),
  os: z.array(z.string()).default([]),
  dataSources: z.array(z.string()).default([]),
  mitre: z.array(ruleMitreSchema).default([]),
  alertCount: z.number().int().default(0),
  source: z.enum(['file', 'import']).default('file'),
});
export type RuleListItem = z.infer<typeof ruleListItemSchema>;

/** a rule file that could not be loaded: the file (with the line for a TOML error) and why */
export const ruleFileErrorSchema = z.object({ file: z.string(), message: z.string() });

/** whether the scheduler keeps up: its last cycle against the rules' interval (lib/detection getDetectionHealth) */
export const detectionHealthSchema = z.object({
  lastCycle: detectionCycleSchema.nullable(),
  behind: z.boolean(),
  behindCycles: z.number().int(),
  message: z.string().nullable(),
});
export type DetectionHealthInfo = z.infer<typeof detectionHealthSchema>;

/** GET /api/rules — the rules, and the rule files that failed to load */
export const ruleListResponseSchema = z.object({ items: z.array(ruleListItemSchema), errors: z.array(ruleFileErrorSchema).default([]), detection: detectionHealthSchema.optional() });

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

/** POST /api/rules — enable or disable many rules: the ids given, all rules, or the rules whose index patterns match stored indices */
export const rulesBulkSchema = z
  .object({
    ruleIds: z.array(z.string().min(1).max(300)).min(1).max(20_000).optional(),
    all: z.literal(true).optional(),
    matchingData: z.literal(true).optional(),
    enabled: z.boolean(),
  })
  .strict()
  .refine((b) => [b.ruleIds !== undefined, b.all === true, b.matchingData === true].filter(Boolean).length === 1, {
    message: 'give exactly one of ruleIds, all, matchingData',
  });
export type RulesBulk = z.infer<typeof rulesBulkSchema>;

export const rulesBulkResponseSchema = z.object({ changed: z.array(z.string()), unchanged: z.number().int() });

/** POST /api/rules/import?name=&enable= — the import's report (the CLI prints the same) */
export const ruleImportQuerySchema = z.object({
  name: z.string().trim().min(1).max(300).default('upload.ndjson'),
  enable: z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true'),
});

export const ruleImportRefusalSchema = z.object({
  where: z.string(),
  line: z.number().int().nullable(),
  ruleId: z.string().nullable(),
  reason: z.string(),
});

export const ruleImportReportSchema = z.object({
  /** `rules import: <a> added, <v> new version, <u> unchanged, <r> refused` */
  summary: z.string(),
  added: z.number().int(),
  newVersion: z.number().int(),
  unchanged: z.number().int(),
  refused: z.array(ruleImportRefusalSchema),
  enabled: z.number().int(),
  ms: z.number(),
});
export type RuleImportReport = z.infer<typeof ruleImportReportSchema>;

const diagnosticSchema = z.object({ message: z.string(), line: z.number().int(), column: z.number().int(), start: z.number().int(), end: z.number().int() });

/** GET /api/rules/:id — everything the rule page shows */
export const ruleDetailSchema = z.object({
  rule: ruleListItemSchema,
  description: z.string(),
  language: z.string().nullable(),
  /** the query as written, and formatted (null when it does not parse) */
  query: z.string(),
  formattedQuery: z.string().nullable(),
  /** problems of the query, positions in the shown text (formatted when there is one) */
  problems: z.array(diagnosticSchema),
  note: z.string().nullable(),
  setup: z.string().nullable(),
  references: z.array(z.string()),
  falsePositives: z.array(z.string()),
  threat: z.array(
    z.object({
      tactic: z.object({ id: z.string(), name: z.string(), reference: z.string().optional() }),
      technique: z
        .array(
          z.object({
            id: z.string(),
            name: z.string(),
            reference: z.string().optional(),
            subtechnique: z.array(z.object({ id: z.string(), name: z.string(), reference: z.string().optional() })).optional(),
          }),
        )
        .optional(),
    }),
  ),
  relatedIntegrations: z.array(z.object({ package: z.string(), version: z.string(), integration: z.string().nullish() })),
  maturity: z.string().nullable(),
  timestampOverride: z.string().nullable(),
  /** stored indices each pattern matches (null: the store cannot be asked here) */
  indexMatches: z.array(z.object({ pattern: z.string(), indices: z.array(z.string()) })).nullable(),
  versions: z.array(z.object({ version: z.number().int(), name: z.string(), origin: z.string().nullable(), firstSeenAt: z.string() })),
  exceptions: z.array(ruleExceptionSchema),
  runs: z.array(ruleRunSchema),
});
export type RuleDetail = z.infer<typeof ruleDetailSchema>;

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
  status: ruleRunStatusSchema,
  doneChunks: z.number().int().min(0),
  totalChunks: z.number().int().min(0),
  alertsCreated: z.number().int().min(0),
  errors: z.array(z.object({ ruleId: z.string(), window: z.object({ from: z.string(), to: z.string() }), message: z.string() })).default([]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type BackfillProgress = z.infer<typeof backfillProgressSchema>;

export const backfillResponseSchema = z.object({ backfill: backfillProgressSchema.nullable() });
