/**
 * On Elasticsearch the scheduler runs rules in a bounded pool (GUIDEPOST_RULE_CONCURRENCY,
 * default 10), most overdue first, abandons a run's search after its timeout, and records
 * whether a cycle took longer than the rules' interval (getDetectionHealth).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { initCoverage } from '@/lib/store/rule-state';
import { Scheduler } from '@/lib/detection/scheduler';
import { getDetectionHealth, recordCycle, resetDetectionHealth, ruleConcurrencyFromEnv } from '@/lib/detection/engine/cycle';
import type { EqlSearchRequest, EventSource } from '@/lib/events/types';
import { clock, fakeSource, makeRule, at } from './helpers';

beforeEach(() => {
  useMemoryDb();
  resetDetectionHealth();
});
afterEach(() => {
  delete process.env.GUIDEPOST_RULE_CONCURRENCY;
});

/** An Elasticsearch-like source whose searches take `ms` (or never end); counts searches in flight. */
function slowCluster(ms: number | null) {
  const base = fakeSource([]);
  const stats = { active: 0, max: 0, order: [] as string[] };
  const source: EventSource = {
    ...base,
    kind: 'elasticsearch',
    async eqlSearch(req: EqlSearchRequest) {
      stats.order.push(req.query);
      stats.active++;
      stats.max = Math.max(stats.max, stats.active);
      try {
        await new Promise<void>((resolve, reject) => {
          const t = ms === null ? null : setTimeout(resolve, ms);
          req.signal?.addEventListener('abort', () => {
            if (t) clearTimeout(t);
            reject(new Error('request aborted'));
          });
        });
        return { hits: { total: { value: 0, relation: 'eq' }, events: [] }, took: ms ?? 0, isPartial: false, shardFailures: [] };
      } finally {
        stats.active--;
      }
    },
  };
  return { source, stats };
}

const rulesN = (n: number) => Array.from({ length: n }, (_, i) => makeRule({ rule_id: `rule-${String(i).padStart(3, '0')}`, query: `file where file.name == "r${i}"` }));

describe('the rule pool on Elasticsearch', () => {
  it('runs at most GUIDEPOST_RULE_CONCURRENCY searches at once (default 10) and every rule once', async () => {
    const rules = rulesN(25);
    const c = clock(0);
    const { source, stats } = slowCluster(30);
    const s = new Scheduler({ source: () => source, rules: () => rules, now: c.now, attempts: 1 });
    const report = await s.tick();
    expect(report.runs).toHaveLength(25);
    expect(stats.max).toBe(10);

    process.env.GUIDEPOST_RULE_CONCURRENCY = '4';
    useMemoryDb();
    const other = slowCluster(30);
    await new Scheduler({ source: () => other.source, rules: () => rules, now: c.now, attempts: 1 }).tick();
    expect(other.stats.max).toBe(4);
  });

  it('a bad GUIDEPOST_RULE_CONCURRENCY falls back to 10', () => {
    process.env.GUIDEPOST_RULE_CONCURRENCY = 'lots';
    expect(ruleConcurrencyFromEnv()).toBe(10);
    process.env.GUIDEPOST_RULE_CONCURRENCY = '0';
    expect(ruleConcurrencyFromEnv()).toBe(10);
  });

  it('starts the most overdue rule first (the one whose covered time ends earliest)', async () => {
    const rules = rulesN(3);
    const c = clock(0);
    initCoverage(getDb(), 'rule-000', at(-20));
    initCoverage(getDb(), 'rule-001', at(-60));
    initCoverage(getDb(), 'rule-002', at(-30));
    const { source, stats } = slowCluster(1);
    await new Scheduler({ source: () => source, rules: () => rules, now: c.now, concurrency: 1, attempts: 1, chunkMs: () => 3_600_000 }).tick();
    expect([...new Set(stats.order)]).toEqual(['file where file.name == "r1"', 'file where file.name == "r2"', 'file where file.name == "r0"']);
  });

  it('a search that does not answer is abandoned after the run timeout and the run fails', async () => {
    const rules = rulesN(2);
    const c = clock(0);
    const { source } = slowCluster(null);
    const t0 = Date.now();
    const report = await new Scheduler({ source: () => source, rules: () => rules, now: c.now, attempts: 1, runTimeoutMs: 50 }).tick();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(report.runs).toHaveLength(2);
    for (const r of report.runs) expect(r.outcome.error?.message).toMatch(/abort/i);
  });
});

describe('keeping up', () => {
  it('says so when a cycle takes longer than the interval, and clears when one fits again', () => {
    expect(getDetectionHealth()).toMatchObject({ lastCycle: null, behind: false, message: null });
    recordCycle({ startedAt: at(0), durationMs: 400_000, rules: 1081, runs: 1081, failed: 0, intervalMs: 300_000, engine: 'pool' });
    recordCycle({ startedAt: at(5), durationMs: 360_000, rules: 1081, runs: 1081, failed: 0, intervalMs: 300_000, engine: 'pool' });
    const h = getDetectionHealth();
    expect(h.behind).toBe(true);
    expect(h.behindCycles).toBe(2);
    expect(h.message).toBe('detection cannot keep up: the last cycle of 1081 rules took 360 s, longer than the 300 s interval (2 cycles in a row)');
    recordCycle({ startedAt: at(10), durationMs: 20_000, rules: 1081, runs: 1081, failed: 0, intervalMs: 300_000, engine: 'pool' });
    expect(getDetectionHealth()).toMatchObject({ behind: false, behindCycles: 0, message: null });
  });

  it('a scheduler tick records its cycle', async () => {
    const { source } = slowCluster(1);
    await new Scheduler({ source: () => source, rules: () => rulesN(2), now: clock(0).now, attempts: 1 }).tick();
    expect(getDetectionHealth().lastCycle).toMatchObject({ rules: 2, runs: 2, failed: 0, intervalMs: 300_000, engine: 'pool' });
  });
});
