/**
 * The scan-once engine (lib/detection/engine) against per-rule runs, for every rule of
 * ../shared/rules/eql-rules.jsonl, over three stores:
 *   - the demo data (lib/demo),
 *   - a seeded slice of the bench generator's events (../shared/bench/gen_events.py, written
 *     at test time) given data_stream fields, so they land in logs-endpoint.events.<category>-default,
 *   - the datasets of ../shared/datasets: a seeded subset of slices of every file (all of
 *     every file with GUIDEPOST_DIFF_FULL=1).
 * 1. Search level: for each rule and window, the store's own per-rule search and the
 *    scan-once cycle answer the same events / sequences, in the same order.
 * 2. Alert level (demo data): two scheduler cycles with gap catch-up, an exception and a
 *    small max_signals, once per rule and once with the scan engine, on fresh app databases:
 *    the same alerts (ids, events, sequence events) and the same run records.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '@/lib/rules/load';
import type { Rule } from '@/lib/rules/model';
import { openEventStore, type EventStore } from '@/lib/events/embedded/store';
import { createEmbeddedSource } from '@/lib/events/embedded/source';
import { ingestFile } from '@/lib/events/ingest';
import type { EqlSearchResult, EventSource, TimeWindow } from '@/lib/events/types';
import { generateDemoData } from '@/lib/demo';
import { ScanCycle } from '@/lib/detection/engine/scan';
import { buildSearchRequest } from '@/lib/detection/run';
import { Scheduler } from '@/lib/detection/scheduler';
import { runBackfill } from '@/lib/detection/backfill';
import { createException } from '@/lib/detection/exceptions';
import { useMemoryDb as freshAppDb, getDb } from '@/lib/store/db';
import { initCoverage } from '@/lib/store/rule-state';
import { getFieldString } from '@/lib/detection/fields';
import { Rng } from '@/lib/demo/rng';

const SHARED = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const FULL = process.env.GUIDEPOST_DIFF_FULL === '1';
const SEED = 20261204;

let rules: Rule[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-engine-diff-'));

beforeAll(() => {
  const corpus = loadCorpus(path.join(SHARED, 'rules', 'eql-rules.jsonl'));
  expect(corpus.errors).toEqual([]);
  rules = corpus.rules.filter((r) => r.type === 'eql');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** seeded numbers in [0, 1): the demo data's mulberry32 */
function rng(seed: number): () => number {
  const g = new Rng(seed);
  return () => g.next();
}

function summary(r: EqlSearchResult): string[] {
  const ref = (e: { _index: string; _id: string }) => `${e._index}/${e._id}`;
  return [...(r.hits.events ?? []).map(ref), ...(r.hits.sequences ?? []).map((s) => 'seq:' + s.events.map((e) => ('missing' in e && e.missing ? '-' : ref(e))).join(','))];
}

async function answer(source: EventSource, req: ReturnType<typeof buildSearchRequest>): Promise<string[] | string> {
  try {
    return summary(await source.eqlSearch(req));
  } catch (e) {
    return `error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Every rule over every window: per-rule search and scan cycle. Returns hits per rule. */
async function compareSearches(store: EventStore, windows: TimeWindow[]): Promise<{ hits: Map<string, number>; served: number; delegated: number }> {
  const base = createEmbeddedSource(store);
  const hits = new Map<string, number>();
  let served = 0;
  let delegated = 0;
  for (const w of windows) {
    const cycle = new ScanCycle(base, store);
    for (const r of rules) cycle.add(buildSearchRequest(r, w, []));
    expect(cycle.prepare()).toBe(true);
    const mismatches: string[] = [];
    for (const r of rules) {
      const req = buildSearchRequest(r, w, []);
      const want = await answer(base, req);
      const got = await answer(cycle, req);
      if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push(`${r.rule_id} ${r.name} ${w.from}..${w.to}: per-rule ${JSON.stringify(want).slice(0, 300)} scan ${JSON.stringify(got).slice(0, 300)}`);
      if (Array.isArray(want)) hits.set(r.rule_id, (hits.get(r.rule_id) ?? 0) + want.length);
    }
    expect(mismatches).toEqual([]);
    served += cycle.stats.served;
    delegated += cycle.stats.delegated;
  }
  return { hits, served, delegated };
}

function bounds(store: EventStore): { from: number; to: number } {
  const b = store.db.prepare('SELECT min(min(ts), min(eff_ts)) AS a, max(max(ts), max(eff_ts)) AS b FROM events').get() as { a: number; b: number };
  return { from: b.a, to: b.b };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('scan-once engine = per-rule runs, all rules', () => {
  const DEMO_NOW = Date.parse('2026-11-20T12:00:00.000Z');
  const demo = generateDemoData({ now: new Date(DEMO_NOW), events: 6000 });
  it('demo data: the same answers for every rule over 9-minute windows around the stories (the whole demo window: the alert test below)', async () => {
    const store = openEventStore({ file: ':memory:' });
    store.insert(demo.events);
    // 9-minute windows around seeded picks of the stories' must-fire events (sequences cut or whole)
    const r = rng(SEED);
    const refs = demo.stories.flatMap((s) => s.mustFire);
    const times = store.db.prepare('SELECT ts FROM events WHERE idx = ? AND doc_id = ?');
    const windows: TimeWindow[] = [];
    for (const ref of refs.filter(() => r() < 0.5).slice(0, 3)) {
      const t = (times.get(ref._index, ref._id) as { ts: number } | undefined)?.ts;
      if (t) windows.push({ from: iso(t - 9 * 60_000 + Math.floor(r() * 60_000)), to: iso(t + Math.floor(r() * 120_000)) });
    }
    expect(windows.length).toBe(3);
    const { hits, served } = await compareSearches(store, windows);
    // not vacuous: rules find something there, and the cycle answered them itself
    expect([...hits.values()].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(served).toBeGreaterThan(rules.length * windows.length * 0.9);
    store.close();
  }, 600_000);

  it('bench events with data_stream fields (logs-endpoint.events.<category>-default)', async () => {
    const file = path.join(tmp, 'bench.jsonl');
    const gen = spawnSync('python3', [path.join(SHARED, 'bench', 'gen_events.py'), FULL ? '100000' : '6000', file, String(SEED)], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const events = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        const src = JSON.parse(l) as { event: { category: string } } & Record<string, unknown>;
        const cat = src.event.category;
        src.data_stream = { type: 'logs', dataset: `endpoint.events.${cat}`, namespace: 'default' };
        return { _index: `logs-endpoint.events.${cat}-default`, _id: `bench-${i}`, _source: src };
      });
    const store = openEventStore({ file: ':memory:' });
    store.insert(events);
    const b = bounds(store);
    const mid = Math.floor((b.from + b.to) / 2);
    const windows = [
      { from: iso(b.from), to: iso(b.to) },
    ];
    if (FULL) windows.push({ from: iso(mid - 20_000), to: iso(mid + 20_000) });
    const { hits } = await compareSearches(store, windows);
    // the seed rule's query (lsass.exe & co. writing exe/dll) matches this data
    expect([...hits.values()].reduce((a, n) => a + n, 0)).toBeGreaterThan(0);
    store.close();
  }, 600_000);

  it('the datasets of ../shared/datasets (a seeded subset of slices; all with GUIDEPOST_DIFF_FULL=1)', async () => {
    const root = path.join(SHARED, 'datasets');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(json|ndjson|jsonl)$/.test(e.name)) files.push(p);
      }
    };
    walk(root);
    files.sort();
    expect(files.length).toBeGreaterThan(20);
    const r = rng(SEED + 1);
    const store = openEventStore({ file: ':memory:' });
    let ingested = 0;
    for (const f of files) {
      let input: string = f;
      if (!FULL) {
        // a contiguous run of at most 150 events (array or line-per-event files), from a seeded start
        const text = fs.readFileSync(f, 'utf8');
        let docs: string[] | null = null;
        try {
          const whole: unknown = JSON.parse(text);
          if (Array.isArray(whole)) docs = whole.map((d) => JSON.stringify(d));
        } catch {
          docs = text.split('\n').filter((l) => l.trim() !== '');
        }
        if (docs && docs.length > 150) {
          const start = Math.floor(r() * (docs.length - 150));
          input = path.join(tmp, `slice-${files.indexOf(f)}-${path.basename(f)}`);
          fs.writeFileSync(input, docs.slice(start, start + 150).join('\n') + '\n');
        }
      }
      const rep = await ingestFile(input, { store, worker: false });
      ingested += rep.stored;
    }
    expect(ingested).toBeGreaterThan(1000);
    const b = bounds(store);
    const { hits } = await compareSearches(store, [{ from: iso(b.from), to: iso(b.to) }]);
    expect([...hits.values()].filter((n) => n > 0).length).toBeGreaterThan(0);
    store.close();
  }, 600_000);

  it('alerts: two scheduler cycles (gap catch-up, an exception, max_signals 3) and a backfill create the same alerts and run records either way', async () => {
    const now0 = DEMO_NOW;
    const store = openEventStore({ file: ':memory:' });
    store.insert(demo.events);
    const source = createEmbeddedSource(store);
    // a rule that fires on the demo data gets max_signals 3 (its windows are split)
    const probe = new ScanCycle(source, store);
    for (const r of rules) probe.add(buildSearchRequest(r, demo.window, []));
    probe.prepare();
    const firing: string[] = [];
    for (const r of rules) {
      const h = (await probe.eqlSearch(buildSearchRequest(r, demo.window, []))).hits;
      if ((h.events?.length ?? 0) + (h.sequences?.length ?? 0) > 3) firing.push(r.rule_id);
    }
    firing.sort();
    expect(firing.length).toBeGreaterThan(2);
    const [small, excepted] = firing as [string, string];
    const set = rules.map((r) => (r.rule_id === small ? { ...r, max_signals: 3 } : r));

    let served = 0;
    async function cycles(engine: 'scan' | 'per-rule') {
      freshAppDb();
      let t = now0;
      for (const r of set) initCoverage(getDb(), r.rule_id, iso(now0 - 73 * 3_600_000));
      // an exception on the host of one of the rule's hits
      const first = (await source.eqlSearch(buildSearchRequest(set.find((r) => r.rule_id === excepted)!, demo.window, []))).hits;
      const hit = first.events?.[0] ?? first.sequences?.[0]?.events.find((e) => '_source' in e);
      const host = hit && '_source' in hit ? getFieldString(hit._source, 'host.name') : null;
      expect(host).toBeTruthy();
      createException({ ruleId: excepted, entries: [{ field: 'host.name', operator: 'is', values: [host!] }] }, { actor: 'test', now: new Date(t) });
      const s = new Scheduler({ source: () => source, rules: () => set, now: () => new Date(t), engine, chunkMs: () => 74 * 3_600_000, maxChunksPerTick: 100, scan: { maxSpanMs: 75 * 3_600_000, onScan: (st) => (served += st.served) } });
      await s.tick();
      t += 7 * 60_000;
      await s.tick({ force: true });
      // and a backfill (chunk by chunk, every chunk read once on the scan engine) of 4 hours
      // before the alerts' catch-up ended (max_signals splits included)
      const bf = await runBackfill(set, { from: iso(now0 - 30 * 3_600_000), to: iso(now0 - 26 * 3_600_000) }, { source, engine, chunkMs: 3_600_000, trigger: 'manual', now: () => new Date(t) });
      expect(bf.errors).toEqual([]);
      const alerts = getDb()
        .prepare('SELECT id, rule_id, dedup_key, event_index, event_id, event, sequence_events, timestamp, host_name, user_name FROM alerts ORDER BY id')
        .all();
      const runs = getDb().prepare('SELECT rule_id, from_ts, to_ts, status, hits, alerts_created, error, trigger FROM rule_runs ORDER BY rule_id, from_ts, to_ts').all();
      const states = getDb().prepare('SELECT rule_id, last_success_end, gap_from, gap_to FROM rule_state ORDER BY rule_id').all();
      return { alerts, runs, states };
    }
    const perRule = await cycles('per-rule');
    const scan = await cycles('scan');
    expect(perRule.alerts.length).toBeGreaterThan(20);
    // the scan engine answered (nearly) every run itself
    const scheduled = (scan.runs as { trigger: string }[]).filter((x) => x.trigger === 'scheduled').length;
    expect(scheduled).toBeGreaterThan(rules.length * 2);
    expect(served).toBeGreaterThan(scheduled * 0.9);
    expect(scan.runs).toEqual(perRule.runs);
    expect(scan.alerts).toEqual(perRule.alerts);
    expect(scan.states).toEqual(perRule.states);
    store.close();
  }, 600_000);
});
