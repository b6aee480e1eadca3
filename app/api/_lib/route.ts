import 'server-only';
import { etagMatches, type RevalidatableJson } from '@/lib/server/revalidate';
import { NextResponse, type NextRequest } from 'next/server';
import type { z } from 'zod';
import { describeIssues } from '@/lib/contracts/errors';
import { AppError, type AppErrorCode } from '@/lib/errors';
import { EventSourceError } from '@/lib/events/errors';
import { authenticate, can, isCrossSite, type Action, type User } from '@/lib/auth';

/**
 * The errors of libraries that are not AppErrors, converted here and nowhere else: an event
 * source failure is the upstream's. Anything else is a 500 whose details go to the log only.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof EventSourceError) return new AppError('upstream_unavailable', `The event source failed: ${err.message}`, { cause: err });
  console.error('[api] unhandled error', err);
  return new AppError('internal', 'Internal error; the server log has the details.');
}

/** `{ error: { code, message, details? } }` with the code's status (and Retry-After when the error says how long). */
export function errorResponse(err: AppError): NextResponse;
export function errorResponse(code: AppErrorCode, message: string): NextResponse;
export function errorResponse(errOrCode: AppError | AppErrorCode, message?: string): NextResponse {
  const err = errOrCode instanceof AppError ? errOrCode : new AppError(errOrCode, message ?? errOrCode);
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (err.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfterMs / 1000)));
  const body = { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
  return NextResponse.json(body, { status: err.status, headers });
}

export interface RouteContext<P> {
  req: NextRequest;
  params: P;
  /** who is acting: the signed-in user's name ('anonymous' on a public route) */
  actor: string;
  /** the signed-in user (null only on a public route) */
  user: User | null;
}

/** The signed-in user of a route that is not public (withRoute has checked it). */
export function signedIn(user: User | null): User {
  if (!user) throw new AppError('unauthorized', 'sign in first');
  return user;
}

export interface RouteOptions {
  /** no session needed: /api/health and the sign-in itself (a state-changing public request must still come from our own pages) */
  public?: boolean;
  /** what the caller's role must allow (default 'read'); checked with lib/auth `can()` */
  action?: Action;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

type Handler<P> = (ctx: RouteContext<P>) => Promise<Response> | Response;

const refuse = (code: AppErrorCode, message: string) => errorResponse(new AppError(code, message));

/**
 * Every API route goes through here: one place for authentication (issue 6), error
 * envelopes and logging. Handlers parse, authorize, call one lib function and answer.
 */
export function withRoute<P extends Record<string, string> = Record<string, never>>(handler: Handler<P>, options: RouteOptions = {}) {
  return async (req: NextRequest, segment?: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = segment?.params ? await segment.params : ({} as P);
      if (options.public) {
        if (isCrossSite(req.method, req.url, req.headers, null)) {
          return refuse('forbidden', 'cross-site request refused: state-changing requests must come from Guidepost\'s own pages');
        }
        return await handler({ req, params, actor: 'anonymous', user: null });
      }
      const principal = authenticate(req.headers);
      if (!principal) return refuse('unauthorized', 'sign in first (or send an API token as Authorization: Bearer …)');
      if (isCrossSite(req.method, req.url, req.headers, principal.via)) {
        return refuse('forbidden', 'cross-site request refused: state-changing requests must come from Guidepost\'s own pages');
      }
      const action = options.action ?? 'read';
      if (!can(principal.user.role, action)) {
        return refuse('forbidden', `your role (${principal.user.role}) may not do this (${action})`);
      }
      if (principal.scope === 'read' && (action !== 'read' || !READ_METHODS.has(req.method.toUpperCase()))) {
        return refuse('forbidden', 'this API token is read-only: it may only read (GET)');
      }
      return await handler({ req, params, actor: principal.user.name, user: principal.user });
    } catch (err) {
      return errorResponse(toAppError(err));
    }
  };
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path ?? [];
    throw new AppError('invalid_request', `${what}: ${describeIssues(parsed.error)}`, path.length ? { details: { field: path.join('.') } } : {});
  }
  return parsed.data;
}

/** the query of a request as a record (a repeated key gives an array), read once per request */
const queries = new WeakMap<NextRequest, Record<string, string | string[]>>();

function queryOf(req: NextRequest): Record<string, string | string[]> {
  let raw = queries.get(req);
  if (raw) return raw;
  raw = {};
  for (const [key, value] of req.nextUrl.searchParams) {
    const prev = raw[key];
    raw[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  queries.set(req, raw);
  return raw;
}

/** The query, validated by `schema` (a route may read it with more than one schema). */
export function parseSearchParams<S extends z.ZodType>(req: NextRequest, schema: S): z.infer<S> {
  return parseWith(schema, queryOf(req), 'query');
}

/** The most a JSON request body may have (1 MiB); larger ones get 413. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export interface JsonBodyOptions {
  /** a route's own limit in bytes (default MAX_JSON_BODY_BYTES) */
  maxBytes?: number;
}

/**
 * The media type of a Content-Type header (RFC 9110 §8.3.1: type "/" subtype, then
 * parameters), lower-cased, or null when there is none or it is malformed. Only the part
 * before the first `;` is the type: `text/plain; x=application/json` is text/plain.
 */
export function mediaTypeOf(header: string | null): { type: string; params: Record<string, string> } | null {
  if (!header) return null;
  const [head, ...rest] = header.split(';');
  const type = head!.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return null;
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (key && !(key in params)) params[key] = value.toLowerCase();
  }
  return { type, params };
}

const formatBytes = (n: number) => (n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`);

/**
 * Read a request body as text, at most `maxBytes` (413 past it, without reading the rest).
 * A declared Content-Length over the limit is refused before anything is read.
 */
export async function readBodyText(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<string> {
  const tooLarge = () =>
    new AppError('payload_too_large', `the request body is larger than ${formatBytes(maxBytes)}, the most this route accepts; send less`);
  const declared = req.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch (err) {
      throw new AppError('invalid_request', `the request body could not be read (${err instanceof Error ? err.message : 'read error'})`);
    }
    if (step.done) break;
    size += step.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(step.value);
  }
  const bytes = Buffer.concat(chunks, size);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError('invalid_request', 'the request body is not valid UTF-8');
  }
}

export async function parseJsonBody<S extends z.ZodType>(req: NextRequest, schema: S, options: JsonBodyOptions = {}): Promise<z.infer<S>> {
  const media = mediaTypeOf(req.headers.get('content-type'));
  if (media?.type !== 'application/json') {
    throw new AppError('unsupported_media_type', 'send the body as application/json (Content-Type: application/json)');
  }
  const charset = media.params.charset;
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError('unsupported_media_type', `send the JSON body as UTF-8 (charset=${charset} is not accepted)`);
  }
  const text = await readBodyText(req, options.maxBytes ?? MAX_JSON_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_request', `body is not valid JSON (${err instanceof Error ? err.message : 'parse error'})`);
  }
  return parseWith(schema, json, 'body');
}

/**
 * Below this many bytes an answer goes out as it is. Next gzips every answer whose length it
 * does not know, which is all of them (it drops a route's Content-Length); for a few hundred
 * bytes that cost more CPU than the rest of the request (~0.6 ms on /api/auth/me) and saves
 * next to nothing on the wire. The `compression` middleware's own threshold is the same 1 KiB.
 */
const SEND_UNCOMPRESSED_BELOW = 1024;

/**
 * A prepared answer the client may keep and revalidate (`private, no-cache` + ETag): 304 with
 * no body when the request's If-None-Match names it. For polled lists that are not secrets
 * (the rules); the alert answers stay `no-store`.
 */
export function revalidatedJson(req: Request, answer: RevalidatableJson): NextResponse {
  const headers = { etag: answer.etag, 'cache-control': 'private, no-cache' };
  if (etagMatches(req.headers.get('if-none-match'), answer.etag)) return new NextResponse(null, { status: 304, headers });
  return new NextResponse(answer.text, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
}

export function json(data: unknown, status = 200): NextResponse {
  const text = JSON.stringify(data);
  const small = text.length < SEND_UNCOMPRESSED_BELOW && Buffer.byteLength(text) < SEND_UNCOMPRESSED_BELOW;
  const cacheControl = small ? 'no-store, no-transform' : 'no-store';
  return new NextResponse(text, { status, headers: { 'content-type': 'application/json', 'cache-control': cacheControl } });
}
