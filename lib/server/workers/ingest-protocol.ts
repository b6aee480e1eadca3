/**
 * Requests and answers of the ingest worker (ingest-worker.ts): one request ingests one
 * file into one events database on the worker's own connection; progress goes back as the
 * batches are written.
 */
import { z } from 'zod';
import { ingestFormatSchema, ingestProgressSchema, ingestReportSchema } from '@/lib/contracts/ingest';

export const ingestWorkerRequestSchema = z.object({
  /** the uploaded file to read */
  file: z.string().min(1),
  /** the events database to write into */
  eventsDb: z.string().min(1),
  format: ingestFormatSchema,
  index: z.string().optional(),
  /** events per transaction: short ones, so the store's other users never wait long */
  batchSize: z.number().int().min(1).max(100_000).optional(),
});
export type IngestWorkerRequest = z.infer<typeof ingestWorkerRequestSchema>;

export const ingestWorkerProgressSchema = ingestProgressSchema;

/** the API's ingest report, with what only the worker's answer carries */
export const ingestWorkerResponseSchema = ingestReportSchema.extend({
  formats: z.record(z.string(), z.number()),
  writer: z.enum(['in-thread', 'worker']),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be']),
  invalidUtf8: z.number(),
  warnings: z.array(z.string()),
});
export type IngestWorkerResponse = z.infer<typeof ingestWorkerResponseSchema>;
