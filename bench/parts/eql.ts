/**
 * EQL bench: query phase over events already in memory (JSON decoding reported apart),
 * median of 3, for (a) the seed rule's query as an event filter, (b) a sequence by
 * process.entity_id with maxspan, (c) parse+check of the whole rules corpus; plus a
 * same-process baseline (a plain loop reading one field of every event).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { compileQuery, parse, parseAndCheck } from '../../lib/eql';
import type { EqlEvent } from '../../lib/eql/types';
import type { BenchContext, BenchRow } from '../types';

const PYTHON_FILTER_EPS = 435_000;
const PYTHON_SEQUENCE_EPS = 150_000;
const SEQUENCE_QUERY =
  'sequence by process.entity_id with maxspan=30s [process where event.type == "start"] [network where true]';
/** result counts the bench README gives for the 1M-event file */
const EXPECTED_1M = { filter: 1322, sequence: 76625 };

function peakMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Runs `fn` 3 times; returns the median wall-clock time in ms, the median CPU time of the
 * process in ms (user + system: on a shared machine it shows the work apart from waiting
 * for a core) and the last result.
 */
function measure<T>(fn: () => T): { ms: number; cpuMs: number; result: T } {
  const times: number[] = [];
  const cpu: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    result = fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(times), cpuMs: median(cpu), result: result as T };
}

function rate(n: number, ms: number): string {
  return `${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;
}

const SeedRule = z.object({ rule: z.object({ query: z.string() }) });

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const file = await ctx.eventsFile();
  const n = ctx.events;

  // load (JSON decoding), reported apart
  const t0 = process.hrtime.bigint();
  const text = readFileSync(file, 'utf8');
  const events: EqlEvent[] = [];
  let start = 0;
  let i = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) {
      events.push({ _index: 'bench', _id: String(i++), _source: JSON.parse(text.slice(start, end)) as Record<string, unknown> });
    }
    start = end + 1;
  }
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  rows.push({
    part: 'eql',
    name: `load: read + JSON-decode ${events.length.toLocaleString('en-US')} events`,
    value: loadMs,
    unit: 'ms',
    peakMemoryMiB: peakMiB(),
    notes: `${Math.round(events.length / (loadMs / 1000)).toLocaleString('en-US')} events/s decoded`,
  });

  // baseline: a plain loop reading one nested field of every event
  const base = measure(() => {
    let c = 0;
    for (let k = 0; k < events.length; k++) {
      const ev = events[k]!._source.event as { category?: unknown } | undefined;
      if (ev !== undefined && ev.category === 'file') c++;
    }
    return c;
  });
  const baseEps = events.length / (base.ms / 1000);
  rows.push({
    part: 'eql',
    name: 'baseline: plain JS loop reading event.category',
    value: baseEps,
    unit: 'events/s',
    peakMemoryMiB: peakMiB(),
    notes: `${base.result} file events; shows this machine's speed; by CPU time ${rate(events.length, base.cpuMs)}`,
  });

  /** One query over all events: its events/s row, against the Python reference and this machine's baseline loop; at 1M events the count must be the known one. */
  const throughput = (label: string, query: string, count: (r: ReturnType<ReturnType<typeof compileQuery>['run']>) => number, what: string, expected: number, pythonEps: number, goal: string) => {
    const q = compileQuery(parse(query), { size: events.length + 1 });
    const r = measure(() => count(q.run(events)));
    const eps = events.length / (r.ms / 1000);
    rows.push({
      part: 'eql',
      name: `${label}, ${n.toLocaleString('en-US')} events`,
      value: eps,
      unit: 'events/s',
      baseline: { value: pythonEps, unit: 'events/s', source: 'Python EQL reference, bench README' },
      goal,
      peakMemoryMiB: peakMiB(),
      notes: `${r.result} ${what}${n === 1_000_000 ? ` (expected ${expected})` : ''}; median of 3 = ${r.ms.toFixed(1)} ms wall, ${r.cpuMs.toFixed(1)} ms CPU (${rate(events.length, r.cpuMs)} by CPU time); ${(eps / baseEps).toFixed(2)}x of the same-process baseline loop`,
    });
    if (n === 1_000_000 && r.result !== expected) throw new Error(`${label.slice(0, 3)} found ${r.result} ${what}, expected ${expected}`);
  };

  // (a) seed rule as an event filter
  const seedFile = path.join(ctx.sharedDir, 'rules', 'seed-rule.v2024-05.toml');
  const seed = SeedRule.parse(parseToml(readFileSync(seedFile, 'utf8')));
  throughput('(a) seed rule v111 as event filter', seed.rule.query, (r) => r.events?.length ?? 0, 'hits', EXPECTED_1M.filter, PYTHON_FILTER_EPS, '>= 5000000');

  // (b) sequence
  throughput('(b) sequence by entity_id maxspan=30s', SEQUENCE_QUERY, (r) => r.sequences?.length ?? 0, 'sequences', EXPECTED_1M.sequence, PYTHON_SEQUENCE_EPS, '>= 1500000');

  // (c) parse + check of the rules corpus
  const corpusFile = path.join(ctx.sharedDir, 'rules', 'eql-rules.jsonl');
  const queries = readFileSync(corpusFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => z.object({ query: z.string() }).parse(JSON.parse(l)).query);
  const rc = measure(() => {
    let bad = 0;
    for (const q of queries) if (parseAndCheck(q).diagnostics.length > 0) bad++;
    return bad;
  });
  rows.push({
    part: 'eql',
    name: `(c) parse + check of the rules corpus (${queries.length} queries)`,
    value: rc.ms,
    unit: 'ms',
    peakMemoryMiB: peakMiB(),
    notes: `${Math.round(queries.length / (rc.ms / 1000)).toLocaleString('en-US')} queries/s; ${rc.result} with diagnostics`,
  });
  return rows;
}
