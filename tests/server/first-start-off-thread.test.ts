/**
 * Issue 11: the server's first start (an empty data dir: the demo data set, then the enabled
 * rules backfilled over it) never runs the rules on the web thread. The backfill goes through
 * the detection worker (detection-driver `backfillRunner`), `startServer` resolves while it is
 * under way (Next.js waits for the start-up hook before it serves a request), /api/health says
 * 'starting' with the progress meanwhile, and the evidence workers are started with the server.
 * Before, `startServer` ran the backfill in this thread and resolved only when it was done.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventSource } from '@/lib/events/types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-first-start-'));
process.env.GUIDEPOST_DATA_DIR = dir;
process.env.GUIDEPOST_ARGON2_FAST = '1';
process.env.GUIDEPOST_SCHEDULER = 'off';
process.env.GUIDEPOST_ADMIN_PASSWORD = 'first-start-test-password';
delete process.env.ELASTICSEARCH_URL;
delete process.env.GUIDEPOST_WORKERS;
delete process.env.GUIDEPOST_DEMO_DATA;

const { startServer, firstStartDone, startEvidenceWorkers } = await import('@/lib/server/bootstrap');
const { healthAnswer } = await import('@/lib/server/health');
const { getEventSource, setEventSourceForTesting } = await import('@/lib/events');
const { getDb, closeDb } = await import('@/lib/store/db');
const { generateDemoData } = await import('@/lib/demo');
const { stopDetection } = await import('@/lib/server/workers/detection-driver');
const { closeEvidencePool, evidenceWorkersReady, evidenceWorkersStarted } = await import('@/lib/server/workers/evidence-pool');

afterAll(async () => {
  setEventSourceForTesting(undefined);
  await stopDetection();
  await closeEvidencePool();
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the first start with workers', () => {
  it('backfills the demo data in the detection worker while the server already answers', async () => {
    // this thread's event source refuses every search: rules run here would create no alert
    const real = getEventSource();
    let searchedHere = 0;
    const refusing: EventSource = {
      ...real,
      kind: 'embedded',
      eqlSearch: () => {
        searchedHere++;
        return Promise.reject(new Error('the web thread ran a search of the event store'));
      },
      health: () => real.health(),
    };
    setEventSourceForTesting(refusing);

    // the longest stall of this thread's event loop while the rules run
    let maxLagMs = 0;
    let last = performance.now();
    const { firstStartProgress } = await import('@/lib/server/first-start');
    let backfilling = false;
    const timer = setInterval(() => {
      const now = performance.now();
      // counted from the first tick of the backfill (the demo data is loaded in this thread)
      if (backfilling) maxLagMs = Math.max(maxLagMs, now - last - 10);
      backfilling = firstStartProgress()?.phase === 'backfilling';
      last = now;
    }, 10);
    const started = Date.now();
    try {
      await startServer();
      // the start-up hook is done, the first start is not: health answers, 'starting'
      const during = await healthAnswer(null);
      expect(during).toEqual({ status: 503, body: { status: 'starting' } });
      expect(evidenceWorkersStarted()).toBe(true);
      const first = firstStartDone();
      expect(first).not.toBeNull();
      await first;
      // a backfill in this thread yields no turn of the loop until it ends: count that stall too
      if (backfilling) maxLagMs = Math.max(maxLagMs, performance.now() - last - 10);
    } finally {
      clearInterval(timer);
    }

    expect(searchedHere).toBe(0);
    // the expectation comes from the demo's own story list, built independently of detection
    const demo = generateDemoData({ now: new Date(started) });
    const mustFire = demo.stories.filter((s) => s.expected === 'alert').flatMap((s) => s.mustFire.map((r) => `${r._index}/${r._id}`));
    expect(mustFire.length).toBeGreaterThanOrEqual(3);
    const fired = getDb().prepare<[], { ref: string }>("SELECT json_extract(event, '$._index') || '/' || json_extract(event, '$._id') AS ref FROM alerts").all();
    expect(fired.map((r) => r.ref).sort()).toEqual([...mustFire].sort());
    // the backfill's runs were recorded by the worker's own connection
    const runs = getDb().prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM rule_runs WHERE trigger = 'backfill'").get();
    expect(runs?.n).toBeGreaterThan(0);
    expect(maxLagMs).toBeLessThan(200);
    // done: health no longer says starting
    const after = await healthAnswer(null);
    expect(after.body).not.toEqual({ status: 'starting' });
  }, 120_000);

  it('GUIDEPOST_WORKERS=off starts no evidence worker', async () => {
    await closeEvidencePool();
    process.env.GUIDEPOST_WORKERS = 'off';
    try {
      expect(await startEvidenceWorkers()).toBe(false);
      expect(evidenceWorkersStarted()).toBe(false);
    } finally {
      delete process.env.GUIDEPOST_WORKERS;
    }
    expect(await startEvidenceWorkers()).toBe(true);
    expect(evidenceWorkersStarted()).toBe(true);
    await evidenceWorkersReady();
  });
});
