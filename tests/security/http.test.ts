/** Issue 13, items 4 and 5 and the media-type Low item: request body limits, Content-Type, /api/health. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NextRequest } from 'next/server';
import { z } from 'zod';
import { useMemoryDb } from '@/lib/store/db';
import { signedInCookies, signedInTeam } from '@/tests/support/sessions';
import { MAX_JSON_BODY_BYTES, mediaTypeOf, parseJsonBody } from '@/app/api/_lib/route';
import { AppError } from '@/lib/errors';
import { POST as signInRoute } from '@/app/api/auth/signin/route';
import { PATCH as mePatch } from '@/app/api/auth/me/route';
import { GET as health } from '@/app/api/health/route';
import { redactSecrets, resetHealthCache } from '@/lib/server/health';
import { setEventSourceForTesting, getEventSource } from '@/lib/events';
import type { EventSource } from '@/lib/events/types';

const BASE = 'http://127.0.0.1:3000';
const segment = { params: Promise.resolve({}) };
const cookies = signedInTeam({ vic: 'viewer', adm: 'admin' });

beforeEach(() => {
  resetHealthCache();
});
afterEach(() => {
  setEventSourceForTesting(undefined);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function post(pathname: string, body: BodyInit, headers: Record<string, string> = {}, method = 'POST') {
  return new NextRequest(`${BASE}${pathname}`, {
    method,
    headers: { host: '127.0.0.1:3000', origin: BASE, 'content-type': 'application/json', ...headers },
    body,
    // a streamed body needs this in Node's fetch
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as ConstructorParameters<typeof NextRequest>[1]);
}

/** a body of `total` bytes in 64 KiB chunks, counting how much of it was pulled */
function bigStream(total: number) {
  const pulled = { bytes: 0 };
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close();
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled };
}

async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe('JSON body limits', () => {
  it('the unauthenticated sign-in refuses a 2 MiB body with 413 and a clear message', async () => {
    const huge = JSON.stringify({ name: 'x', password: 'p'.repeat(2 * 1024 * 1024) });
    const res = await signInRoute(post('/api/auth/signin', huge));
    expect(res.status).toBe(413);
    const error = await errorOf(res);
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toMatch(/larger than 4 KiB/);
  });

  it('a streamed body without Content-Length is cut off at the limit, not read to its end', async () => {
    const { stream, pulled } = bigStream(64 * 1024 * 1024);
    const res = await mePatch(post('/api/auth/me', stream, { cookie: cookies.vic! }, 'PATCH'), segment);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toMatch(/larger than 1 MiB/);
    expect(pulled.bytes).toBeLessThan(4 * 1024 * 1024);
  });

  it('a declared Content-Length over the limit is refused before reading', async () => {
    const req = post('/api/auth/me', JSON.stringify({ language: 'zh' }), { cookie: cookies.vic!, 'content-length': String(MAX_JSON_BODY_BYTES + 1) }, 'PATCH');
    const err = await parseJsonBody(req, z.object({ language: z.string() })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('payload_too_large');
  });

  it('a body just under the limit is read whole', async () => {
    const value = 'a'.repeat(MAX_JSON_BODY_BYTES - 20);
    const got = await parseJsonBody(post('/x', JSON.stringify({ value })), z.object({ value: z.string() }));
    expect(got.value.length).toBe(value.length);
  });

  it('invalid UTF-8 is refused as such', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    const err = await parseJsonBody(post('/x', bytes), z.object({ a: z.string() })).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('invalid_request');
    expect((err as Error).message).toMatch(/UTF-8/);
  });
});

describe('Content-Type', () => {
  it('reads the media type, not a substring: text/plain; x=application/json is text/plain', async () => {
    for (const type of ['text/plain; x=application/json', 'text/plain;application/json', 'application/jsonx', 'multipart/form-data; boundary=application/json', '']) {
      const err = await parseJsonBody(post('/x', '{}', { 'content-type': type }), z.object({})).catch((e: unknown) => e);
      expect((err as AppError).code, type).toBe('unsupported_media_type');
    }
  });
  it('accepts application/json with any case, spaces and a UTF-8 charset; refuses other charsets', async () => {
    for (const type of ['application/json', 'Application/JSON', 'application/json; charset=utf-8', 'application/json;charset="UTF-8"']) {
      expect(await parseJsonBody(post('/x', '{"a":1}', { 'content-type': type }), z.object({ a: z.number() })), type).toEqual({ a: 1 });
    }
    const err = await parseJsonBody(post('/x', '{}', { 'content-type': 'application/json; charset=utf-16' }), z.object({})).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('unsupported_media_type');
  });
  it('mediaTypeOf', () => {
    expect(mediaTypeOf('text/plain; x=application/json')?.type).toBe('text/plain');
    expect(mediaTypeOf(' application/json ; charset=UTF-8')).toEqual({ type: 'application/json', params: { charset: 'utf-8' } });
    expect(mediaTypeOf('json')).toBeNull();
    expect(mediaTypeOf(null)).toBeNull();
  });
});

function fakeSource(detail: string, ok = true): { source: EventSource; calls: () => number } {
  let n = 0;
  const real = getEventSource();
  const source: EventSource = {
    ...real,
    kind: 'elasticsearch',
    health: () => {
      n++;
      return Promise.resolve({ kind: 'elasticsearch', ok, detail });
    },
  };
  return { source, calls: () => n };
}

const get = (headers: Record<string, string> = {}) => new NextRequest(`${BASE}/api/health`, { headers: { host: '127.0.0.1:3000', ...headers } });

describe('/api/health', () => {
  it('anonymous: {status} only, and one look at the cluster for many calls', async () => {
    const { source, calls } = fakeSource('cluster "soc-prod", Elasticsearch 8.15.3');
    setEventSourceForTesting(source);
    for (let i = 0; i < 20; i++) {
      const res = await health(get(), segment);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
    expect(calls()).toBe(1);
  });

  it('never echoes credentials of a misparsed ELASTICSEARCH_URL, not even to admins', async () => {
    const url = 'https://elastic:Xy/9s3cr3t@es.example:9200';
    vi.stubEnv('ELASTICSEARCH_URL', url);
    const { source } = fakeSource(`ELASTICSEARCH_URL: "${url}" is not a valid URL`, false);
    setEventSourceForTesting(source);
    const anon = await health(get(), segment);
    expect(anon.status).toBe(503);
    expect(await anon.text()).toBe('{"status":"degraded"}');
    const admin = await health(get({ cookie: cookies.adm! }), segment);
    const text = await admin.text();
    expect(text).not.toContain('9s3cr3t');
    expect(text).not.toContain('Xy/');
    expect(text).toContain('[redacted]');
    const viewer = await health(get({ cookie: cookies.vic! }), segment);
    expect(await viewer.json()).toEqual({
      status: 'degraded',
      ok: false,
      source: { kind: 'elasticsearch', ok: false },
      detection: { lastCycle: null, behind: false, behindCycles: 0, message: null },
    });
  });

  it('signed in, says when detection cannot keep up (a cycle longer than its interval); anonymous callers are not told', async () => {
    const { recordCycle, resetDetectionHealth } = await import('@/lib/detection/engine/cycle');
    const { source } = fakeSource('embedded store');
    setEventSourceForTesting(source);
    recordCycle({ startedAt: '2026-01-01T00:00:00.000Z', durationMs: 400_000, rules: 1081, runs: 1081, failed: 0, intervalMs: 300_000, engine: 'scan' });
    try {
      const viewer = (await (await health(get({ cookie: cookies.vic! }), segment)).json()) as { detection: { behind: boolean; behindCycles: number; message: string } };
      expect(viewer.detection.behind).toBe(true);
      expect(viewer.detection.behindCycles).toBe(1);
      expect(viewer.detection.message).toMatch(/cannot keep up/);
      expect(Object.keys((await (await health(get(), segment)).json()) as object)).toEqual(['status']);
    } finally {
      resetDetectionHealth();
    }
  });

  it('redactSecrets takes out URL userinfo and configured secrets', () => {
    const env = { ELASTICSEARCH_PASSWORD: 'hunter2hunter2', ELASTICSEARCH_API_KEY: 'a2V5OnNlY3JldA==' } as unknown as NodeJS.ProcessEnv;
    const out = redactSecrets('x https://u:p@h/ y hunter2hunter2 z a2V5OnNlY3JldA== http://h:9200/ ok', env);
    expect(out).toBe('x https://[redacted]@h/ y [redacted] z [redacted] http://h:9200/ ok');
  });

  it('a store whose file was removed is not reported healthy', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-health-'));
    vi.stubEnv('GUIDEPOST_DATA_DIR', dir);
    const { closeDb, getDb } = await import('@/lib/store/db');
    closeDb();
    const db = getDb();
    const adm = await signedInCookies({ root: 'admin' });
    expect((await health(get({ cookie: adm.root! }), segment)).status).toBe(200);
    fs.rmSync(path.join(dir, 'app.db'));
    const res = await health(get({ cookie: adm.root! }), segment);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; store: { ok: boolean; detail: string } };
    expect(body.status).toBe('degraded');
    expect(body.store.ok).toBe(false);
    expect(body.store.detail).toMatch(/missing/);
    db.close();
    useMemoryDb();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
