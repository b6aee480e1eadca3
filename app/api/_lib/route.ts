import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import type { z } from 'zod';
import { apiErrorStatus, describeIssues, isApiErrorCode, type ApiErrorCode } from '@/lib/contracts/errors';
import { authenticate, can, canWorkAlert, isCrossSite, type Action, type User } from '@/lib/auth';

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
    if (code === 'stale_version' || code === 'version_conflict' || code === 'exists') return errorResponse('conflict', err.message);
    if (code === 'invalid' || code === 'validation') return errorResponse('invalid_request', err.message);
    if (code === 'unavailable') return errorResponse('upstream_unavailable', err.message);
  }
  console.error('[api] unhandled error', err);
  return errorResponse('internal', 'Internal error; the server log has the details.');
}

export interface RouteContext<P> {
  req: NextRequest;
  params: P;
  /** who is acting: the signed-in user's name ('anonymous' on the public route) */
  actor: string;
  /** the signed-in user (null only on a public route) */
  user: User | null;
}

export interface RouteOptions {
  /** /api/health is the only public route */
  public?: boolean;
  /** what the caller's role must allow (default 'read'); checked with lib/auth `can()` */
  action?: Action;
}

/** An analyst works alerts assigned to them or unassigned; leads and admins work any (403 otherwise). */
export function requireWork(user: User | null, assignee: string | null): void {
  if (!user || !canWorkAlert(user, assignee)) {
    throw new RouteError('forbidden', `this alert is assigned to ${assignee ?? 'nobody'}; only they or a lead may work it`);
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);

type Handler<P> = (ctx: RouteContext<P>) => Promise<Response> | Response;

/**
 * Every API route goes through here: one place for authentication (issue 6), error
 * envelopes and logging. Handlers parse, call one lib function and answer.
 */
export function withRoute<P extends Record<string, string> = Record<string, never>>(handler: Handler<P>, options: RouteOptions = {}) {
  return async (req: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = segment?.params ? await segment.params : ({} as P);
      if (options.public) return await handler({ req, params, actor: 'anonymous', user: null });
      const principal = authenticate(req.headers);
      if (!principal) return errorResponse('unauthorized', 'sign in first (or send an API token as Authorization: Bearer …)');
      if (isCrossSite(req.method, req.url, req.headers, principal.via)) {
        return errorResponse('forbidden', 'cross-site request refused: state-changing requests must come from Guidepost\'s own pages');
      }
      const action = options.action ?? 'read';
      if (!can(principal.user.role, action)) {
        return errorResponse('forbidden', `your role (${principal.user.role}) may not do this (${action})`);
      }
      if (principal.scope === 'read' && (action !== 'read' || !READ_METHODS.has(req.method.toUpperCase()))) {
        return errorResponse('forbidden', 'this API token is read-only: it may only read (GET)');
      }
      return await handler({ req, params, actor: principal.user.name, user: principal.user });
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
    new RouteError('payload_too_large', `the request body is larger than ${formatBytes(maxBytes)}, the most this route accepts; send less`);
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
      throw new RouteError('invalid_request', `the request body could not be read (${err instanceof Error ? err.message : 'read error'})`);
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
    throw new RouteError('invalid_request', 'the request body is not valid UTF-8');
  }
}

export async function parseJsonBody<S extends z.ZodType>(req: NextRequest, schema: S, options: JsonBodyOptions = {}): Promise<z.infer<S>> {
  const media = mediaTypeOf(req.headers.get('content-type'));
  if (media?.type !== 'application/json') {
    throw new RouteError('unsupported_media_type', 'send the body as application/json (Content-Type: application/json)');
  }
  const charset = media.params.charset;
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new RouteError('unsupported_media_type', `send the JSON body as UTF-8 (charset=${charset} is not accepted)`);
  }
  const text = await readBodyText(req, options.maxBytes ?? MAX_JSON_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RouteError('invalid_request', `body is not valid JSON (${err instanceof Error ? err.message : 'parse error'})`);
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

export function json(data: unknown, status = 200): NextResponse {
  const text = JSON.stringify(data);
  const small = text.length < SEND_UNCOMPRESSED_BELOW && Buffer.byteLength(text) < SEND_UNCOMPRESSED_BELOW;
  const cacheControl = small ? 'no-store, no-transform' : 'no-store';
  return new NextResponse(text, { status, headers: { 'content-type': 'application/json', 'cache-control': cacheControl } });
}

/** For a lib function that has not landed yet: say so plainly, never fake data. */
export function notAvailable(what: string): NextResponse {
  return errorResponse('not_available', `${what} is not available in this build yet`);
}
