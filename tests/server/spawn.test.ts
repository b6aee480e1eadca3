import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { spawnWorker, WorkerCrashError, WorkerTaskError, WorkerTimeoutError, type WorkerPool } from '@/lib/server/workers/spawn';

const MODULE = 'tests/server/fixtures/echo-worker.ts';
const anyReq = z.record(z.string(), z.unknown());
const anyRes = z.record(z.string(), z.unknown());

let pools: WorkerPool<Record<string, unknown>, Record<string, unknown>>[] = [];
function pool(extra: Partial<Parameters<typeof spawnWorker>[0]> = {}) {
  const p = spawnWorker({ name: 'echo', module: MODULE, request: anyReq, response: anyRes, timeoutMs: 20_000, ...extra });
  pools.push(p as WorkerPool<Record<string, unknown>, Record<string, unknown>>);
  return p as WorkerPool<Record<string, unknown>, Record<string, unknown>>;
}
afterEach(async () => {
  for (const p of pools) await p.close();
  pools = [];
});

describe('spawnWorker', () => {
  it('runs a TypeScript module (with @/ imports) in a worker and answers typed requests', async () => {
    const p = pool({ workerData: { hello: 'there' } });
    await expect(p.request({ op: 'echo', text: 'hi' })).resolves.toEqual({ text: 'hi', thread: 'worker' });
    await expect(p.request({ op: 'input' })).resolves.toEqual({ input: { hello: 'there' } });
  });

  it('moves transferred buffers instead of copying them, both ways', async () => {
    const p = pool();
    const bytes = new Uint8Array(1 << 20).fill(1);
    const answer = p.request({ op: 'sum', bytes }, { transfer: [bytes.buffer] });
    expect(bytes.byteLength).toBe(0); // detached here: it moved
    await expect(answer).resolves.toEqual({ sum: 1 << 20, length: 1 << 20 });
    const back = await p.request({ op: 'bytes', n: 4096 });
    expect((back.bytes as Uint8Array).byteLength).toBe(4096);
  });

  it('checks answers against the response schema and requests against the request schema', async () => {
    const strict = spawnWorker({ name: 'echo', module: MODULE, request: anyReq, response: z.object({ nope: z.string() }) });
    pools.push(strict as never);
    await expect(strict.request({ op: 'echo', text: 'x' })).rejects.toThrow(/unexpected shape/);
    const p = pool();
    await expect(p.request({ op: 'nonsense' })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('passes progress and task errors (with their code) through', async () => {
    const p = pool();
    const seen: unknown[] = [];
    await p.request({ op: 'progress', steps: 3 }, { onProgress: (v) => seen.push(v) });
    expect(seen).toEqual([1, 2, 3]);
    const err = await p.request({ op: 'fail' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerTaskError);
    expect(err).toMatchObject({ code: 'store_busy', message: 'events.db is busy' });
  });

  it('times out a stuck request and, with restartOnTimeout, answers the next one from a fresh worker', async () => {
    const p = pool({ restartOnTimeout: true });
    await p.request({ op: 'echo', text: 'warm' });
    const t0 = Date.now();
    const err = await p.request({ op: 'block', ms: 5000 }, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerTimeoutError);
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect(p.request({ op: 'echo', text: 'again' })).resolves.toMatchObject({ text: 'again' });
  });

  it('a crash fails the request with a clear error and the worker is started again', async () => {
    const p = pool();
    const err = await p.request({ op: 'crash' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerCrashError);
    expect(String((err as Error).message)).toMatch(/echo worker .* crashed: deliberate crash/);
    await expect(p.request({ op: 'echo', text: 'after' })).resolves.toMatchObject({ text: 'after' });
  });

  it('a module that cannot load fails fast with the reason', async () => {
    const bad = spawnWorker({ name: 'missing', module: 'tests/server/fixtures/no-such-worker.ts', request: anyReq, response: anyRes });
    pools.push(bad as never);
    const err = await bad.request({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerCrashError);
    expect(String((err as Error).message)).toMatch(/could not start/);
  });

  it('runs a background worker at a lower priority (Linux nice 10), its thread only', async () => {
    const p = pool({ nice: 10 });
    const base = os.getPriority(process.pid); // 0 normally; a priority can only be lowered
    await expect(p.request({ op: 'priority' })).resolves.toEqual({ thread: Math.max(base, 10), process: base });
  });

  it('a worker that never gets ready fails its requests after the start-up timeout', async () => {
    const silent = spawnWorker({ name: 'silent', module: 'tests/server/fixtures/silent-worker.ts', request: anyReq, response: anyRes, bootTimeoutMs: 3000 });
    pools.push(silent as never);
    const err = await silent.request({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerCrashError);
    expect(String((err as Error).message)).toMatch(/could not start: not ready after 3000 ms/);
  });

  it('spreads requests over the pool', async () => {
    const p = pool({ size: 2 });
    const [a, b] = await Promise.all([p.request({ op: 'block', ms: 300 }), p.request({ op: 'block', ms: 300 })]);
    expect(a.threadId).not.toBe(b.threadId); // two threads, one request each
    expect(p.inFlight()).toBe(0);
  });
});
