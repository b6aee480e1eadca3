/**
 * Starts TypeScript worker modules (node:worker_threads) the same way under `next start`,
 * the CLI (tsx) and vitest. The server bundle cannot bundle a worker file, so the worker is
 * not part of any bundle: a small CommonJS bootstrap (run with `eval: true`, as
 * lib/events/embedded/writer.ts does) registers tsx's loaders (a dependency already, for the
 * CLI) with the project's tsconfig (so `@/…` imports resolve), then imports the module from
 * the project's sources by its path from the project root. The module serves requests with
 * `serveRequests` (serve.ts).
 *
 * A pool of `size` workers answers typed requests: the request is checked with the spec's
 * zod schema before it leaves, the answer after it arrives; each request has a timeout
 * (counted from when its worker is ready, so a worker's start-up is not charged to it); a
 * worker that crashes or exits fails its requests with a clear error naming the worker and
 * is started again on the next request; buffers named in `transfer` move instead of being
 * copied. Idle workers do not keep the process alive.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, type TransferListItem } from 'node:worker_threads';
import type { z } from 'zod';
import { fromWorkerSchema, WorkerTaskError, type ToWorker } from './protocol';

export { WorkerTaskError } from './protocol';

/** A request that got no answer in time. */
export class WorkerTimeoutError extends Error {
  readonly code = 'worker_timeout';
  constructor(message: string) {
    super(message);
    this.name = 'WorkerTimeoutError';
  }
}

/** The worker stopped (crashed, exited or could not start) before answering. */
export class WorkerCrashError extends Error {
  readonly code = 'worker_crashed';
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashError';
  }
}

export interface WorkerSpec<Req, Res> {
  /** names the worker in errors and logs, e.g. 'evidence' */
  name: string;
  /** the worker module's path from the project root, e.g. 'lib/server/workers/evidence-worker.ts' */
  module: string;
  request: z.ZodType<Req>;
  response: z.ZodType<Res>;
  /** workers in the pool (default 1) */
  size?: number;
  /** default request timeout in ms (default 30 s); 0: none */
  timeoutMs?: number;
  /** a worker not ready after this long is ended and its requests fail (default 60 s) */
  bootTimeoutMs?: number;
  /**
   * After a timeout, end the worker and start a fresh one (default false): for work that can
   * be stuck in a synchronous call (a locked SQLite file), so the pool does not stay clogged.
   * The worker's other requests fail with the same timeout.
   */
  restartOnTimeout?: boolean;
  /** handed to the worker as `workerData` */
  workerData?: unknown;
  /** extra environment for the worker (on top of this process's) */
  env?: Record<string, string>;
  /**
   * A lower CPU priority for the worker's thread (Linux nice value 1–19; default none): for
   * background work (ingest, detection) that should yield the cores to the request thread.
   * Applied to the worker's own thread only (setpriority on its thread id); where that is not
   * possible the worker runs at normal priority.
   */
  nice?: number;
  /** the worker's heap limits, e.g. { maxOldGenerationSizeMb: 1024 } */
  resourceLimits?: ConstructorParameters<typeof Worker>[1] extends infer O ? (O extends { resourceLimits?: infer R } ? R : never) : never;
}

export interface RequestOptions<P> {
  timeoutMs?: number;
  /** buffers of the request to move into the worker (no copy; unusable here afterwards) */
  transfer?: TransferListItem[];
  /** intermediate values the worker sends with ctx.progress */
  onProgress?: (value: P) => void;
}

export interface WorkerPool<Req, Res> {
  request<P = unknown>(req: Req, options?: RequestOptions<P>): Promise<Res>;
  /** starts the workers now rather than at the first request */
  warm(): void;
  /** starts the workers and resolves once every one of them is ready (rejects if one cannot start) */
  ready(): Promise<void>;
  /** requests sent and not answered yet */
  inFlight(): number;
  /** ends every worker; pending requests fail */
  close(): Promise<void>;
}

/** GUIDEPOST_WORKERS=off: the store's work runs in the web process's thread (for debugging; the path used before the workers). */
export function workersEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const v = (env.GUIDEPOST_WORKERS ?? '').trim().toLowerCase();
  if (v === '' || v === 'on') return true;
  if (v === 'off') return false;
  throw new Error(`GUIDEPOST_WORKERS must be on or off (got ${JSON.stringify(env.GUIDEPOST_WORKERS)})`);
}

let rootCache: string | undefined;

/**
 * The project root: GUIDEPOST_ROOT, else the nearest directory upwards from the working
 * directory whose package.json is this project's (next start, the CLI and vitest all run
 * from there or below).
 */
export function projectRoot(): string {
  if (process.env.GUIDEPOST_ROOT) return path.resolve(process.env.GUIDEPOST_ROOT);
  if (rootCache) return rootCache;
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'guidepost') return (rootCache = dir);
      } catch {
        // not readable: keep looking upwards
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the Guidepost project root above ${process.cwd()} (set GUIDEPOST_ROOT to the directory holding its package.json)`);
}

/** Registers tsx (CommonJS and ESM hooks, the project's tsconfig) and imports the module. */
const BOOTSTRAP = `'use strict';
const { workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const path = require('node:path');
const boot = workerData.__guidepostBoot;
if (boot.nice) {
  try {
    // this thread only: Linux takes a thread id where a process id is asked for
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0) require('node:os').setPriority(tid, boot.nice);
  } catch {
    // not Linux, or not allowed: normal priority
  }
}
process.env.TSX_TSCONFIG_PATH = path.join(boot.root, 'tsconfig.json');
const req = createRequire(path.join(boot.root, 'package.json'));
req(req.resolve('tsx/cjs/api')).register();
const esmApi = path.join(path.dirname(req.resolve('tsx/esm/api')), 'index.mjs');
import(pathToFileURL(esmApi).href)
  .then((api) => {
    api.register({ tsconfig: process.env.TSX_TSCONFIG_PATH });
    return import(pathToFileURL(path.join(boot.root, boot.module)).href);
  })
  .catch((e) => {
    // surfaces as the worker's 'error' event in the parent
    setImmediate(() => {
      throw e;
    });
  });
`;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (value: unknown) => void;
  timeoutMs: number;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** settles when the worker is ready or gone */
  started: Promise<void>;
  dead: boolean;
  pending: Map<number, Pending>;
}

export function spawnWorker<Req, Res>(spec: WorkerSpec<Req, Res>): WorkerPool<Req, Res> {
  const size = Math.max(1, spec.size ?? 1);
  const slots: (Slot | null)[] = Array.from({ length: size }, () => null);
  let nextId = 0;
  let closed = false;
  let lastBootFailure: { at: number; message: string } | null = null;
  const label = `the ${spec.name} worker (${spec.module})`;

  const setRef = (s: Slot) => {
    if (s.pending.size > 0) s.worker.ref();
    else s.worker.unref();
  };

  const armTimer = (s: Slot, id: number, p: Pending) => {
    if (!p.timeoutMs || p.timer) return;
    p.timer = setTimeout(() => {
      if (!s.pending.has(id)) return;
      const err = new WorkerTimeoutError(`${label} gave no answer within ${p.timeoutMs} ms`);
      s.pending.delete(id);
      p.reject(err);
      if (spec.restartOnTimeout) {
        kill(s, err);
      } else {
        post(s, { type: 'cancel', id });
        setRef(s);
      }
    }, p.timeoutMs);
  };

  const post = (s: Slot, m: ToWorker, transfer: TransferListItem[] = []) => {
    try {
      s.worker.postMessage(m, transfer);
    } catch {
      // the worker is gone: its exit handler fails the request
    }
  };

  /** fails every request of the slot and frees it (a new worker starts on the next request) */
  const kill = (s: Slot, err: Error) => {
    if (s.dead) return;
    s.dead = true;
    const i = slots.indexOf(s);
    if (i >= 0) slots[i] = null;
    for (const p of s.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(err);
    }
    s.pending.clear();
    void s.worker.terminate().catch(() => undefined);
  };

  const start = (i: number): Slot => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: {
        __guidepostBoot: { root: projectRoot(), module: spec.module, nice: Math.max(0, Math.min(19, Math.round(spec.nice ?? 0))) },
        data: spec.workerData ?? null,
      },
      env: { ...process.env, ...(spec.env ?? {}) },
      ...(spec.resourceLimits ? { resourceLimits: spec.resourceLimits } : {}),
    });
    let onStart: (e?: Error) => void = () => undefined;
    const started = new Promise<void>((resolve, reject) => {
      onStart = (e) => (e ? reject(e) : resolve());
    });
    started.catch(() => undefined);
    const s: Slot = { worker, ready: false, dead: false, pending: new Map(), started };
    slots[i] = s;
    worker.unref();
    const bootMs = spec.bootTimeoutMs ?? 60_000;
    const bootTimer = setTimeout(() => {
      if (s.ready || s.dead) return;
      const err = new WorkerCrashError(`${label} could not start: not ready after ${bootMs} ms`);
      lastBootFailure = { at: Date.now(), message: err.message };
      onStart(err);
      kill(s, err);
    }, bootMs);
    bootTimer.unref();
    worker.on('message', (raw: unknown) => {
      const parsed = fromWorkerSchema.safeParse(raw);
      if (!parsed.success) {
        kill(s, new WorkerCrashError(`${label} sent a message that is not of the protocol`));
        return;
      }
      const m = parsed.data;
      if (m.type === 'ready') {
        s.ready = true;
        clearTimeout(bootTimer);
        lastBootFailure = null;
        onStart();
        for (const [id, p] of s.pending) armTimer(s, id, p);
        return;
      }
      const p = s.pending.get(m.id);
      if (!p) return; // answered after its timeout
      if (m.type === 'progress') {
        p.onProgress?.(m.value);
        return;
      }
      s.pending.delete(m.id);
      if (p.timer) clearTimeout(p.timer);
      setRef(s);
      if (m.type === 'error') {
        p.reject(new WorkerTaskError(m.code, m.message));
        return;
      }
      const res = spec.response.safeParse(m.res);
      if (res.success) p.resolve(res.data);
      else p.reject(new WorkerCrashError(`${label} answered with an unexpected shape: ${res.error.issues.slice(0, 3).map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`).join('; ')}`));
    });
    worker.on('error', (e) => {
      const message = e instanceof Error ? e.message : String(e);
      onStart(new WorkerCrashError(`${label} could not start: ${message}`));
      if (!s.ready) lastBootFailure = { at: Date.now(), message };
      console.error(`[workers] ${label} ${s.ready ? 'crashed' : 'could not start'}:`, e);
      kill(s, new WorkerCrashError(`${label} ${s.ready ? 'crashed' : 'could not start'}: ${message}`));
    });
    worker.on('exit', (code) => {
      onStart(new WorkerCrashError(`${label} stopped (exit code ${code}) while starting`));
      kill(s, new WorkerCrashError(`${label} stopped (exit code ${code}) before answering`));
    });
    return s;
  };

  const pick = (): Slot => {
    let best: Slot | null = null;
    for (let i = 0; i < size; i++) {
      const s = slots[i];
      if (!s) return start(i); // a free place: start a worker there (spreads the load)
      if (!best || s.pending.size < best.pending.size) best = s;
    }
    return best as Slot;
  };

  return {
    request<P = unknown>(req: Req, options: RequestOptions<P> = {}): Promise<Res> {
      if (closed) return Promise.reject(new WorkerCrashError(`${label} was closed`));
      // a worker that just failed to start is not tried again for a few seconds: the same error, fast
      if (lastBootFailure && Date.now() - lastBootFailure.at < 5000) {
        return Promise.reject(new WorkerCrashError(`${label} could not start: ${lastBootFailure.message}`));
      }
      const checked = spec.request.safeParse(req);
      if (!checked.success) {
        return Promise.reject(new WorkerTaskError('invalid_request', `${spec.name} request: ${checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`));
      }
      let s: Slot;
      try {
        s = pick();
      } catch (e) {
        return Promise.reject(new WorkerCrashError(`${label} could not start: ${e instanceof Error ? e.message : String(e)}`));
      }
      const id = ++nextId;
      return new Promise<Res>((resolve, reject) => {
        const p: Pending = {
          resolve: resolve as (v: unknown) => void,
          reject,
          timeoutMs: options.timeoutMs ?? spec.timeoutMs ?? 30_000,
          ...(options.onProgress ? { onProgress: options.onProgress as (v: unknown) => void } : {}),
        };
        s.pending.set(id, p);
        setRef(s);
        if (s.ready) armTimer(s, id, p);
        post(s, { type: 'request', id, req: checked.data }, options.transfer ?? []);
      });
    },
    warm() {
      if (closed) return;
      for (let i = 0; i < size; i++) if (!slots[i]) start(i);
    },
    async ready() {
      this.warm();
      await Promise.all(slots.map((s) => s?.started));
    },
    inFlight() {
      return slots.reduce((n, s) => n + (s ? s.pending.size : 0), 0);
    },
    async close() {
      closed = true;
      const all = slots.filter((s): s is Slot => s !== null);
      for (const s of all) kill(s, new WorkerCrashError(`${label} was closed`));
    },
  };
}
