import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { listAlerts, countAlerts } from '@/lib/store/alerts';
import { listRuns } from '@/lib/store/runs';
import { alertIdFor, buildAlerts, runRule } from '@/lib/detection/run';
import { EventSourceError } from '@/lib/events/errors';
import type { EqlSearchResult } from '@/lib/events/types';
import { at, fakeSource, fileEvent, makeRule, RULE_ID } from './helpers';

beforeEach(() => {
  useMemoryDb();
});

describe('runRule', () => {
  it('creates no duplicate when windows overlap (from=now-9m, interval=5m)', async () => {
    const events = [fileEvent(at(-8)), fileEvent(at(-3)), fileEvent(at(2)), fileEvent(at(6))];
    const source = fakeSource(events);
    const rule = makeRule();
    const first = await runRule(rule, { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    expect(first.created.map((a) => a.event._id)).toEqual([events[0]._id, events[1]._id]);
    const second = await runRule(rule, { from: at(-4), to: at(5) }, { source, trigger: 'scheduled' });
    expect(second.created.map((a) => a.event._id)).toEqual([events[2]._id]);
    expect(second.run?.hits).toBe(2);
    expect(second.run?.alertsCreated).toBe(1);
    const third = await runRule(rule, { from: at(-9), to: at(10) }, { source, trigger: 'manual' });
    expect(third.created.map((a) => a.event._id)).toEqual([events[3]._id]);
    expect(countAlerts(getDb())).toBe(4);
    const ids = listAlerts(getDb(), { limit: 100 }).items.map((a) => a.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('builds the search request from the rule (index, query, window, timestamp_override with fallback, size, head)', async () => {
    const source = fakeSource([]);
    const rule = makeRule({ max_signals: 42, tiebreaker_field: 'event.sequence' });
    await runRule(rule, { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    expect(source.requests).toHaveLength(1);
    const req = source.requests[0];
    expect(req.index).toEqual(['winlogbeat-*', 'logs-endpoint.events.file-*']);
    expect(req.query).toBe(rule.query);
    expect(req.window).toEqual({ from: at(-9), to: at(0) });
    expect(req.timestampField).toBe('event.ingested');
    expect(req.fallbackToTimestamp).toBe(true);
    expect(req.size).toBe(42);
    expect(req.resultPosition).toBe('head');
    expect(req.tiebreakerField).toBe('event.sequence');
    expect(req.exceptions).toEqual([]);
  });

  it('judges events by event.ingested, falling back to @timestamp where it is missing', async () => {
    const lateIngested = fileEvent(at(-60), { ingested: at(-2), id: 'late' }); // old @timestamp, ingested in window
    const noIngested = fileEvent(at(-1), { ingested: null, id: 'no-ingested' }); // only @timestamp, in window
    const ingestedOutside = fileEvent(at(-1), { ingested: at(-30), id: 'ingested-before' }); // ingested before the window
    const source = fakeSource([lateIngested, noIngested, ingestedOutside]);
    const out = await runRule(makeRule(), { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    expect(out.created.map((a) => a.event._id).sort()).toEqual(['late', 'no-ingested']);
    // the alert's timestamp is the event's @timestamp
    expect(out.created.find((a) => a.event._id === 'late')?.timestamp).toBe(at(-60));
  });

  it('uses @timestamp when the rule has no timestamp_override', async () => {
    const source = fakeSource([]);
    await runRule(makeRule({ timestamp_override: null }), { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    expect(source.requests[0].timestampField).toBe('@timestamp');
  });

  it('a window whose answer fills max_signals is split, so events past the cap alert too; the run says the cap was reached', async () => {
    const events = Array.from({ length: 7 }, (_, i) => fileEvent(at(-8 + i)));
    const source = fakeSource(events);
    const out = await runRule(makeRule({ max_signals: 5 }), { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    expect(source.requests[0].size).toBe(5);
    expect(source.requests.length).toBeGreaterThan(1);
    expect(out.created.map((a) => a.event._id).sort()).toEqual(events.map((e) => e._id).sort());
    expect(countAlerts(getDb())).toBe(7);
    expect(out.run?.status).toBe('succeeded');
    expect(out.run?.hits).toBe(7);
    expect(out.run?.error).toMatch(/max_signals \(5\) reached/);
    expect(out.capped).toBe(false);
  });

  it('more than max_signals events in one second: the run records the capped window', async () => {
    const events = Array.from({ length: 7 }, () => fileEvent(at(-5)));
    const out = await runRule(makeRule({ max_signals: 5 }), { from: at(-9), to: at(0) }, { source: fakeSource(events), trigger: 'manual' });
    expect(out.created).toHaveLength(5);
    expect(out.capped).toBe(true);
    expect(out.run?.error).toMatch(/max_signals \(5\) reached in .*not alerted/);
  });

  it('copies the rule facts and entity fields onto the alert, with a stable id', async () => {
    const e = fileEvent(at(-1), { host: 'dc-02', path: 'C:\\Windows\\System32\\evil.dll', id: 'abc' });
    const out = await runRule(makeRule(), { from: at(-9), to: at(0) }, { source: fakeSource([e]), trigger: 'manual' });
    const a = out.created[0];
    expect(a.id).toBe(alertIdFor(RULE_ID, `${e._index}\u0000abc`));
    expect(a.id).toMatch(/^[0-9a-f]{40}$/);
    expect(a).toMatchObject({
      ruleId: RULE_ID,
      ruleVersion: 111,
      severity: 'high',
      riskScore: 73,
      status: 'open',
      hostName: 'dc-02',
      userName: 'SYSTEM',
      processName: 'lsass.exe',
      filePath: 'C:\\Windows\\System32\\evil.dll',
      version: 1,
    });
    expect(a.mitre).toEqual([{ tacticId: 'TA0005', tacticName: 'Defense Evasion', techniqueId: 'T1211', techniqueName: 'Exploitation for Defense Evasion' }]);
    expect(a.event).toEqual(e);
  });

  it('makes one alert per sequence, keeping every event, and never twice', async () => {
    const a = fileEvent(at(-5), { id: 's1' });
    const b = fileEvent(at(-4), { id: 's2' });
    const c = fileEvent(at(-3), { id: 's3' });
    const source = fakeSource([]);
    source.eqlSearch = async (): Promise<EqlSearchResult> => ({
      hits: {
        total: { value: 2, relation: 'eq' },
        sequences: [
          { join_keys: ['ws-01'], events: [a, { _index: '', _id: '', missing: true }, b] },
          { join_keys: ['ws-01'], events: [b, c] },
        ],
      },
      took: 1,
      isPartial: false,
      shardFailures: [],
    });
    const rule = makeRule({ query: 'sequence by host.name [file where true] [file where true]' });
    const first = await runRule(rule, { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    expect(first.created).toHaveLength(2);
    expect(first.created[0].event._id).toBe('s2');
    expect(first.created[0].sequenceEvents?.map((e) => e._id)).toEqual(['s1', 's2']);
    expect(first.created[1].sequenceEvents?.map((e) => e._id)).toEqual(['s2', 's3']);
    const again = await runRule(rule, { from: at(-4), to: at(5) }, { source, trigger: 'scheduled' });
    expect(again.created).toHaveLength(0);
    expect(countAlerts(getDb())).toBe(2);
  });

  it('records failures with the source message, and partial results with their shard failures', async () => {
    const source = fakeSource([fileEvent(at(-1))]);
    source.failWith = new EventSourceError({ kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:9200', retryable: true });
    const failed = await runRule(makeRule(), { from: at(-9), to: at(0) }, { source, trigger: 'scheduled', attempts: 2, sleep: async () => {} });
    expect(source.requests).toHaveLength(2); // retried once
    expect(failed.error?.retryable).toBe(true);
    expect(failed.run?.status).toBe('failed');
    expect(failed.run?.error).toContain('ECONNREFUSED');

    source.failWith = new EventSourceError({ kind: 'query_error', message: 'line 1:6: bad query', retryable: false });
    const bad = await runRule(makeRule(), { from: at(-9), to: at(0) }, { source, trigger: 'scheduled', attempts: 3, sleep: async () => {} });
    expect(source.requests).toHaveLength(3); // not retried
    expect(bad.error?.retryable).toBe(false);

    source.failWith = null;
    const base = source.eqlSearch.bind(source);
    source.eqlSearch = async (req) => ({ ...(await base(req)), isPartial: true, shardFailures: [{ index: 'winlogbeat-1', reason: 'node left' }] });
    const partial = await runRule(makeRule(), { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    expect(partial.run?.status).toBe('partial');
    expect(partial.run?.shardFailures).toEqual([{ index: 'winlogbeat-1', reason: 'node left' }]);
    expect(partial.created).toHaveLength(1);
    expect(listRuns(getDb(), { ruleId: RULE_ID }).map((r) => r.status)).toEqual(['partial', 'failed', 'failed']);
  });

  it('refuses a second concurrent run of the same rule', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const source = fakeSource([fileEvent(at(-1))]);
    const base = source.eqlSearch.bind(source);
    source.eqlSearch = async (req) => {
      await gate;
      return base(req);
    };
    const rule = makeRule();
    const p1 = runRule(rule, { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    const p2 = await runRule(rule, { from: at(-9), to: at(0) }, { source, trigger: 'manual' });
    expect(p2.busy).toBe(true);
    expect(p2.run).toBeNull();
    release();
    const r1 = await p1;
    expect(r1.created).toHaveLength(1);
  });

  it('an event without user.name takes the user of its process (process.user.name); none at all stays null', () => {
    const withProcUser = fileEvent(at(0));
    delete withProcUser._source.user;
    (withProcUser._source.process as Record<string, unknown>).user = { name: 'NT AUTHORITY\\SYSTEM' };
    const bare = fileEvent(at(1));
    delete bare._source.user;
    const alerts = buildAlerts(makeRule(), { events: [withProcUser, bare, fileEvent(at(2))] }, 'run', at(0), at(0));
    expect(alerts.map((a) => a.userName)).toEqual(['NT AUTHORITY\\SYSTEM', null, 'SYSTEM']);
  });

  it('buildAlerts drops an event repeated in one answer', () => {
    const e = fileEvent(at(0));
    expect(buildAlerts(makeRule(), { events: [e, e] }, 'run', at(0), at(0))).toHaveLength(1);
  });
});
