/**
 * The worker side of `spawn.ts`: a worker module calls `serveRequests` once with its request
 * schema and handler. Each request is checked with the schema (a bad one is answered with
 * an 'invalid_request' error, the worker keeps serving), the handler's answer is sent back
 * with any buffers it names transferred (moved, not copied), and its errors cross over with
 * their `code` when they carry one.
 */
import { parentPort, isMainThread, workerData, type TransferListItem } from 'node:worker_threads';
import type { z } from 'zod';
import { toWorkerSchema, type FromWorker } from './protocol';

export interface RequestContext<P> {
  /** the request's id (unique per worker) */
  id: number;
  /** sends an intermediate value to the parent's `onProgress` */
  progress(value: P): void;
  /** buffers of the answer to move rather than copy */
  transfer(...items: TransferListItem[]): void;
  /** true once the parent gave up on this request (timeout); long work should stop */
  readonly cancelled: boolean;
}

export type Handler<Req, Res, P> = (req: Req, ctx: RequestContext<P>) => Res | Promise<Res>;

function errorOf(e: unknown): { code: string; message: string } {
  const message = e instanceof Error ? e.message : String(e);
  const code = e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : 'internal';
  return { code, message };
}

export function serveRequests<Req, Res, P = unknown>(schema: z.ZodType<Req>, handler: Handler<Req, Res, P>): void {
  if (isMainThread || !parentPort) throw new Error('serveRequests: this module runs as a worker (start it with spawnWorker)');
  const port = parentPort;
  const cancelled = new Set<number>();
  const post = (m: FromWorker, transfer: TransferListItem[] = []) => port.postMessage(m, transfer);
  port.on('message', (raw: unknown) => {
    const env = toWorkerSchema.safeParse(raw);
    if (!env.success) return; // not ours: nothing to answer to
    const msg = env.data;
    if (msg.type === 'cancel') {
      cancelled.add(msg.id);
      return;
    }
    const { id } = msg;
    const parsed = schema.safeParse(msg.req);
    if (!parsed.success) {
      post({ type: 'error', id, code: 'invalid_request', message: `worker request: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` });
      return;
    }
    const transfer: TransferListItem[] = [];
    const ctx: RequestContext<P> = {
      id,
      progress: (value) => post({ type: 'progress', id, value }),
      transfer: (...items) => void transfer.push(...items),
      get cancelled() {
        return cancelled.has(id);
      },
    };
    void (async () => {
      try {
        const res = await handler(parsed.data, ctx);
        post({ type: 'response', id, res }, transfer);
      } catch (e) {
        post({ type: 'error', id, ...errorOf(e) });
      } finally {
        cancelled.delete(id);
      }
    })();
  });
  post({ type: 'ready' });
}

/** The `workerData` given in the worker's spec (null when none). */
export function workerInput(): unknown {
  const d: unknown = workerData;
  return d && typeof d === 'object' && 'data' in d ? (d as { data: unknown }).data : null;
}
