/**
 * The one error type the HTTP API answers with: a code from a fixed union, the status that
 * code means, a message safe to show the user (it names the field, user or version, never a
 * secret or a stack) and optional details saying where (field, line, column).
 * Framework-free: the server maps it to `{ error: { code, message, details? } }`, the client
 * reads the code back (lib/queries/fetch-json) and words it in the user's language.
 */

/** Every code the API answers with, and its HTTP status. */
export const appErrorStatus = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  upstream_unavailable: 502,
  not_available: 503,
  /** events.db is locked by another process: evidence reads fail fast rather than wait (issue 11) */
  store_busy: 503,
} as const;

export type AppErrorCode = keyof typeof appErrorStatus;

export const appErrorCodes = Object.keys(appErrorStatus) as AppErrorCode[];

export function isAppErrorCode(code: unknown): code is AppErrorCode {
  return typeof code === 'string' && Object.hasOwn(appErrorStatus, code);
}

/** Where the problem is: a request field (`assignee`, `entries.0.field`), a line and column of a text. */
export interface AppErrorDetails {
  field?: string;
  line?: number;
  column?: number;
}

export interface AppErrorOptions {
  details?: AppErrorDetails;
  /** for rate_limited: how long the caller should wait (sent as Retry-After) */
  retryAfterMs?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: AppErrorDetails;
  readonly retryAfterMs?: number;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    if (options.details && Object.keys(options.details).length > 0) this.details = options.details;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  get status(): number {
    return appErrorStatus[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
