import type { z } from 'zod';
import { apiErrorBodySchema } from '@/lib/contracts/errors';
import type { AppErrorCode, AppErrorDetails } from '@/lib/errors';

/** What went wrong on the client's side of the wire: no answer, an answer it cannot read, an error without the envelope. */
export type ClientErrorCode = 'network' | 'bad_response' | 'http_error';

/**
 * An error answered by the API (envelope `{ error: { code, message, details? } }`) or by the
 * network. The code says what happened (the page words it in the user's language: lib/i18n/messages/errors);
 * the message is the server's own (English, naming who or what); details say where.
 */
export class ApiError extends Error {
  readonly code: AppErrorCode | ClientErrorCode | (string & {});
  readonly status: number;
  /** seconds the server asked to wait (Retry-After), when it said */
  readonly retryAfter: number | null;
  /** where: the request field, a line and column */
  readonly details: AppErrorDetails | null;
  constructor(code: string, message: string, status: number, retryAfter: number | null = null, details: AppErrorDetails | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
    this.details = details;
  }
}

/** Retry-After in seconds (the delta form; an HTTP date or anything else gives null). */
export function retryAfterSeconds(header: string | null): number | null {
  return header && /^\d+$/.test(header.trim()) ? Number(header.trim()) : null;
}

export interface FetchJsonInit {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  formData?: FormData;
  /** a file or blob sent as the raw body (streamed by the browser) */
  blob?: Blob;
  signal?: AbortSignal;
  /** the browser cache's part: 'no-cache' revalidates a kept answer (ETag → 304); default 'no-store' */
  cache?: RequestCache;
  /** statuses whose body is still the answer (e.g. 503 from /api/health) */
  acceptStatuses?: number[];
}

/** The one fetch wrapper of the client: JSON in, zod-checked JSON out, API errors thrown as ApiError. */
export async function fetchJson<S extends z.ZodType>(url: string, schema: S, init: FetchJsonInit = {}): Promise<z.infer<S>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (init.formData) body = init.formData;
  else if (init.blob) {
    headers['content-type'] = 'application/octet-stream';
    body = init.blob;
  }
  else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method: init.method ?? 'GET', headers, body, signal: init.signal, cache: init.cache ?? 'no-store' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('network', `The server did not answer (${err instanceof Error ? err.message : String(err)})`, 0);
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError('bad_response', `${url} answered ${res.status} with a body that is not JSON`, res.status);
    }
  }
  if (!res.ok && !(init.acceptStatuses ?? []).includes(res.status)) {
    const parsed = apiErrorBodySchema.safeParse(json);
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      throw new ApiError(code, message, res.status, retryAfterSeconds(res.headers.get('retry-after')), details ?? null);
    }
    throw new ApiError('http_error', `${url} answered ${res.status} ${res.statusText}`, res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? first.path.join('.') || '(root)' : '(root)';
    throw new ApiError('bad_response', `${url} answered an unexpected shape at ${where}: ${first?.message ?? 'invalid'}`, res.status);
  }
  return parsed.data;
}

/** The error's own message (the server's English). For the user, word it by code instead: lib/queries/error-text `describeError` (or `useErrorText`). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
