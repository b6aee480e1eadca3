import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import type { z } from 'zod';
import { apiErrorStatus, describeIssues, isApiErrorCode, type ApiErrorCode } from '@/lib/contracts/errors';

/** An error a route answers with its own code and message (the message is shown to the user). */
export class RouteError extends Error {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'RouteError';
    this.code = code;
  }
}

export function errorResponse(code: ApiErrorCode, message: string): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status: apiErrorStatus[code] });
}

/** Library errors carry a snake_case `code` (AppError); known codes keep their message. */
function toErrorResponse(err: unknown): NextResponse {
  if (err instanceof RouteError) return errorResponse(err.code, err.message);
  if (err instanceof Error && err.name === 'EventSourceError') {
    return errorResponse('upstream_unavailable', `The event source failed: ${err.message}`);
  }
  if (err instanceof Error && 'code' in err) {
    const code = (err as Error & { code: unknown }).code;
    if (isApiErrorCode(code) && code !== 'internal') return errorResponse(code, err.message);
    if (code === 'stale_version' || code === 'version_conflict') return errorResponse('conflict', err.message);
    if (code === 'invalid' || code === 'validation') return errorResponse('invalid_request', err.message);
    if (code === 'unavailable') return errorResponse('upstream_unavailable', err.message);
  }
  console.error('[api] unhandled error', err);
  return errorResponse('internal', 'Internal error; the server log has the details.');
}

export interface RouteContext<P> {
  req: NextRequest;
  params: P;
  /** who is acting; sign-in (issue 6) will set it from the session */
  actor: string;
}

export interface RouteOptions {
  /** /api/health is the only public route */
  public?: boolean;
}

type Handler<P> = (ctx: RouteContext<P>) => Promise<Response> | Response;

/**
 * Every API route goes through here: one place for authentication (issue 6), error
 * envelopes and logging. Handlers parse, call one lib function and answer.
 */
export function withRoute<P extends Record<string, string> = Record<string, never>>(handler: Handler<P>, _options: RouteOptions = {}) {
  return async (req: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = segment?.params ? await segment.params : ({} as P);
      const actor = 'analyst';
      return await handler({ req, params, actor });
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RouteError('invalid_request', `${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function parseSearchParams<S extends z.ZodType>(req: NextRequest, schema: S): z.infer<S> {
  const raw: Record<string, string | string[]> = {};
  for (const [key, value] of req.nextUrl.searchParams) {
    const prev = raw[key];
    raw[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return parseWith(schema, raw, 'query');
}

export async function parseJsonBody<S extends z.ZodType>(req: NextRequest, schema: S): Promise<z.infer<S>> {
  const type = req.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) throw new RouteError('unsupported_media_type', 'send the body as application/json');
  const text = await req.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RouteError('invalid_request', `body is not valid JSON (${err instanceof Error ? err.message : 'parse error'})`);
  }
  return parseWith(schema, json, 'body');
}

export function json(data: unknown, status = 200): NextResponse {
  return NextResponse.json(data, { status, headers: { 'cache-control': 'no-store' } });
}

/** For a lib function that has not landed yet: say so plainly, never fake data. */
export function notAvailable(what: string): NextResponse {
  return errorResponse('not_available', `${what} is not available in this build yet`);
}
