/**
 * The envelope of the messages between a worker started by `spawn.ts` and its parent. The
 * payloads inside (`req`, `res`, `value`) are checked by each worker's own zod schemas; the
 * envelope is checked here on both sides.
 */
import { z } from 'zod';

/** parent → worker */
export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), id: z.number().int(), req: z.unknown() }),
  /** the parent gave up on a request (timeout): the worker may stop working on it */
  z.object({ type: z.literal('cancel'), id: z.number().int() }),
]);
export type ToWorker = z.infer<typeof toWorkerSchema>;

/** worker → parent */
export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('response'), id: z.number().int(), res: z.unknown() }),
  z.object({ type: z.literal('progress'), id: z.number().int(), value: z.unknown() }),
  z.object({
    type: z.literal('error'),
    id: z.number().int(),
    /** a code the parent may map to an answer (e.g. 'store_busy'); 'internal' otherwise */
    code: z.string(),
    message: z.string(),
  }),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;

/** An error a worker reports for one request (its code and message cross the thread boundary). */
export class WorkerTaskError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerTaskError';
  }
}
