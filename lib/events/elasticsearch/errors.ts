/**
 * Maps what @elastic/elasticsearch throws to EventSourceError, and retries transient
 * failures (connection, timeout, 429, 502/503/504) with exponential backoff. Client
 * errors (400, 401, 403, 404) are never retried: the same request fails the same way.
 */
import { errors } from '@elastic/elasticsearch';
import { z } from 'zod';
import { EventSourceError } from '../errors';

const causeSchema = z.looseObject({ type: z.string().optional(), reason: z.string().nullish() });
const errorBodySchema = z.looseObject({
  error: z.union([
    z.string(),
    z.looseObject({
      type: z.string().optional(),
      reason: z.string().nullish(),
      root_cause: z.array(causeSchema).optional(),
      caused_by: causeSchema.optional(),
      'resource.id': z.union([z.string(), z.array(z.string())]).optional(),
      index: z.string().optional(),
    }),
  ]),
  status: z.number().optional(),
});

interface ClusterReason {
  type?: string;
  reason?: string;
  index?: string;
}

/** The most telling type + reason of an Elasticsearch error body. */
export function clusterReason(body: unknown): ClusterReason {
  const parsed = errorBodySchema.safeParse(typeof body === 'string' ? safeJson(body) : body);
  if (!parsed.success) return typeof body === 'string' && body.trim() !== '' ? { reason: body.slice(0, 500) } : {};
  const err = parsed.data.error;
  if (typeof err === 'string') return { reason: err };
  const root = err.root_cause?.[0];
  // a search_phase_execution_exception wraps the real cause
  const deepest =
    err.type === 'search_phase_execution_exception' && err.caused_by?.reason
      ? err.caused_by
      : root && root.reason
        ? root
        : err;
  const idx = err.index ?? (typeof err['resource.id'] === 'string' ? err['resource.id'] : undefined);
  return { type: deepest.type ?? err.type, reason: deepest.reason ?? err.reason ?? undefined, index: idx };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const TLS_FAILURE =
  /self[- ]signed certificate|unable to (get|verify) (local )?(issuer )?certificate|certificate (has expired|is not yet valid)|Hostname\/IP does not match|ERR_TLS_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_HAS_EXPIRED/i;

function causeText(e: Error): string {
  const c = (e as { cause?: unknown }).cause;
  if (c instanceof Error) return `${c.message} ${'code' in c ? String((c as { code: unknown }).code) : ''}`;
  return '';
}

export function toEventSourceError(e: unknown, what = 'Elasticsearch request'): EventSourceError {
  if (e instanceof EventSourceError) return e;
  if (e instanceof errors.ResponseError) {
    const status = e.statusCode ?? e.meta?.statusCode ?? 0;
    const { type, reason, index } = clusterReason(e.body);
    const detail = `${type ?? `HTTP ${status}`}${reason ? `: ${reason}` : ''}`;
    const base = { status, reasonType: type, reason, cause: e };
    if (status === 401) {
      return new EventSourceError({
        ...base,
        kind: 'unauthorized',
        retryable: false,
        message: `${what}: the cluster refused the credentials (401 ${detail}). Check ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD.`,
      });
    }
    if (status === 403) {
      return new EventSourceError({
        ...base,
        kind: 'forbidden',
        retryable: false,
        message: `${what}: the credentials lack a privilege (403 ${detail}). The API key needs read and view_index_metadata on the rule indices.`,
      });
    }
    if (type === 'index_not_found_exception' || (status === 404 && type === undefined)) {
      return new EventSourceError({
        ...base,
        kind: 'index_not_found',
        retryable: false,
        message: `${what}: index not found${index ? ` [${index}]` : ''} (${detail})`,
      });
    }
    if (status === 408 || type === 'timeout_exception' || type === 'receive_timeout_transport_exception') {
      return new EventSourceError({ ...base, kind: 'timeout', retryable: true, message: `${what} timed out on the cluster (${detail})` });
    }
    if (status === 429 || status === 502 || status === 503 || status === 504) {
      return new EventSourceError({
        ...base,
        kind: status === 429 ? 'unknown' : 'unreachable',
        retryable: true,
        message:
          status === 429
            ? `${what}: the cluster is overloaded (429 ${detail})`
            : `${what}: the cluster is unavailable (${status} ${detail})`,
      });
    }
    if (status === 400) {
      return new EventSourceError({
        ...base,
        kind: 'query_error',
        retryable: false,
        message: `${what}: the cluster rejected the query (${detail})`,
      });
    }
    return new EventSourceError({ ...base, kind: 'unknown', retryable: false, message: `${what} failed (${status} ${detail})` });
  }
  if (e instanceof errors.TimeoutError) {
    return new EventSourceError({ kind: 'timeout', retryable: true, message: `${what} timed out (${e.message})`, cause: e });
  }
  if (e instanceof errors.ConnectionError && TLS_FAILURE.test(`${e.message} ${causeText(e)}`)) {
    // the certificate will not change by itself: no retry, say what to configure
    return new EventSourceError({
      kind: 'unreachable',
      retryable: false,
      message: `${what}: the cluster's TLS certificate was not accepted (${e.message}). Set ELASTICSEARCH_CA_CERT to the CA that signed it.`,
      cause: e,
    });
  }
  if (e instanceof errors.ConnectionError || e instanceof errors.NoLivingConnectionsError) {
    return new EventSourceError({
      kind: 'unreachable',
      retryable: true,
      message: `${what}: cannot reach the cluster (${e.message})`,
      cause: e,
    });
  }
  if (e instanceof errors.RequestAbortedError) {
    return new EventSourceError({ kind: 'unknown', retryable: false, message: `${what} was aborted`, cause: e });
  }
  if (e instanceof errors.ProductNotSupportedError) {
    return new EventSourceError({
      kind: 'unknown',
      retryable: false,
      message: `${what}: the server at ELASTICSEARCH_URL is not Elasticsearch (${e.message})`,
      cause: e,
    });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new EventSourceError({ kind: 'unknown', retryable: false, message: `${what} failed: ${msg}`, cause: e });
}

export interface RetryOptions {
  /** retries after the first attempt (default 3) */
  retries?: number;
  /** first backoff, doubled each time (default 250 ms) */
  baseDelayMs?: number;
  /** cap of one backoff (default 4000 ms) */
  maxDelayMs?: number;
  /** injectable for tests */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** 0..1, default Math.random */
  random?: () => number;
  signal?: AbortSignal;
  /** called before each retry (attempt = the one about to run, 2-based) */
  onRetry?: (err: EventSourceError, attempt: number, delayMs: number) => void;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fn`, retrying retryable EventSourceErrors with full-jitter exponential backoff. */
export async function withRetry<T>(fn: () => Promise<T>, what: string, opts: RetryOptions = {}): Promise<T> {
  const retries = opts.retries ?? 3;
  const base = opts.baseDelayMs ?? 250;
  const cap = opts.maxDelayMs ?? 4000;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (raw) {
      const err = toEventSourceError(raw, what);
      err.attempts = attempt;
      if (!err.retryable || attempt > retries || opts.signal?.aborted) throw err;
      const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
      const delay = Math.round(ceiling / 2 + (random() * ceiling) / 2);
      opts.onRetry?.(err, attempt + 1, delay);
      try {
        await sleep(delay, opts.signal);
      } catch {
        throw err;
      }
    }
  }
}
