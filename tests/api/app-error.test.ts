/**
 * One error type, one mapping: withRoute answers an AppError (or a domain error that is one)
 * with the code's status and `{ error: { code, message, details? } }`; an event source failure
 * is converted in that one place; anything else is a 500 that says nothing of its insides —
 * an Error that merely carries a `code` property is not trusted by its name any more.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { NextRequest } from 'next/server';
import { z } from 'zod';
import { STATUS_CODES } from 'node:http';
import { AppError, appErrorCodes, type AppErrorCode } from '@/lib/errors';
import { AuthError, SignInThrottled } from '@/lib/auth';
import { CaseError } from '@/lib/cases';
import { ExceptionPolicyError } from '@/lib/detection/exceptions';
import { EventSourceError } from '@/lib/events/errors';
import { GroupingConfigError } from '@/lib/incidents/config';
import { IngestInputError } from '@/lib/events/ingest';
import { useMemoryDb } from '@/lib/store/db';
import { parseJsonBody, withRoute } from '@/app/api/_lib/route';

const BASE = 'http://127.0.0.1:3000';

beforeEach(() => {
  useMemoryDb();
});

/** A public route that throws `err` (or runs `body`), called once. */
async function answerOf(throwing: (req: NextRequest) => unknown, init: { method?: string; body?: string } = {}) {
  const route = withRoute(async ({ req }) => {
    await throwing(req);
    return new Response('unreachable');
  }, { public: true });
  const req = new NextRequest(`${BASE}/api/x`, {
    method: init.method ?? 'GET',
    headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', ...(init.method && init.method !== 'GET' ? { origin: BASE } : {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const res = await route(req);
  return { status: res.status, headers: res.headers, body: (await res.json()) as { error: Record<string, unknown> } };
}

describe('AppError', () => {
  // What each code means in HTTP, written as the reason phrase the status carries (RFC 9110 as
  // Node's STATUS_CODES words it): the status numbers come from lib/errors and are checked, not restated.
  const meaning: Record<AppErrorCode, string> = {
    invalid_request: 'Bad Request',
    unauthorized: 'Unauthorized',
    forbidden: 'Forbidden',
    not_found: 'Not Found',
    conflict: 'Conflict',
    payload_too_large: 'Payload Too Large',
    unsupported_media_type: 'Unsupported Media Type',
    rate_limited: 'Too Many Requests',
    internal: 'Internal Server Error',
    upstream_unavailable: 'Bad Gateway',
    not_available: 'Service Unavailable',
    store_busy: 'Service Unavailable',
  };

  test.each(appErrorCodes)('withRoute answers %s with the status that means it', async (code) => {
    const res = await answerOf(() => {
      throw new AppError(code, 'm');
    });
    expect(STATUS_CODES[res.status]).toBe(meaning[code]);
    expect(res.body.error.code).toBe(code);
    expect(new AppError(code, 'm').status).toBe(res.status);
  });

  test('withRoute answers the code, the message and where (details)', async () => {
    const res = await answerOf(() => {
      throw new AppError('invalid_request', 'query: line 2 has a stray quote', { details: { field: 'query', line: 2, column: 7 } });
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_request', message: 'query: line 2 has a stray quote', details: { field: 'query', line: 2, column: 7 } } });
  });

  test('without details the envelope is code and message only', async () => {
    const res = await answerOf(() => {
      throw new AppError('not_found', 'no rule with rule_id r1');
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no rule with rule_id r1' } });
  });

  test.each([
    ['CaseError conflict', () => new CaseError('conflict', 'changed since version 3', 4), 409, 'conflict'],
    ['CaseError forbidden', () => new CaseError('forbidden', 'this alert is assigned to bob'), 403, 'forbidden'],
    ['AuthError (a user that exists)', () => new AuthError('conflict', "user 'ana' already exists"), 409, 'conflict'],
    ['AuthError (a bad token option)', () => new AuthError('invalid_request', 'a token name has 1 to 100 characters'), 400, 'invalid_request'],
    ['ExceptionPolicyError', () => new ExceptionPolicyError('only leads may approve'), 403, 'forbidden'],
    ['GroupingConfigError', () => new GroupingConfigError('GUIDEPOST_INCIDENT_KEYS: bad'), 400, 'invalid_request'],
    ['IngestInputError', () => new IngestInputError('the input is binary'), 400, 'invalid_request'],
  ] as const)('a domain error is an AppError: %s → %i', async (_name, make, status, code) => {
    const err = make();
    expect(err).toBeInstanceOf(AppError);
    const res = await answerOf(() => {
      throw err;
    });
    expect(res.status).toBe(status);
    expect(res.body.error).toEqual({ code, message: err.message });
  });

  test('a throttled sign-in answers 429 with Retry-After in whole seconds (at least 1)', async () => {
    const slow = await answerOf(() => {
      throw new SignInThrottled('too many failed sign-ins; try again in 3 s', 2_100);
    });
    expect(slow.status).toBe(429);
    expect(slow.headers.get('retry-after')).toBe('3');
    expect(slow.body.error).toEqual({ code: 'rate_limited', message: 'too many failed sign-ins; try again in 3 s' });
    const soon = await answerOf(() => {
      throw new SignInThrottled('another sign-in is being checked', 10);
    });
    expect(soon.headers.get('retry-after')).toBe('1');
  });

  test('an event source failure is the upstream\'s (502), converted in withRoute', async () => {
    const res = await answerOf(() => {
      throw new EventSourceError({ kind: 'unreachable', retryable: true, message: 'connect ECONNREFUSED 127.0.0.1:9200' });
    });
    expect(res.status).toBe(502);
    expect(res.body.error).toEqual({ code: 'upstream_unavailable', message: 'The event source failed: connect ECONNREFUSED 127.0.0.1:9200' });
  });

  test('an Error carrying a code-like property is not guessed at: 500, and nothing of it is sent', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const code of ['not_found', 'exists', 'stale_version', 'validation']) {
        const res = await answerOf(() => {
          throw Object.assign(new Error(`secret path /var/lib/x (${code})`), { code });
        });
        expect(res.status).toBe(500);
        expect(res.body.error).toEqual({ code: 'internal', message: 'Internal error; the server log has the details.' });
      }
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  test('a body that fails its schema names the first field in details', async () => {
    const schema = z.object({ assignee: z.string().min(2), note: z.string() }).strict();
    const res = await answerOf((req) => parseJsonBody(req, schema), { method: 'POST', body: '{"assignee":"a","note":"n"}' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(/^body: assignee: /);
    expect(res.body.error.details).toEqual({ field: 'assignee' });
  });
});
