import { z } from 'zod';
import { MAX_TREE_DEPTH } from './evidence';

/** The zoom steps of the triage timeline: seconds either side of the alert. */
export const TIMELINE_RANGES = [10, 60, 600, 3600] as const;

/** GET /api/alerts/:id/timeline search params. */
export const timelineQuerySchema = z.object({
  /** seconds either side of the alert (10 s … 24 h) */
  seconds: z.coerce.number().int().min(1).max(24 * 3600).default(600),
  /** generations of descendants whose events are read (as the process tree shown) */
  depth: z.coerce.number().int().min(1).max(MAX_TREE_DEPTH).default(4),
});

const refSchema = z.object({ _index: z.string(), _id: z.string() });

export const timelineEntrySchema = z.object({
  key: z.string(),
  kind: z.string(),
  time: z.string(),
  offsetMs: z.number(),
  action: z.string().nullable(),
  summary: z.string(),
  entityId: z.string().nullable(),
  processName: z.string().nullable(),
  pid: z.number().nullable(),
  fields: z.record(z.string(), z.string()).default({}),
  event: refSchema.nullable(),
});
export type TimelineEntryValue = z.infer<typeof timelineEntrySchema>;

/** The timeline of an alert (lib/investigation/timeline). */
export const timelineResponseSchema = z.object({
  alertTime: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  entries: z.array(timelineEntrySchema),
  entityIds: z.array(z.string()).default([]),
  truncated: z.boolean(),
  untimed: z.number().default(0),
});
export type TimelineValue = z.infer<typeof timelineResponseSchema>;
