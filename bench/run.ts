/**
 * `npm run bench`: runs every module in bench/parts/*.ts (each exports `run(ctx)` returning
 * BenchRow[]), prints one table and writes bench/out/results.json.
 * BENCH_EVENTS overrides the event count (default 1,000,000); BENCH_PARTS=eql,store limits
 * the parts that run (parts: api, eql, incidents, load, pages, ruleset, store, triage;
 * BENCH_RULESET=es or =embedded runs one half of the ruleset part; pages and api need a
 * production build, pages also Chromium: NEXT_DIST_DIR=.next-pages for a build of its own).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { BenchContext, BenchPart, BenchRow } from './types';

const benchDir = path.dirname(new URL(import.meta.url).pathname);
const outDir = path.join(benchDir, 'out');
const sharedDir = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');

/** sha256 of gen_events.py output with the default seed (from shared/bench/README.md). */
const KNOWN_SHA256: Record<number, string> = {
  100000: '338cba9e30d33da1b61d0a308163a2b8f4433a2ab97492cfa52178e1bfe5ee4b',
  1000000: '763eaeddcf01ccb9f14cb5083977353a31d4e819e71eacaf62d48389f4da994b',
};

const eventsEnv = z.coerce.number().int().positive().optional().safeParse(process.env.BENCH_EVENTS || undefined);
if (!eventsEnv.success) {
  console.error(`BENCH_EVENTS must be a positive integer, got ${JSON.stringify(process.env.BENCH_EVENTS)}`);
  process.exit(2);
}
const events = eventsEnv.data ?? 1_000_000;

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

let eventsFilePromise: Promise<string> | null = null;

async function makeEventsFile(log: (m: string) => void): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `events-${events}.jsonl`);
  const expected = KNOWN_SHA256[events];
  if (existsSync(file)) {
    if (!expected || (await sha256(file)) === expected) return file;
    log(`${file}: checksum mismatch, regenerating`);
  }
  const gen = path.join(sharedDir, 'bench', 'gen_events.py');
  if (!existsSync(gen)) throw new Error(`generator not found: ${gen}`);
  log(`generating ${events} events with ${gen} …`);
  const tmp = `${file}.tmp`;
  const r = spawnSync('python3', [gen, String(events), tmp], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`gen_events.py failed (exit ${r.status ?? 'signal'})`);
  if (expected) {
    const got = await sha256(tmp);
    if (got !== expected) throw new Error(`generated file has sha256 ${got}, the bench README says ${expected}`);
  }
  renameSync(tmp, file);
  return file;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(4).replace(/\.?0+$/, '');
}

function table(rows: BenchRow[]): string {
  const header = ['part', 'name', 'value', 'unit', 'baseline', 'ratio', 'goal', 'memory'];
  const body = rows.map((r) => [
    r.part,
    r.name,
    fmt(r.value),
    r.unit,
    r.baseline ? `${fmt(r.baseline.value)} ${r.baseline.unit} (${r.baseline.source})` : '',
    r.baseline && r.baseline.value !== 0 ? `${(r.value / r.baseline.value).toFixed(2)}x` : '',
    r.goal ?? '',
    r.peakMemoryMiB !== undefined ? `${fmt(r.peakMemoryMiB)} MiB` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

const PartModule = z.object({ run: z.function() });

async function main(): Promise<number> {
  const ctx: BenchContext = {
    outDir,
    sharedDir,
    events,
    eventsFile() {
      eventsFilePromise ??= makeEventsFile(ctx.log);
      return eventsFilePromise;
    },
    log(message) {
      console.error(`[bench] ${message}`);
    },
  };
  const only = process.env.BENCH_PARTS?.split(',').map((s) => s.trim()).filter(Boolean);
  const partsDir = path.join(benchDir, 'parts');
  const files = existsSync(partsDir) ? readdirSync(partsDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort() : [];
  const rows: BenchRow[] = [];
  const errors: string[] = [];
  for (const f of files) {
    const name = f.replace(/\.ts$/, '');
    if (only && !only.includes(name)) continue;
    ctx.log(`part ${name} …`);
    try {
      const mod: unknown = await import(pathToFileURL(path.join(partsDir, f)).href);
      if (!PartModule.safeParse(mod).success) throw new Error('exports no run(ctx)');
      const part = mod as BenchPart;
      rows.push(...(await part.run(ctx)));
    } catch (e) {
      const msg = `${name}: ${e instanceof Error ? e.message : String(e)}`;
      errors.push(msg);
      ctx.log(`FAILED ${msg}`);
    }
  }
  console.log(table(rows));
  for (const r of rows) if (r.notes) console.log(`  ${r.part} / ${r.name}: ${r.notes}`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    path.join(outDir, 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), events, node: process.version, rows, errors }, null, 2)}\n`,
  );
  if (errors.length > 0) {
    console.log(`bench: ${errors.length} part(s) failed:\n  ${errors.join('\n  ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 2;
  },
);
