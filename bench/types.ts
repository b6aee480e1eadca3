/**
 * Benchmark parts: `npm run bench` (bench/run.ts) runs every module in bench/parts/,
 * prints one table and writes bench/out/results.json.
 */
export interface BenchRow {
  /** part, e.g. 'eql', 'store', 'triage', 'api' */
  part: string;
  /** what was measured, e.g. '(a) seed rule as event filter, 1M events' */
  name: string;
  /** the figure, e.g. events/s or ms */
  value: number;
  unit: string;
  /** the reference / baseline figure measured or quoted for the same thing, when there is one */
  baseline?: { value: number; unit: string; source: string };
  /** the project's goal for the figure, when the issue sets one, e.g. '>= 5000000' */
  goal?: string;
  /** peak RSS / heap during the measurement, MiB */
  peakMemoryMiB?: number;
  /** free-form: result counts, sample sizes */
  notes?: string;
}

export interface BenchContext {
  /** a directory for generated files (bench/out), kept between runs */
  outDir: string;
  /** ../shared */
  sharedDir: string;
  /** number of events for the large runs (default 1,000,000; BENCH_EVENTS overrides) */
  events: number;
  /** path to a JSON-lines file of `events` events written by shared/bench/gen_events.py (created on demand) */
  eventsFile(): Promise<string>;
  log(message: string): void;
}

export interface BenchPart {
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
