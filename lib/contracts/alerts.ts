import { z } from 'zod';
import { stepStateSchema as stepStateValues, type StepState as StepStateName } from '@/lib/domain/checklist';
import { alertSchema as domainAlertSchema, mitreTechniqueSchema, alertSortFields, alertSortSchema, alertStatusSchema, severitySchema, verdictSchema, type AlertSortField, type AlertStatus, type Severity, type Verdict } from '@/lib/domain/alert';

export { alertStatusSchema, severitySchema, verdictSchema };
export type AlertStatusValue = AlertStatus;
export type VerdictValue = Verdict;
export type SeverityValue = Severity;

export { alertSortFields, alertSortSchema };
export type AlertSort = AlertSortField;

const optionalText = z
  .string()
  .trim()
  .max(512)
  .optional()
  .transform((v) => (v ? v : undefined));

/** GET /api/alerts search params. `status` may repeat or be comma-separated. */
export const alertListQuerySchema = z.object({
  status: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean)))
    .pipe(z.array(alertStatusSchema)),
  host: optionalText,
  user: optionalText,
  rule: optionalText,
  /** free text: rule name, host, user, process or file contains it */
  q: optionalText,
  /** filter-out (the event fields' exclude pivots): not this host / user / process name / file path, any case */
  not_host: optionalText,
  not_user: optionalText,
  not_process: optionalText,
  not_file: optionalText,
  verdict: verdictSchema.optional(),
  sort: alertSortSchema.default('timestamp'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;
export type AlertListQueryInput = z.input<typeof alertListQuerySchema>;

export const eqlEventSchema = z.object({
  _index: z.string(),
  _id: z.string(),
  _source: z.record(z.string(), z.unknown()),
});
export type EqlEventValue = z.infer<typeof eqlEventSchema>;

export const mitreSchema = mitreTechniqueSchema;

/** An alert as the queue shows it (the source event is left out of the list). */
export const alertSummarySchema = domainAlertSchema
  .pick({
    id: true,
    ruleId: true,
    ruleVersion: true,
    ruleName: true,
    severity: true,
    riskScore: true,
    timestamp: true,
    createdAt: true,
    status: true,
    verdict: true,
    assignee: true,
    hostName: true,
    userName: true,
    processName: true,
    processEntityId: true,
    filePath: true,
    version: true,
  })
  .extend({
    /** the source event's index and id (the event itself is in the detail) */
    source: z.object({ _index: z.string(), _id: z.string() }).optional(),
  });
export type AlertSummary = z.infer<typeof alertSummarySchema>;

export const alertSchema = alertSummarySchema.extend({
  mitre: z.array(mitreSchema).default([]),
  event: eqlEventSchema,
  sequenceEvents: z.array(eqlEventSchema).nullable().default(null),
  runId: z.string().optional(),
});
export type AlertValue = z.infer<typeof alertSchema>;

export const alertListResponseSchema = z.object({
  items: z.array(alertSummarySchema),
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
});
export type AlertListResponse = z.infer<typeof alertListResponseSchema>;

/** PATCH /api/alerts/:id — workflow change guarded by the version the client last saw. */
export const alertPatchSchema = z
  .object({
    expectedVersion: z.number().int().min(0),
    status: alertStatusSchema.optional(),
    verdict: verdictSchema.nullable().optional(),
    assignee: z.string().trim().min(1).max(200).nullable().optional(),
    /** closing note, kept as a note on the alert */
    note: z.string().trim().max(20_000).refine((t) => isWellFormedText(t), 'contains a lone UTF-16 surrogate (broken text); paste it again').optional(),
  })
  .strict()
  .refine((p) => p.status !== undefined || p.verdict !== undefined || p.assignee !== undefined, {
    message: 'nothing to change: give status, verdict or assignee',
  })
  .refine((p) => p.status !== 'closed' || (p.verdict !== undefined && p.verdict !== null), {
    message: 'closing needs a verdict',
    path: ['verdict'],
  });
export type AlertPatch = z.infer<typeof alertPatchSchema>;

export const stepStateValueSchema = stepStateValues;
export type StepStateValue = StepStateName;

export const stepSectionSchema = z.enum(['guide', 'response']);

/**
 * Text without lone UTF-16 surrogates (`\ud800` alone): such a string cannot be written as
 * UTF-8, so it would come back changed and break the triage page's hydration (React #418).
 */
export function isWellFormedText(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
const wellFormedMessage = 'contains a lone UTF-16 surrogate (broken text); paste it again';

/** A guide step id as the guide parser makes them (section kind + hash, `-2` on collision). */
export const stepIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'longer than 128 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'not a step id (lower case letters, digits, "-" and "_")');

/**
 * PUT /api/alerts/:id/steps/:stepId — a state change (with the step version it was made on:
 * a stale one is refused with 409), and/or the step's note or owner (these never carry a
 * state, so saving a note cannot undo someone else's tick).
 */
export const stepPutSchema = z
  .object({
    state: stepStateValueSchema.optional(),
    /** the step's version the client saw (0 for a step never changed); required with `state` */
    expectedVersion: z.number().int().min(0).optional(),
    section: stepSectionSchema.default('guide'),
    reason: z.string().trim().max(2000).refine(isWellFormedText, wellFormedMessage).optional(),
    note: z.string().max(20_000).refine(isWellFormedText, wellFormedMessage).optional(),
    owner: z.string().trim().max(200).refine(isWellFormedText, wellFormedMessage).nullable().optional(),
  })
  .strict()
  .refine((s) => s.state !== undefined || s.note !== undefined || s.owner !== undefined || s.reason !== undefined, {
    message: 'nothing to change: give state, note, owner or reason',
  })
  .refine((s) => s.state === undefined || s.expectedVersion !== undefined, {
    message: 'a state change needs the step version you saw (0 for a step never changed)',
    path: ['expectedVersion'],
  })
  .refine((s) => s.state !== 'not_applicable' || (s.reason !== undefined && s.reason.length > 0), {
    message: 'not applicable needs a reason',
    path: ['reason'],
  });
export type StepPut = z.infer<typeof stepPutSchema>;

export const stepStateSchema = z.object({
  stepId: z.string(),
  section: stepSectionSchema.default('guide'),
  state: stepStateValueSchema,
  reason: z.string().nullable().default(null),
  note: z.string().nullable().default(null),
  owner: z.string().nullable().default(null),
  actor: z.string().nullable().default(null),
  updatedAt: z.string().nullable().default(null),
  /** bumped by every change; a state change sends the version it was made on */
  version: z.number().int().min(0).default(0),
});
export type StepState = z.infer<typeof stepStateSchema>;

/** POST /api/alerts/:id/notes — notes only append */
export const notePostSchema = z
  .object({
    body: z.string().trim().min(1, 'a note cannot be empty').max(20_000).refine(isWellFormedText, wellFormedMessage),
  })
  .strict();
export type NotePost = z.infer<typeof notePostSchema>;

export const noteSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  body: z.string(),
  author: z.string().nullable().default(null),
  createdAt: z.string(),
});
export type NoteValue = z.infer<typeof noteSchema>;

export const auditEntrySchema = z.object({
  at: z.string(),
  actor: z.string().nullable().default(null),
  action: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
