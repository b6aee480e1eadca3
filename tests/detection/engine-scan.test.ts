/**
 * The scan-once engine's shortcuts, each against the store's own per-rule search:
 * - the dispatch probe (requirements.makeProbe) never says "no value" where the document
 *   reader (lib/eql/document rawFieldValues) finds one, and never reports a string the reader
 *   would not;
 * - a search keeps only the events its query's filter passes (a long window holds its matches);
 * - a filter that throws on an event sends the search to the store (which reports the error);
 * - a search whose index patterns match no stored index answers empty without widening the range;
 * - windows longer than MAX_SCAN_SPAN_MS are scanned together, apart from the short ones.
 */
import { describe, expect, it } from 'vitest';
import { rawFieldValues } from '@/lib/eql/document';
import { makeProbe, SOME_VALUE } from '@/lib/detection/engine/requirements';
import { ScanCycle } from '@/lib/detection/engine/scan';
import { runScanCycle, type RuleTask } from '@/lib/detection/engine/cycle';
import { openEventStore } from '@/lib/events/embedded/store';
import { createEmbeddedSource } from '@/lib/events/embedded/source';
import type { EqlSearchRequest, EventSource } from '@/lib/events/types';
import { makeRule } from './helpers';

describe('the dispatch probe', () => {
  // documents written to trip a reader: dotted keys beside nested objects, arrays on the way,
  // nulls, empty lists, numbers, prototype names
  const docs: Record<string, unknown>[] = [
    { process: { name: 'cmd.exe' } },
    { 'process.name': 'cmd.exe' },
    { process: { name: 'a' }, 'process.name': 'b' },
    { process: { 'parent.name': 'x' } },
    { 'process.parent': { name: 'y' } },
    { process: [{ name: 'a' }, { name: 'b' }] },
    { process: [{ name: 'a' }] },
    { process: { name: ['a', 'b'] } },
    { process: { name: [] } },
    { process: { name: [null] } },
    { process: { name: null } },
    { process: null },
    { process: 'flat' },
    { process: { name: 4 } },
    { process: { name: { first: 'a' } } },
    { process: { parent: { name: 'p' } } },
    { 'process.parent.name': 'q', process: { parent: null } },
    { constructor: 'c' },
    {},
    { process: { toString: 'own' } },
  ];
  const paths = ['process.name', 'process.parent.name', 'process', 'constructor', 'process.toString', 'hasOwnProperty', 'a.b.c.d.e.f.g'];

  it('agrees with the document reader on every path of every document', () => {
    for (const doc of docs) {
      for (const p of paths) {
        const values = rawFieldValues(doc, p);
        const got = makeProbe(p)(doc);
        const where = `${p} of ${JSON.stringify(doc)}`;
        if (got === undefined) expect(values, where).toEqual([]);
        else if (got !== SOME_VALUE) expect(values, where).toEqual([got]);
        else expect(values.length, where).toBeGreaterThanOrEqual(0); // anything: passes every condition
        // a single string the reader finds is the probe's answer, or SOME_VALUE (never missing)
        if (values.length === 1 && typeof values[0] === 'string') expect([values[0], SOME_VALUE], where).toContain(got);
        if (values.length > 0) expect(got, where).not.toBeUndefined();
      }
    }
  });
});

function store() {
  const s = openEventStore({ file: ':memory:' });
  const ev = (id: string, ts: string, name: string, index = 'logs-endpoint.events.process-default') => ({
    _index: index,
    _id: id,
    _source: { '@timestamp': ts, event: { category: 'process', type: 'start' }, process: { name: name, args: ['x'] }, host: { name: 'h1' } },
  });
  s.insert([
    ev('a', '2026-03-01T00:10:00.000Z', 'cmd.exe'),
    ev('b', '2026-03-01T01:10:00.000Z', 'calc.exe'),
    ev('c', '2026-03-01T05:10:00.000Z', 'cmd.exe'),
    ev('d', '2026-03-01T11:50:00.000Z', 'cmd.exe'),
    ev('e', '2026-03-01T11:55:00.000Z', 'pwsh.exe'),
  ]);
  return s;
}

const req = (query: string, from: string, to: string, index = ['logs-endpoint.events.*']): EqlSearchRequest => ({
  index,
  query,
  window: { from, to },
  timestampField: '@timestamp',
  fallbackToTimestamp: true,
  size: 100,
  resultPosition: 'head',
  exceptions: [],
});

const ids = (r: { hits: { events?: { _id: string }[] } }) => (r.hits.events ?? []).map((e) => e._id);

describe('a scan', () => {
  it('keeps only the events the query filter passes, and answers as the store does', async () => {
    const s = store();
    const base = createEmbeddedSource(s);
    // no literal condition for the dispatch to test: every process event reaches the search's filter
    const q = req('process where length(process.name) == 7', '2026-03-01T00:00:00Z', '2026-03-01T12:00:00Z');
    const cycle = new ScanCycle(base, s);
    expect(cycle.add(q)).toBe(true);
    expect(cycle.prepare()).toBe(true);
    expect(cycle.serves(q)).toBe(true);
    const plan = (cycle as unknown as { plans: Map<string, { candidates: unknown[] }> }).plans.values().next().value!;
    expect(plan.candidates).toHaveLength(3); // a, c, d (cmd.exe) — not calc.exe nor pwsh.exe
    expect(ids(await cycle.eqlSearch(q))).toEqual(ids(await base.eqlSearch(q)));
    expect(ids(await cycle.eqlSearch(q))).toEqual(['a', 'c', 'd']);
  });

  it('a filter that throws sends the search to the store, which reports the error', async () => {
    const s = store();
    const base = createEmbeddedSource(s);
    // EQL's runtime errors are rare (most give null), so the compiled filter is made to throw
    const q = req('process where process.name : "cmd.exe"', '2026-03-01T00:00:00Z', '2026-03-01T12:00:00Z');
    const cycle = new ScanCycle(base, s);
    cycle.add(q);
    const plan = (cycle as unknown as { plans: Map<string, { compiled: { filter: (s: unknown) => boolean } }> }).plans.values().next().value!;
    const compiled = plan.compiled;
    const saved = compiled.filter;
    let delegated = 0;
    const spy: EventSource = { ...base, eqlSearch: (r) => (delegated++, base.eqlSearch(r)) };
    try {
      compiled.filter = () => {
        throw new Error('boom');
      };
      const c2 = new ScanCycle(spy, s);
      c2.add(q);
      c2.prepare();
      expect(c2.serves(q)).toBe(false);
      compiled.filter = saved;
      expect(ids(await c2.eqlSearch(q))).toEqual(['a', 'c', 'd']);
      expect(delegated).toBe(1);
    } finally {
      compiled.filter = saved;
    }
  });

  it('index patterns that match no stored index: answered empty, the range read is not widened', async () => {
    const s = store();
    const base = createEmbeddedSource(s);
    const none = req('any where true', '2026-03-01T00:00:00Z', '2026-03-01T12:00:00Z', ['logs-google_workspace.*']);
    const short = req('process where process.name : "pwsh.exe"', '2026-03-01T11:51:00Z', '2026-03-01T12:00:00Z');
    const cycle = new ScanCycle(base, s);
    expect(cycle.add(none)).toBe(true);
    expect(cycle.add(short)).toBe(true);
    expect(cycle.scanRange).toEqual({ from: Date.parse('2026-03-01T11:51:00Z'), to: Date.parse('2026-03-01T12:00:00Z') });
    cycle.prepare();
    expect(cycle.stats.events).toBe(1); // e alone
    expect(cycle.serves(none)).toBe(true);
    expect(await cycle.eqlSearch(none)).toEqual({ ...(await base.eqlSearch(none)), took: expect.any(Number) });
    expect(ids(await cycle.eqlSearch(short))).toEqual(['e']);
    // only index-less searches: nothing is read, still answered (empty) by the cycle
    const only = new ScanCycle(base, s);
    only.add(none);
    expect(only.prepare()).toBe(false);
    expect(only.serves(none)).toBe(true);
    expect(ids(await only.eqlSearch(none))).toEqual([]);
  });

  it('a 12-hour window is scanned with the other long ones, apart from the short scan', async () => {
    const s = store();
    const base = createEmbeddedSource(s);
    const now = new Date('2026-03-01T12:00:00Z');
    const long1 = makeRule({ rule_id: 'long-1', query: 'process where process.name : "cmd.exe"', index: ['logs-endpoint.events.*'], from: 'now-12h', interval: '6h', timestamp_override: undefined });
    const long2 = makeRule({ rule_id: 'long-2', query: 'process where process.name : "calc.exe"', index: ['logs-endpoint.events.*'], from: 'now-12h', interval: '6h', timestamp_override: undefined });
    const short = makeRule({ rule_id: 'short', query: 'process where true', index: ['logs-endpoint.events.*'], from: 'now-9m', timestamp_override: undefined });
    const task = (rule: typeof long1, from: string): RuleTask => ({ rule, now, windows: [{ window: { from, to: now.toISOString() }, gapAfter: null }], next: 0, done: false, coveredTo: -Infinity });
    const tasks = [task(short, '2026-03-01T11:51:00.000Z'), task(long1, '2026-03-01T00:00:00.000Z'), task(long2, '2026-03-01T00:00:00.000Z')];
    const answers = new Map<string, string[]>();
    const scans: { events: number; served: number; delegated: number; range: string }[] = [];
    await runScanCycle(tasks, {
      base,
      store: s,
      stopped: () => false,
      runWindows: async (t, src) => {
        const r = await src.eqlSearch(req(t.rule.query, t.windows[t.next]!.window.from, t.windows[t.next]!.window.to));
        answers.set(t.rule.rule_id, ids(r));
        t.next++;
        t.done = true;
      },
      onScan: (st, range) => scans.push({ events: st.events, served: st.served, delegated: st.delegated, range: `${range.from}..${range.to}` }),
    });
    expect(Object.fromEntries(answers)).toEqual({ 'long-1': ['a', 'c', 'd'], 'long-2': ['b'], short: ['e'] });
    expect(scans).toEqual([
      { events: 5, served: 2, delegated: 0, range: '2026-03-01T00:00:00.000Z..2026-03-01T12:00:00.000Z' },
      { events: 1, served: 1, delegated: 0, range: '2026-03-01T11:51:00.000Z..2026-03-01T12:00:00.000Z' },
    ]);
  });
});
