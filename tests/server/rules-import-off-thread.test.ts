/**
 * Issue 11: importing Elastic's rule set (1,081 EQL rules: seconds of parsing and checking)
 * runs on the rules-import worker with its own app.db connection; the web thread's event loop
 * keeps turning meanwhile, and this process's catalogue shows the imported rules afterwards.
 * In this thread (GUIDEPOST_WORKERS=off, the old path) the same import holds the loop.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchEventLoop } from '@/tests/support/loop-lag';

const CORPUS = path.resolve('../shared/rules/eql-rules.jsonl');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-rules-import-thread-'));
process.env.GUIDEPOST_DATA_DIR = dir;

const { openAppDb, setDb, closeDb } = await import('@/lib/store/db');
const { importRules } = await import('@/lib/server/rules');
const { loadRules } = await import('@/lib/detection/rules');

beforeAll(() => {
  setDb(openAppDb(path.join(dir, 'app.db')));
});
afterAll(() => {
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `work` and reports the longest stall of this thread's event loop meanwhile. */
async function watchingLoop<T>(work: () => Promise<T>): Promise<{ result: T; maxLagMs: number }> {
  const loop = watchEventLoop(5);
  try {
    const result = await work();
    return { result, maxLagMs: await loop.stop() };
  } finally {
    await loop.stop();
  }
}

describe('rules import off the request thread', () => {
  it('imports the whole rule set on the worker; the loop keeps turning, unlike the same import in this thread', async () => {
    const text = fs.readFileSync(CORPUS, 'utf8');
    const lines = text.split('\n').filter((l) => l.trim()).length;

    const viaWorker = await watchingLoop(() => importRules(text, 'eql-rules.jsonl', { actor: 'tester', enable: false }));
    // the corpus holds the bundled seed rule at a newer version: every other rule is new
    expect(viaWorker.result.summary).toBe(`rules import: ${lines - 1} added, 1 new version, 0 unchanged, 0 refused`);
    // this thread's catalogue reads the worker's writes
    expect(loadRules().rules.length).toBeGreaterThanOrEqual(lines);

    process.env.GUIDEPOST_WORKERS = 'off';
    try {
      const inThread = await watchingLoop(() => importRules(text, 'eql-rules.jsonl', { actor: 'tester', enable: false }));
      expect(inThread.result.summary).toBe(`rules import: 0 added, 0 new version, ${lines} unchanged, 0 refused`);
      // the parse and check hold this thread for the whole import in-thread; on the worker
      // only the hand-over and the catalogue reload do
      expect(viaWorker.maxLagMs).toBeLessThan(inThread.maxLagMs / 2);
    } finally {
      delete process.env.GUIDEPOST_WORKERS;
    }
  }, 120_000);
});
