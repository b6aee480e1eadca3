/**
 * Requests and answers of the evidence workers (evidence-worker.ts): one EventSource call on
 * the worker's own read-only connection to an events database.
 */
import { z } from 'zod';

/** The EventSource calls the evidence paths make (all but eqlSearch's AbortSignal cross over as they are). */
export const evidenceMethods = [
  'eqlSearch',
  'getEvents',
  'findProcessesByEntityIds',
  'childProcesses',
  'entityEvents',
  'authenticationEvents',
  'executablePrevalence',
  'health',
] as const;
export type EvidenceMethod = (typeof evidenceMethods)[number];

export const evidenceRequestSchema = z.object({
  /** the events database (opened read-only in the worker) */
  file: z.string().min(1),
  /** how long a read waits for a lock held by another process before failing as store_busy */
  busyTimeoutMs: z.number().int().min(0).max(60_000),
  method: z.enum(evidenceMethods),
  /** the call's one argument (health: none); the store checks its own inputs */
  arg: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown())), z.undefined()]),
});
export type EvidenceRequest = z.infer<typeof evidenceRequestSchema>;

export const evidenceResponseSchema = z.object({ value: z.unknown() });
export type EvidenceResponse = z.infer<typeof evidenceResponseSchema>;
