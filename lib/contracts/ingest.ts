import { z } from 'zod';

export const ingestFormats = ['auto', 'ecs', 'bulk', 'winlogbeat', 'sysmon-evtx-json', 'endgame', 'defend'] as const;
export const ingestFormatSchema = z.enum(ingestFormats);
export type IngestFormat = z.infer<typeof ingestFormatSchema>;

/** POST /api/ingest?format=…&index=…&name=… with the file as the raw request body (streamed to a temp file). */
export const ingestStartQuerySchema = z.object({
  format: ingestFormatSchema.default('auto'),
  index: z
    .string()
    .trim()
    .max(255)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'index names are lower case letters, digits, ".", "_" and "-"')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  name: z.string().max(500).default('upload'),
});
export type IngestStartQuery = z.infer<typeof ingestStartQuerySchema>;

/** GET /api/ingest?job=ID — one job; without `job`, the recent ones */
export const ingestJobQuerySchema = z.object({ job: z.string().min(1).max(100).optional() });

export const ingestProgressSchema = z.object({
  bytes: z.number(),
  totalBytes: z.number().optional(),
  lines: z.number(),
  read: z.number(),
  stored: z.number(),
  rejected: z.number(),
});

export const ingestReportSchema = z.object({
  read: z.number(),
  stored: z.number(),
  replaced: z.number(),
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
  rejectedCount: z.number(),
  format: z.string(),
  indices: z.record(z.string(), z.number()),
  lines: z.number(),
  bytes: z.number(),
  /** how the bytes were read (UTF-8, or UTF-16 with a byte order mark) */
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be']).default('utf-8'),
  /** invalid UTF-8 sequences read as U+FFFD */
  invalidUtf8: z.number().default(0),
  warnings: z.array(z.string()).default([]),
});
export type IngestReportValue = z.infer<typeof ingestReportSchema>;

export const ingestJobSchema = z.object({
  id: z.string(),
  name: z.string(),
  format: ingestFormatSchema,
  index: z.string().nullable(),
  /** interrupted: the server stopped while it ran (progress holds the counts it had reached) */
  state: z.enum(['receiving', 'ingesting', 'done', 'failed', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: ingestProgressSchema.nullable(),
  report: ingestReportSchema.nullable(),
  error: z.string().nullable(),
  /** who uploaded it */
  startedBy: z.string().default(''),
});
export type IngestJob = z.infer<typeof ingestJobSchema>;

/** A job still receiving its upload or ingesting it (its progress moves; it is polled). */
export function isIngestRunning(job: Pick<IngestJob, 'state'>): boolean {
  return job.state === 'receiving' || job.state === 'ingesting';
}

export const ingestJobResponseSchema = z.object({ job: ingestJobSchema });

/** GET /api/ingest — the recent jobs, newest first (kept in app.db across restarts) */
export const ingestJobListResponseSchema = z.object({ items: z.array(ingestJobSchema) });
