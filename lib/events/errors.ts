/**
 * Typed failures of an EventSource. Detection records `kind` and `message` on the rule
 * run; the scheduler retries a window later only when `retryable` is true.
 */

export type EventSourceErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'index_not_found'
  | 'query_error'
  | 'timeout'
  | 'partial'
  | 'unknown';

export interface EventSourceErrorInit {
  kind: EventSourceErrorKind;
  message: string;
  retryable: boolean;
  /** HTTP status of the cluster's answer, when there was one */
  status?: number;
  /** the cluster's own error type, e.g. `verification_exception` */
  reasonType?: string;
  /** the cluster's own reason text, verbatim */
  reason?: string;
  /** how many attempts were made before giving up (1 = no retry) */
  attempts?: number;
  cause?: unknown;
}

export class EventSourceError extends Error {
  readonly kind: EventSourceErrorKind;
  readonly retryable: boolean;
  readonly status?: number;
  readonly reasonType?: string;
  readonly reason?: string;
  attempts: number;

  constructor(init: EventSourceErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'EventSourceError';
    this.kind = init.kind;
    this.retryable = init.retryable;
    this.status = init.status;
    this.reasonType = init.reasonType;
    this.reason = init.reason;
    this.attempts = init.attempts ?? 1;
  }

  /** plain object for logs, run records and JSON responses */
  toJSON(): {
    kind: EventSourceErrorKind;
    message: string;
    retryable: boolean;
    status?: number;
    reasonType?: string;
    attempts: number;
  } {
    return {
      kind: this.kind,
      message: this.message,
      retryable: this.retryable,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.reasonType === undefined ? {} : { reasonType: this.reasonType }),
      attempts: this.attempts,
    };
  }
}

export function isEventSourceError(e: unknown): e is EventSourceError {
  return e instanceof EventSourceError;
}

/** Invalid configuration (environment): names the variable and what is wrong. */
export class EventSourceConfigError extends Error {
  readonly problems: { variable: string; message: string }[];
  constructor(problems: { variable: string; message: string }[]) {
    super(
      'Invalid event source configuration:\n' +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'EventSourceConfigError';
    this.problems = problems;
  }
}
