/**
 * The alert vocabulary, defined once: zod schemas first, the types derived from them.
 * Imported by the store, the contracts, detection, cases and the UI (no I/O, no app imports).
 */
import { z } from 'zod';
import type { EqlEvent } from '../eql/types';

export const alertStatusSchema = z.enum(['open', 'acknowledged', 'closed']);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

export const verdictSchema = z.enum(['true_positive', 'benign_true_positive', 'false_positive']);
export type Verdict = z.infer<typeof verdictSchema>;

export const severitySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

export const mitreTechniqueSchema = z.object({
  tacticId: z.string(), // TA0005
  tacticName: z.string(),
  techniqueId: z.string().optional(), // T1211
  techniqueName: z.string().optional(),
  subtechniqueId: z.string().optional(),
  subtechniqueName: z.string().optional(),
});
export type MitreTechnique = z.infer<typeof mitreTechniqueSchema>;

const eqlEventSchema = z.custom<EqlEvent>((v) => typeof v === 'object' && v !== null && '_source' in v);

export const alertSchema = z.object({
  /** stable id: derived from rule id + source event index/id (or the sequence's events) */
  id: z.string(),
  ruleId: z.string(),
  ruleVersion: z.number(),
  ruleName: z.string(),
  severity: severitySchema,
  riskScore: z.number(),
  mitre: z.array(mitreTechniqueSchema),
  /** the event that fired (for sequences: the last event) */
  event: eqlEventSchema,
  /** for sequence rules: every event of the sequence (building blocks), in order */
  sequenceEvents: z.array(eqlEventSchema).nullable(),
  /** the event's @timestamp (ISO) */
  timestamp: z.string(),
  /** when the alert was created (ISO) */
  createdAt: z.string(),
  runId: z.string(),
  status: alertStatusSchema,
  verdict: verdictSchema.nullable(),
  assignee: z.string().nullable(),
  /** convenience copies of the source event's entity fields (null when absent) */
  hostName: z.string().nullable(),
  userName: z.string().nullable(),
  processName: z.string().nullable(),
  processEntityId: z.string().nullable(),
  filePath: z.string().nullable(),
  /** optimistic-concurrency version, bumped on every change */
  version: z.number(),
  /** the closing note written with the verdict (null while none) */
  closingNote: z.string().nullish(),
  /** when the alert was first acknowledged / last closed / last changed (ISO) */
  acknowledgedAt: z.string().nullish(),
  closedAt: z.string().nullish(),
  updatedAt: z.string().optional(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertSortFields = ['timestamp', 'severity', 'risk_score', 'rule_name', 'host_name', 'user_name', 'status', 'created_at'] as const;
export const alertSortSchema = z.enum(alertSortFields);
export type AlertSortField = z.infer<typeof alertSortSchema>;

/** What the queue, the CSV export and the store filter alerts by. */
export interface AlertFilter {
  status?: AlertStatus | AlertStatus[];
  ruleId?: string | string[];
  hostName?: string | string[];
  userName?: string | string[];
  processEntityId?: string | string[];
  assignee?: string | null;
  severity?: Severity | Severity[];
  verdict?: Verdict;
  /** alert timestamp range, inclusive (ISO) */
  from?: string;
  to?: string;
  /** substring search over rule name, host, user, process, file (case-insensitive for ASCII) */
  text?: string;
  /** host name contains this (case-insensitive for ASCII; `%` and `_` match themselves) */
  hostContains?: string;
  /** user name contains this (as `hostContains`) */
  userContains?: string;
  /** filter-out: leave out alerts whose host / user / process name / file path is this value (any ASCII case; a row without one stays) */
  notHost?: string;
  notUser?: string;
  notProcess?: string;
  notFile?: string;
  sort?: AlertSortField;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}
