import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, openAppDb, setDb, useMemoryDb, getDb } from '@/lib/store/db';
import { listAlerts } from '@/lib/store/alerts';
import { listRuns } from '@/lib/store/runs';
import { acquireLease, getRuleState } from '@/lib/store/rule-state';
import { Scheduler, planRule, startScheduler, stopScheduler, getScheduler } from '@/lib/detection/scheduler';
import { listRulesWithStatus, setRuleCatalogue, setRuleEnabled } from '@/lib/detection/rules';
import { EventSourceError } from '@/lib/events/errors';
import type { EqlEvent } from '@/lib/eql/types';
import { at, clock, fakeSource, fileEvent, makeRule, RULE_ID } from './helpers';

const rule = makeRule();

function scheduler(source: ReturnType<typeof fakeSource>, c: ReturnType<typeof clock>, extra: Partial<ConstructorParameters<typeof Scheduler>[0]> = {}) {
  return new Scheduler({ source: () => source, rules: () => [rule], now: c.now, sleep: async () => {}, attempts: 2, ...extra });
}

function alertCountsByEvent(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of listAlerts(getDb(), { limit: 1000 }).items) counts.set(a.event._id, (counts.get(a.event._id) ?? 0) + 1);
  return counts;
}

beforeEach(() => {
  useMemoryDb();
  setRuleCatalogue([rule]);
});

afterEach(async () => {
  await stopScheduler();
  setRuleCatalogue(null);
});

describe('planRule', () => {
  it('runs [now-9m, now] the first time and after an on-time success', () => {
    const plan = planRule(rule, null, new Date(at(0)), { maxChunks: 12, chunkMs: 9 * 60_000 });
    expect(plan).toEqual({ due: true, windows: [{ window: { from: at(-9), to: at(0) }, gapAfter: null }], gap: null });
    const state = { ruleId: RULE_ID, lastSuccessEnd: at(0), lastAttemptAt: at(0), consecutiveFailures: 0, nextRetryAt: null, leaseOwner: null, leaseExpiresAt: null, runningRunId: null, gapFrom: null, gapTo: null };
    expect(planRule(rule, state, new Date(at(4)), { maxChunks: 12, chunkMs: 9 * 60_000 }).due).toBe(false);
    expect(planRule(rule, state, new Date(at(5)), { maxChunks: 12, chunkMs: 9 * 60_000 }).windows).toEqual([
      { window: { from: at(-4), to: at(5) }, gapAfter: null },
    ]);
  });

  it('splits a missed range into bounded chunks before the normal window', () => {
    const state = { ruleId: RULE_ID, lastSuccessEnd: at(0), lastAttemptAt: at(0), consecutiveFailures: 0, nextRetryAt: null, leaseOwner: null, leaseExpiresAt: null, runningRunId: null, gapFrom: null, gapTo: null };
    const plan = planRule(rule, state, new Date(at(60)), { maxChunks: 3, chunkMs: 9 * 60_000 });
    expect(plan.gap).toEqual({ from: at(0), to: at(51) });
    expect(plan.windows.map((w) => w.window)).toEqual([
      { from: at(0), to: at(9) },
      { from: at(9), to: at(18) },
      { from: at(18), to: at(27) },
    ]);
    expect(plan.windows[2].gapAfter).toEqual({ from: at(27), to: at(51) });
  });
});

describe('scheduler', () => {
  it('fault test: the source fails for three intervals, then recovers; every missed event alerts exactly once and the gap showed meanwhile', async () => {
    // one matching event a minute, some without event.ingested (judged by @timestamp)
    const events: EqlEvent[] = [];
    for (let m = -8; m <= 20; m++) events.push(fileEvent(at(m), { ingested: m % 3 === 0 ? null : at(m), id: `e${m}` }));
    const source = fakeSource(events);
    const c = clock(0);
    const s = scheduler(source, c);

    await s.tick(); // t0: ok, [t0-9m, t0]
    expect(getRuleState(getDb(), RULE_ID)?.lastSuccessEnd).toBe(at(0));
    expect(listRulesWithStatus({ now: c.now() })[0].pendingGap).toBeNull();

    source.failWith = new EventSourceError({ kind: 'unreachable', message: 'cluster unreachable', retryable: true });
    const gaps = [];
    for (const m of [5, 10, 15]) {
      c.set(m);
      const report = await s.tick();
      expect(report.runs.length).toBeGreaterThan(0);
      expect(report.runs.every((r) => r.outcome.error !== null)).toBe(true);
      const status = listRulesWithStatus({ now: c.now() })[0];
      gaps.push(status.pendingGap);
      expect(status.lastRun?.status).toBe('failed');
      expect(status.lastRun?.error).toContain('cluster unreachable');
    }
    expect(gaps).toEqual([
      { from: at(0), to: at(5) },
      { from: at(0), to: at(10) },
      { from: at(0), to: at(15) },
    ]);
    expect(getRuleState(getDb(), RULE_ID)?.lastSuccessEnd).toBe(at(0)); // never advanced by a failure

    source.failWith = null;
    c.set(20);
    const recovered = await s.tick();
    expect(recovered.runs.map((r) => r.window)).toEqual([
      { from: at(0), to: at(9) },
      { from: at(9), to: at(11) },
      { from: at(11), to: at(20) },
    ]);
    expect(recovered.runs.every((r) => r.outcome.error === null)).toBe(true);
    const status = listRulesWithStatus({ now: c.now() })[0];
    expect(status.pendingGap).toBeNull();
    expect(status.lastSuccessEnd).toBe(at(20));

    const counts = alertCountsByEvent();
    for (const e of events) expect(counts.get(e._id), e._id).toBe(1);
    expect(counts.size).toBe(events.length);

    // the next normal tick overlaps the last window and creates nothing new
    c.set(25);
    const next = await s.tick();
    expect(next.runs.map((r) => r.window)).toEqual([{ from: at(16), to: at(25) }]);
    expect(next.runs[0].outcome.created).toHaveLength(0);
  });

  it('catches up after downtime in bounded chunks per tick, showing the gap until done', async () => {
    const events = [fileEvent(at(-1), { id: 'before' }), fileEvent(at(30), { id: 'mid' }), fileEvent(at(95), { id: 'late' })];
    const source = fakeSource(events);
    const c = clock(0);
    const s = scheduler(source, c, { maxChunksPerTick: 5 });
    await s.tick();
    c.set(100); // down for 100 minutes: missed range [0, 91] = 11 chunks of 9m
    const first = await s.tick();
    expect(first.runs).toHaveLength(5);
    expect(listRulesWithStatus({ now: c.now() })[0].pendingGap).toEqual({ from: at(45), to: at(100) });
    await s.tick();
    const third = await s.tick();
    expect(third.runs.at(-1)?.window).toEqual({ from: at(91), to: at(100) });
    expect(listRulesWithStatus({ now: c.now() })[0].pendingGap).toBeNull();
    expect([...alertCountsByEvent().entries()].sort()).toEqual([
      ['before', 1],
      ['late', 1],
      ['mid', 1],
    ]);
  });

  it('a crash mid-run (after the search, before the commit) loses and duplicates nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guidepost-crash-'));
    const file = path.join(dir, 'app.db');
    setDb(openAppDb(file));
    const events = [fileEvent(at(-2), { id: 'a' }), fileEvent(at(3), { id: 'b' }), fileEvent(at(4), { id: 'c' })];
    const source = fakeSource(events);
    const c = clock(0);
    await scheduler(source, c, { owner: 'process-1' }).tick();
    expect(alertCountsByEvent()).toEqual(new Map([['a', 1]]));

    // process 1 runs the next window; the "process dies" after eqlSearch answered: its
    // database connection goes away before anything of the window is committed
    c.set(5);
    const crashingRule = { ...rule };
    const crashed = new Scheduler({
      source: () => ({
        ...source,
        eqlSearch: async (req) => {
          const res = await source.eqlSearch(req);
          getDb().close(); // the crash: nothing after this point reaches the database
          return res;
        },
      }),
      rules: () => [crashingRule],
      now: c.now,
      owner: 'process-1',
      leaseMs: 60_000,
      sleep: async () => {},
      log: () => {},
    });
    await crashed.tick();

    // restart: a new process opens the same file; the dead run still says 'running'
    const db2 = setDb(openAppDb(file));
    const runs = listRuns(getDb(), { ruleId: RULE_ID });
    expect(runs[0].status).toBe('running');
    expect(getRuleState(getDb(), RULE_ID)?.lastSuccessEnd).toBe(at(0));
    expect(alertCountsByEvent()).toEqual(new Map([['a', 1]]));

    // while the dead process's lease lasts, process 2 does not run the rule
    c.set(5.5);
    const p2 = scheduler(source, c, { owner: 'process-2', leaseMs: 60_000 });
    const blocked = await p2.tick();
    expect(blocked.runs).toHaveLength(0);

    // after it expires, the interrupted run is marked and its window run again
    c.set(7);
    const after = await p2.tick();
    expect(after.interrupted).toBe(1);
    expect(listRuns(getDb(), { ruleId: RULE_ID }).find((r) => r.id === runs[0].id)?.status).toBe('failed');
    expect(after.runs.map((r) => r.window)).toEqual([{ from: at(-2), to: at(7) }]);
    expect(alertCountsByEvent()).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]),
    );
    expect(getRuleState(getDb(), RULE_ID)?.lastSuccessEnd).toBe(at(7));
    db2.close();
    closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('does not run a rule whose lease another process holds', async () => {
    const source = fakeSource([fileEvent(at(-1))]);
    const c = clock(0);
    expect(acquireLease(getDb(), RULE_ID, 'other-process', 'run-x', at(0), at(10))).toBe(true);
    const report = await scheduler(source, c).tick();
    expect(report.runs).toHaveLength(0);
    expect(source.requests).toHaveLength(0);
    c.set(11);
    const later = await scheduler(source, c).tick();
    // the window it could not run at t0 is caught up, then the normal one
    expect(later.runs.map((r) => r.window)).toEqual([
      { from: at(-9), to: at(0) },
      { from: at(0), to: at(2) },
      { from: at(2), to: at(11) },
    ]);
    expect(alertCountsByEvent().size).toBe(1);
  });

  it('retries a transient failure within the run, with backoff', async () => {
    const source = fakeSource([fileEvent(at(-1))]);
    let calls = 0;
    const base = source.eqlSearch.bind(source);
    source.eqlSearch = async (req) => {
      calls += 1;
      if (calls === 1) throw new EventSourceError({ kind: 'timeout', message: 'timed out', retryable: true });
      return base(req);
    };
    const waits: number[] = [];
    const c = clock(0);
    const report = await scheduler(source, c, { attempts: 3, sleep: async (ms) => void waits.push(ms), backoffMs: (n) => 500 * n }).tick();
    expect(calls).toBe(2);
    expect(waits).toEqual([500]);
    expect(report.runs[0].outcome.created).toHaveLength(1);
  });

  it('startScheduler is guarded against double start; a disabled rule is not run', async () => {
    const source = fakeSource([fileEvent(at(-1))]);
    const c = clock(0);
    const opts = { source: () => source, now: c.now, tickMs: 3_600_000, log: () => {} };
    setRuleEnabled(RULE_ID, false, 'tester');
    const s1 = startScheduler(opts);
    const s2 = startScheduler(opts);
    expect(s2).toBe(s1);
    expect(getScheduler()).toBe(s1);
    const report = await s1.tick();
    expect(report.runs).toHaveLength(0);
    setRuleEnabled(RULE_ID, true, 'tester');
    c.set(1);
    const report2 = await s1.tick();
    expect(report2.runs).toHaveLength(1);
    await stopScheduler();
    expect(getScheduler()).toBeNull();
  });

  it('records the reason on the rule when the event source cannot be built, and catches up once it can', async () => {
    const source = fakeSource([fileEvent(at(-1), { id: 'x' }), fileEvent(at(4), { id: 'y' })]);
    const c = clock(0);
    let broken = false;
    const s = new Scheduler({
      source: () => {
        if (broken) throw new Error('ELASTICSEARCH_URL: not a URL');
        return source;
      },
      rules: () => [rule],
      now: c.now,
      sleep: async () => {},
    });
    await s.tick();
    broken = true;
    c.set(5);
    await s.tick();
    const status = listRulesWithStatus({ now: c.now() })[0];
    expect(status.lastRun?.status).toBe('failed');
    expect(status.lastRun?.error).toContain('event source unavailable: ELASTICSEARCH_URL: not a URL');
    expect(status.pendingGap).toEqual({ from: at(0), to: at(5) });
    broken = false;
    c.set(10);
    await s.tick();
    expect([...alertCountsByEvent().keys()].sort()).toEqual(['x', 'y']);
    expect(listRulesWithStatus({ now: c.now() })[0].pendingGap).toBeNull();
  });

  it('when the very first scheduled run fails, its window is not forgotten', async () => {
    const events = [fileEvent(at(-8), { id: 'first-window' }), fileEvent(at(12), { id: 'during-outage' }), fileEvent(at(29), { id: 'after' })];
    const source = fakeSource(events);
    source.failWith = new EventSourceError({ kind: 'unreachable', message: 'down', retryable: true });
    const c = clock(0);
    const s = scheduler(source, c);
    await s.tick();
    expect(listRulesWithStatus({ now: c.now() })[0].pendingGap).toEqual({ from: at(-9), to: at(0) });
    c.set(15);
    await s.tick();
    source.failWith = null;
    c.set(30);
    await s.tick();
    expect([...alertCountsByEvent().entries()].sort()).toEqual([
      ['after', 1],
      ['during-outage', 1],
      ['first-window', 1],
    ]);
  });

  it('deletes run records older than the retention, keeping recent ones', async () => {
    const source = fakeSource([]);
    const c = clock(0);
    await scheduler(source, c).tick();
    expect(listRuns(getDb(), { ruleId: RULE_ID })).toHaveLength(1);
    c.set(60 * 24 * 2); // two days later, retention one day: the old run goes, the new one stays
    await scheduler(source, c, { runRetentionMs: 86_400_000, maxChunksPerTick: 1 }).tick();
    const runs = listRuns(getDb(), { ruleId: RULE_ID });
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.startedAt >= at(60 * 24))).toBe(true);
  });
});

describe('scheduler and partial answers', () => {
  it('a partial answer keeps its alerts but leaves the window to be run again; nothing is skipped or doubled', async () => {
    const events: EqlEvent[] = [];
    for (let m = -8; m <= 0; m++) events.push(fileEvent(at(m), { ingested: at(m), id: `p${m}` }));
    const source = fakeSource(events);
    const complete = source.eqlSearch.bind(source);
    let partialAnswers = 1;
    source.eqlSearch = async (req) => {
      const full = await complete(req);
      if (partialAnswers-- <= 0) return full;
      // one shard failed: only the even minutes came back
      const kept = (full.hits.events ?? []).filter((e) => Number(e._id.slice(1)) % 2 === 0);
      return { ...full, hits: { total: { value: kept.length, relation: 'eq' }, events: kept }, isPartial: true, shardFailures: [{ index: 'winlogbeat-1', reason: 'node left' }] };
    };
    const c = clock(0);
    const s = scheduler(source, c);

    const first = await s.tick();
    expect(first.runs[0]?.outcome.run?.status).toBe('partial');
    expect(getRuleState(getDb(), RULE_ID)?.lastSuccessEnd).not.toBe(at(0));
    const afterPartial = alertCountsByEvent();
    expect([...afterPartial.keys()].sort()).toEqual(['p-2', 'p-4', 'p-6', 'p-8', 'p0']);

    c.set(5);
    await s.tick();
    expect(getRuleState(getDb(), RULE_ID)?.lastSuccessEnd).toBe(at(5));
    const counts = alertCountsByEvent();
    expect(counts.size).toBe(9);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});
