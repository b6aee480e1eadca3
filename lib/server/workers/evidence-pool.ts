/**
 * Evidence reads off the request thread. `evidenceSource()` is the event source the evidence
 * paths (triage evidence, process tree siblings, investigate blocks, timeline) use: on the
 * embedded store it forwards every call to a small pool of evidence workers, each with its
 * own read-only connection to events.db (evidence-worker.ts), so a slow or locked store
 * never holds the web process's thread; on Elasticsearch (already asynchronous) it is the
 * configured source itself.
 *
 * A store locked by another process fails a call after GUIDEPOST_STORE_BUSY_MS (default
 * 1000 ms) with StoreBusyError (AppError 'store_busy', HTTP 503, "events.db is busy …");
 * inside `failFastWhenStoreBusy` the first such failure ends the whole request at once
 * rather than after every part has failed in turn. A call that gets no answer within
 * GUIDEPOST_EVIDENCE_TIMEOUT_MS (default 10 s) fails the same way and its worker is
 * replaced. Settings: GUIDEPOST_EVIDENCE_WORKERS (pool size, default 2).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { currentEventSource, eventSourceKind, getEventSource } from '@/lib/events';
import { eventsDbPath } from '@/lib/events/embedded/db';
import { embeddedStoreOf } from '@/lib/events/embedded/source';
import type { EventSource } from '@/lib/events/types';
import { spawnWorker, workersEnabled, WorkerTaskError, WorkerTimeoutError, type WorkerPool } from './spawn';
import { evidenceRequestSchema, evidenceResponseSchema, type EvidenceMethod, type EvidenceRequest, type EvidenceResponse } from './evidence-protocol';

/** events.db could not be read because another process holds a lock on it. */
export class StoreBusyError extends AppError {
  constructor(detail: string) {
    super('store_busy', `events.db is busy: ${detail}. Evidence cannot be read right now; try again in a moment (alerts, cases and notes are not affected)`);
    this.name = 'StoreBusyError';
  }
}

const intSetting = (name: string, def: number, min: number, max: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const v = z.coerce.number().int().min(min).max(max).safeParse(raw.trim());
  if (!v.success) throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return v.data;
};

export interface EvidencePoolSettings {
  size: number;
  busyTimeoutMs: number;
  timeoutMs: number;
}

export function evidencePoolSettings(): EvidencePoolSettings {
  return {
    size: intSetting('GUIDEPOST_EVIDENCE_WORKERS', 2, 1, 16),
    busyTimeoutMs: intSetting('GUIDEPOST_STORE_BUSY_MS', 1000, 0, 60_000),
    timeoutMs: intSetting('GUIDEPOST_EVIDENCE_TIMEOUT_MS', 10_000, 100, 600_000),
  };
}

type Pool = WorkerPool<EvidenceRequest, EvidenceResponse>;
const g = globalThis as typeof globalThis & { __guidepostEvidencePool?: { pool: Pool; settings: EvidencePoolSettings } };

function pool(): { pool: Pool; settings: EvidencePoolSettings } {
  if (!g.__guidepostEvidencePool) {
    const settings = evidencePoolSettings();
    const p = spawnWorker({
      name: 'evidence',
      module: 'lib/server/workers/evidence-worker.ts',
      request: evidenceRequestSchema,
      response: evidenceResponseSchema,
      size: settings.size,
      timeoutMs: settings.timeoutMs,
      restartOnTimeout: true,
    });
    p.warm();
    g.__guidepostEvidencePool = { pool: p, settings };
  }
  return g.__guidepostEvidencePool;
}

/** Starts the evidence workers now (server start, tests) and resolves when they are ready. */
export function evidenceWorkersReady(): Promise<void> {
  return pool().pool.ready();
}

/** Whether the evidence workers have been started (server start, or a first evidence read). */
export function evidenceWorkersStarted(): boolean {
  return g.__guidepostEvidencePool !== undefined;
}

/** Ends the evidence workers (tests; a new pool starts on the next call). */
export async function closeEvidencePool(): Promise<void> {
  const cur = g.__guidepostEvidencePool;
  g.__guidepostEvidencePool = undefined;
  await cur?.pool.close();
}

const requestScope = new AsyncLocalStorage<{ fail: (e: Error) => void }>();

async function call(file: string, method: EvidenceMethod, arg: unknown): Promise<unknown> {
  const { pool: p, settings } = pool();
  try {
    const res = await p.request({ file, busyTimeoutMs: settings.busyTimeoutMs, method, arg: arg as EvidenceRequest['arg'] });
    return res.value;
  } catch (e) {
    let err: Error = e instanceof Error ? e : new Error(String(e));
    if (e instanceof WorkerTaskError && e.code === 'store_busy') err = new StoreBusyError(e.message.replace(/^events\.db is busy: /, ''));
    else if (e instanceof WorkerTimeoutError) err = new StoreBusyError(`the read gave no answer within ${settings.timeoutMs} ms`);
    else if (e instanceof WorkerTaskError) err = new Error(e.message); // the store's own message, as the in-thread source gave it
    if (err instanceof StoreBusyError) requestScope.getStore()?.fail(err);
    throw err;
  }
}

const proxies = new Map<string, EventSource>();

function proxyFor(file: string): EventSource {
  let p = proxies.get(file);
  if (p) return p;
  const fwd = <A, R>(method: EvidenceMethod) => (arg: A) => call(file, method, arg) as Promise<R>;
  p = {
    kind: 'embedded',
    // an AbortSignal cannot cross threads: the worker's search runs to its end (bounded by `size`)
    eqlSearch: (req) => {
      const { signal: _signal, ...rest } = req;
      return fwd<typeof rest, Awaited<ReturnType<EventSource['eqlSearch']>>>('eqlSearch')(rest);
    },
    getEvents: (refs) => call(file, 'getEvents', refs) as ReturnType<EventSource['getEvents']>,
    findProcessesByEntityIds: fwd('findProcessesByEntityIds'),
    childProcesses: fwd('childProcesses'),
    entityEvents: fwd('entityEvents'),
    authenticationEvents: fwd('authenticationEvents'),
    executablePrevalence: fwd('executablePrevalence'),
    health: () => call(file, 'health', undefined) as ReturnType<EventSource['health']>,
  };
  proxies.set(file, p);
  return p;
}

/**
 * The file of the embedded store in use (null for Elasticsearch, an in-memory store, or a
 * store not opened yet whose file does not exist: its first use creates it), found without
 * opening the store in this thread (an open can meet a lock held by another process).
 */
export function eventStoreFile(): string | null {
  const source = currentEventSource();
  if (!source) {
    if (eventSourceKind() !== 'embedded') return null;
    const file = eventsDbPath();
    return existsSync(file) ? file : null;
  }
  const store = embeddedStoreOf(source);
  return store && store.file !== ':memory:' && store.file !== '' ? store.file : null;
}

/**
 * The source for evidence reads: the configured source, its embedded store's calls run in
 * the evidence workers (GUIDEPOST_WORKERS=off, an in-memory store or Elasticsearch: the
 * source itself).
 */
export function evidenceSource(): EventSource {
  if (!workersEnabled()) return getEventSource();
  const source = currentEventSource();
  if (!source) {
    // not built yet: this thread does not open events.db for it (an open can meet a lock);
    // the embedded source would read the default file, and so do the workers. A file that
    // does not exist yet is created here (nobody can hold a lock on it)
    if (eventSourceKind() !== 'embedded') return getEventSource();
    const file = eventsDbPath();
    return existsSync(file) ? proxyFor(file) : getEventSource();
  }
  const store = embeddedStoreOf(source);
  if (!store || store.file === ':memory:' || store.file === '') return source;
  return proxyFor(store.file);
}

/**
 * Runs `fn` (one request's evidence reads); the first StoreBusyError of any of its reads
 * rejects the result at once, whatever parts are still under way.
 */
export function failFastWhenStoreBusy<T>(fn: () => Promise<T>): Promise<T> {
  let fail: (e: Error) => void = () => undefined;
  const busy = new Promise<never>((_, reject) => {
    fail = reject;
  });
  busy.catch(() => undefined);
  return Promise.race([requestScope.run({ fail }, fn), busy]);
}
