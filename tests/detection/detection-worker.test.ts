/**
 * Detection off the web thread (lib/server/workers/detection-driver.ts): a cycle runs in the
 * detection worker with its own connections to the data directory's events.db and app.db; its
 * alerts land in app.db, the web side records the cycle for /api/health, and GUIDEPOST_WORKERS=off
 * keeps the in-thread scheduler.
 */
import { threadId } from 'node:worker_threads';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { openEventStore } from '@/lib/events/embedded/store';
import { getDb } from '@/lib/store/db';
import { getDetectionHealth, resetDetectionHealth } from '@/lib/detection/engine/cycle';
import { backfillRunner, runDetectionCycle, runRuleOffThread, startDetection, stopDetection } from '@/lib/server/workers/detection-driver';
import { getRule } from '@/lib/detection/rules';
import { getBackfillProgress, startBackfill } from '@/lib/detection/backfill';
import { getEventSource } from '@/lib/events';
import { RULE_ID, exeWrite } from './helpers';
import { workerDataDir } from '@/tests/support/worker-data-dir';

const dir = workerDataDir('guidepost-detworker-');

beforeAll(() => {
  const now = Date.now();
  const store = openEventStore({ dataDir: dir });
  // the seed rule (bundled, enabled) matches an .exe written by services.exe, not by python.exe
  store.insert([
    exeWrite('hit-1', new Date(now - 120_000).toISOString(), 'services.exe'),
    exeWrite('quiet', new Date(now - 90_000).toISOString(), 'python.exe'),
    exeWrite('hit-2', new Date(now - 60_000).toISOString(), 'winlogon.exe'),
  ]);
  store.close();
});

describe('detection worker', () => {
  it('runs a cycle on another thread; its alerts are in app.db and its record in the web side’s health', async () => {
    resetDetectionHealth();
    const res = await runDetectionCycle({ force: true });
    expect(threadId).toBe(0);
    expect(res.threadId).not.toBe(0);
    const seed = res.runs.filter((r) => r.ruleId === RULE_ID);
    expect(seed).toHaveLength(1);
    expect(seed[0]!.error).toBeNull();
    expect(seed[0]!.created).toHaveLength(2);
    // written by the worker's own connection, read here through the web side's
    const rows = getDb().prepare('SELECT id, json_extract(event, \'$._id\') AS doc FROM alerts WHERE rule_id = ? ORDER BY doc').all(RULE_ID) as { id: string; doc: string }[];
    expect(rows.map((r) => r.doc)).toEqual(['hit-1', 'hit-2']);
    expect(rows.map((r) => r.id).sort()).toEqual(seed[0]!.created.map((a) => a.id).sort());
    expect(seed[0]!.created.map((a) => a.event._id).sort()).toEqual(['hit-1', 'hit-2']);
    // grouped into incidents in the same cycle (once per cycle, by the worker)
    const grouped = getDb().prepare('SELECT COUNT(*) AS n FROM incident_alerts WHERE alert_id IN (SELECT id FROM alerts WHERE rule_id = ?)').get(RULE_ID) as { n: number };
    expect(grouped.n).toBe(2);
    expect(res.cycle).not.toBeNull();
    expect(getDetectionHealth().lastCycle).toEqual(res.cycle);
  }, 60_000);

  it('a second cycle finds nothing new (dedup across the two connections)', async () => {
    const res = await runDetectionCycle({ force: true, ruleIds: [RULE_ID] });
    expect(res.runs).toHaveLength(1);
    expect(res.runs[0]!.created).toEqual([]);
  }, 60_000);

  it('refuses an unknown rule id with the reason', async () => {
    await expect(runDetectionCycle({ ruleIds: ['no-such-rule'] })).rejects.toThrow(/unknown rule id no-such-rule/);
  }, 60_000);

  it('"run now" runs in the worker; the run record is read back here', async () => {
    const store = openEventStore({ dataDir: dir });
    store.insert([exeWrite('hit-3', new Date(Date.now() - 30_000).toISOString(), 'services.exe')]);
    store.close();
    const rule = getRule(RULE_ID)!;
    const now = Date.now();
    const out = await runRuleOffThread(rule, { from: new Date(now - 5 * 60_000).toISOString(), to: new Date(now).toISOString() });
    expect(out.busy).toBe(false);
    expect(out.error).toBeNull();
    expect(out.run?.trigger).toBe('manual');
    expect(out.run?.status).toBe('succeeded');
    expect(out.created).toHaveLength(1);
    const doc = getDb().prepare("SELECT json_extract(event, '$._id') AS d FROM alerts WHERE id = ?").get(out.created[0]!.id) as { d: string };
    expect(doc.d).toBe('hit-3');
  }, 60_000);

  it('a backfill started here runs its chunks in the worker and its record follows the progress', async () => {
    const runner = backfillRunner();
    expect(runner).toBeDefined();
    const now = Date.now();
    const range = { from: new Date(now - 3 * 3_600_000).toISOString(), to: new Date(now).toISOString() };
    const started = startBackfill([getRule(RULE_ID)!], range, { source: getEventSource(), trigger: 'backfill', remote: runner });
    expect(started.status).toBe('running');
    let p = getBackfillProgress(started.id)!;
    for (let i = 0; i < 300 && p.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      p = getBackfillProgress(started.id)!;
    }
    expect(p.id).toBe(started.id);
    expect(p.status).toBe('succeeded');
    expect(p.doneChunks).toBe(3);
    expect(p.totalChunks).toBe(3);
    expect(p.finishedAt).not.toBeNull();
    const runs = getDb().prepare("SELECT COUNT(*) AS n FROM rule_runs WHERE trigger = 'backfill'").get() as { n: number };
    expect(runs.n).toBe(3);
  }, 60_000);

  it('startDetection ticks in the worker; GUIDEPOST_WORKERS=off keeps the scheduler in this thread', async () => {
    resetDetectionHealth();
    getDb().prepare('DELETE FROM rule_state').run(); // every rule due again
    expect(startDetection({ tickMs: 3_600_000, log: () => undefined })).toBe('worker');
    expect(startDetection()).toBe('worker'); // idempotent
    for (let i = 0; i < 300 && getDetectionHealth().lastCycle === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(getDetectionHealth().lastCycle?.runs).toBeGreaterThan(0);
    await stopDetection();
    vi.stubEnv('GUIDEPOST_WORKERS', 'off');
    try {
      expect(startDetection({ log: () => undefined })).toBe('thread');
    } finally {
      await stopDetection();
      vi.stubEnv('GUIDEPOST_WORKERS', undefined);
    }
  }, 60_000);
});
