/** The incidents API: requests checked on the server, answers checked on the client. */
import { z } from 'zod';
import { stepStateSchema as stepStateValues } from '@/lib/domain/checklist';
import { incidentKeys } from '@/lib/domain/incident';
import { alertStatusSchema, alertSummarySchema, severitySchema, verdictSchema } from './alerts';

export const incidentKeySchema = z.enum(incidentKeys);

export const membershipReasonSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('key'),
    key: incidentKeySchema,
    value: z.string(),
    viaAlertId: z.string(),
    viaRuleName: z.string(),
    minutes: z.number(),
    direction: z.enum(['after', 'before']),
  }),
  z.object({
    kind: z.literal('manual'),
    action: z.enum(['merge', 'split', 'move']),
    actor: z.string(),
    at: z.string(),
    fromIncidentId: z.string().nullable(),
  }),
]);
export type MembershipReasonValue = z.infer<typeof membershipReasonSchema>;

export const incidentSummarySchema = z.object({
  id: z.string(),
  status: alertStatusSchema,
  verdict: verdictSchema.nullable(),
  closingNote: z.string().nullable(),
  assignee: z.string().nullable(),
  severity: severitySchema,
  riskScore: z.number(),
  alertCount: z.number(),
  openAlerts: z.number(),
  hosts: z.array(z.string()),
  users: z.array(z.string()),
  rules: z.array(z.string()),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: z.number(),
  touched: z.boolean(),
  progress: z.object({ done: z.number(), total: z.number() }),
});
export type IncidentSummaryValue = z.infer<typeof incidentSummarySchema>;

export const incidentSortSchema = z.enum(['last_seen', 'first_seen', 'severity', 'alert_count', 'risk_score']);

export const incidentListQuerySchema = z.object({
  status: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean)))
    .pipe(z.array(alertStatusSchema).optional()),
  assignee: z.string().trim().max(64).optional(),
  /** an incident's hosts, users or rules contain this (case-insensitive for ASCII) */
  q: z.string().trim().max(512).optional(),
  sort: incidentSortSchema.default('last_seen'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(5000).default(2000),
  offset: z.coerce.number().int().min(0).default(0),
});
export type IncidentListQueryInput = z.input<typeof incidentListQuerySchema>;

export const incidentListResponseSchema = z.object({
  items: z.array(incidentSummarySchema),
  total: z.number(),
  version: z.number(),
});

/** An alert of an incident: the queue's own columns of the alert (but its id as alertId, and no bookkeeping), and how it joined. */
export const incidentMemberSchema = alertSummarySchema
  .omit({ id: true, ruleVersion: true, createdAt: true, processEntityId: true, version: true, source: true })
  .extend({
    alertId: z.string(),
    subject: z.string().nullable(),
    pinned: z.boolean(),
    reason: membershipReasonSchema.nullable(),
  });
export type IncidentMemberValue = z.infer<typeof incidentMemberSchema>;

export const stormRowSchema = z.object({
  alertId: z.string(),
  ruleName: z.string(),
  hostName: z.string().nullable(),
  subject: z.string().nullable(),
  count: z.number(),
  first: z.string(),
  last: z.string(),
  alerts: z.array(incidentMemberSchema),
});
export type StormRowValue = z.infer<typeof stormRowSchema>;

export const incidentStepSchema = z.object({
  stepId: z.string(),
  state: stepStateValues,
  owner: z.string().nullable(),
  note: z.string().nullable(),
  actor: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type IncidentStepValue = z.infer<typeof incidentStepSchema>;

export const incidentHistorySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const entityCountSchema = z.object({ kind: z.enum(['host', 'user', 'process', 'file', 'rule']), value: z.string(), alerts: z.number() });

export const incidentDetailResponseSchema = z.object({
  incident: incidentSummarySchema,
  members: z.array(incidentMemberSchema),
  rows: z.array(stormRowSchema),
  steps: z.array(incidentStepSchema),
  history: z.array(incidentHistorySchema),
  entities: z.array(entityCountSchema),
  windowMinutes: z.number(),
});
export type IncidentDetailResponse = z.infer<typeof incidentDetailResponseSchema>;

export const timelineItemSchema = z.object({
  kind: z.enum(['alert', 'process', 'file', 'network', 'dns', 'registry', 'library', 'logon', 'other']),
  time: z.string().nullable(),
  host: z.string().nullable(),
  summary: z.string(),
  alertId: z.string().nullable(),
  event: z.object({ _index: z.string(), _id: z.string() }).nullable(),
});
export type TimelineItemValue = z.infer<typeof timelineItemSchema>;

export const incidentTimelineResponseSchema = z.object({
  items: z.array(timelineItemSchema),
  truncated: z.boolean(),
  window: z.object({ from: z.string(), to: z.string() }).nullable(),
  /** the event source did not answer: the alerts alone are listed */
  sourceError: z.string().nullable(),
});
export type IncidentTimelineResponse = z.infer<typeof incidentTimelineResponseSchema>;

const note = z.string().trim().max(4000);

export const incidentPatchSchema = z
  .object({
    expectedVersion: z.number().int().min(1),
    status: alertStatusSchema.optional(),
    verdict: verdictSchema.optional(),
    assignee: z.string().trim().min(1).max(64).nullable().optional(),
    note: note.optional(),
  })
  .strict()
  .refine((v) => v.status !== 'closed' || v.verdict, { message: 'closing an incident needs a verdict', path: ['verdict'] });
export type IncidentPatch = z.infer<typeof incidentPatchSchema>;

const incidentIdSchema = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'an incident id (letters, digits, - and _)');
const alertIdSchema = z.string().trim().min(1).max(200);

export const mergeRequestSchema = z.object({ sources: z.array(incidentIdSchema).min(1).max(100), expectedVersion: z.number().int().min(1).optional() }).strict();
export const splitRequestSchema = z.object({ alertIds: z.array(alertIdSchema).min(1).max(5000), expectedVersion: z.number().int().min(1).optional() }).strict();
export const moveRequestSchema = z.object({ alertId: alertIdSchema, to: incidentIdSchema }).strict();
export const incidentStepPutSchema = z
  .object({ state: stepStateValues, owner: z.string().trim().min(1).max(64).nullable().optional(), note: note.nullable().optional() })
  .strict();

export const incidentMutationResponseSchema = z.object({ incident: incidentSummarySchema, closedAlerts: z.array(z.string()).optional() });
export const incidentStepsResponseSchema = z.object({ steps: z.array(incidentStepSchema) });

// ---------------------------------------------------------------- webhooks (admins)

export const webhookEventSchema = z.enum(['incident.created', 'incident.assigned', 'incident.sla_breach']);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export const webhookFormatSchema = z.enum(['json', 'slack', 'teams']);

const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => {
    try {
      const url = new URL(u);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'an http(s) address without user or password');

export const webhookCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    url: webhookUrlSchema,
    format: webhookFormatSchema.default('json'),
    events: z.array(webhookEventSchema).min(1).max(3),
    minSeverity: severitySchema.default('high'),
    enabled: z.boolean().default(true),
  })
  .strict();
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

export const webhookPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    url: webhookUrlSchema.optional(),
    format: webhookFormatSchema.optional(),
    events: z.array(webhookEventSchema).min(1).max(3).optional(),
    minSeverity: severitySchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const webhookSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  format: webhookFormatSchema,
  events: z.array(webhookEventSchema),
  minSeverity: severitySchema,
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookValue = z.infer<typeof webhookSchema>;

export const webhookDeliverySchema = z.object({
  id: z.number(),
  webhookId: z.string(),
  event: z.string(),
  incidentId: z.string().nullable(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type WebhookDeliveryValue = z.infer<typeof webhookDeliverySchema>;

export const webhookListResponseSchema = z.object({ items: z.array(webhookSchema) });
/** the secret is shown once, when the webhook is created */
export const webhookCreatedResponseSchema = z.object({ webhook: webhookSchema, secret: z.string() });
export const webhookDeliveriesResponseSchema = z.object({ items: z.array(webhookDeliverySchema) });

// ---------------------------------------------------------------- figures

const bucketsSchema = z.object({ lt1h: z.number(), '1to4h': z.number(), '4to24h': z.number(), '1to3d': z.number(), gt3d: z.number() });
const durationSchema = z.object({ medianMinutes: z.number().nullable(), p90Minutes: z.number().nullable(), samples: z.number() });
export const incidentStatsResponseSchema = z.object({
  open: z.number(),
  bySeverityAge: z.object({ critical: bucketsSchema, high: bucketsSchema, medium: bucketsSchema, low: bucketsSchema }),
  perAssignee: z.array(z.object({ assignee: z.string().nullable(), count: z.number() })),
  timeToAcknowledge: durationSchema,
  timeToClose: durationSchema,
  /** the incidents' own SLA (not the alerts'): targets in minutes and incidents missing them now */
  sla: z.object({
    targets: z.record(severitySchema, z.object({ acknowledgeMinutes: z.number(), closeMinutes: z.number() })),
    breaching: z.object({ acknowledge: z.number(), close: z.number() }),
  }),
});
export type IncidentStatsResponse = z.infer<typeof incidentStatsResponseSchema>;

// ---------------------------------------------------------------- grouping settings (admins)

const groupingConfigValueSchema = z.object({ windowMinutes: z.number(), keys: z.array(incidentKeySchema) });
export const groupingSettingsResponseSchema = z.object({
  effective: groupingConfigValueSchema.nullable(),
  saved: groupingConfigValueSchema.extend({ updatedBy: z.string(), updatedAt: z.string() }).nullable(),
  env: groupingConfigValueSchema.nullable(),
  envError: z.string().nullable(),
});
export type GroupingSettingsResponse = z.infer<typeof groupingSettingsResponseSchema>;
