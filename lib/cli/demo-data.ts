/**
 * `guidepost demo-data [--events N] [--seed S] [--now DATE]`
 *
 * (Re)loads the deterministic demo data set into the embedded store
 * (`<GUIDEPOST_DATA_DIR>/events.db`): clears the demo indices, writes the events, and prints
 * the counts per index and the stories (which events must and must not alert). Progress
 * goes to stderr for large loads. Running the rules afterwards is `run-rules`' job.
 */
import { z } from 'zod';
import { cliCommand } from './args';
import { DEFAULT_DEMO_EVENTS, DEFAULT_DEMO_SEED, type DemoStory } from '../demo/generate';
import { loadDemoData } from '../demo/load';
import { openEventStore } from '../events/embedded/store';

const usage = 'usage: guidepost demo-data [--events N] [--seed S] [--now DATE]';

const intArg = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a non-negative integer`)
    .transform(Number)
    .pipe(z.number().int().min(0).max(max, `${name} must be at most ${max}`));

const argsSchema = z.object({
  events: intArg('--events', 2_000_000).default(DEFAULT_DEMO_EVENTS),
  seed: intArg('--seed', 0xffffffff).default(DEFAULT_DEMO_SEED),
  now: z
    .string()
    .refine((s) => Number.isFinite(Date.parse(s)), '--now must be an ISO-8601 date')
    .transform((s) => new Date(s))
    .optional(),
});

const cli = cliCommand('demo-data', usage);

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function formatStories(stories: DemoStory[]): string[] {
  return stories.map(
    (s) =>
      `  ${pad(s.expected === 'alert' ? 'ALERT' : 'NEAR-MISS', 10)}${pad(s.id, 28)}${pad(s.host, 14)}${pad(s.user, 22)}${s.at}  ` +
      `fire=${s.mustFire.map((r) => r._id).join(',') || '-'}  quiet=${s.mustNotFire.length}  ${s.title}`,
  );
}

export async function main(argv: string[]): Promise<number> {
  const parsed = cli.parse(argv, { strings: ['events', 'seed', 'now'] });
  if (typeof parsed === 'number') return parsed;
  const args = argsSchema.safeParse(parsed.values);
  if (!args.success) return cli.invalid(args.error);
  const { events, seed } = args.data;
  const now = args.data.now ?? new Date();

  const store = openEventStore();
  try {
    const big = events > 20_000;
    if (big) console.error(`generating about ${events.toLocaleString('en')} events…`);
    let lastPct = 0;
    let lastWritten = 0;
    const res = await loadDemoData(store, {
      now,
      seed,
      events,
      batchSize: 5_000,
      onProgress: ({ written, total }) => {
        if (!big || written === lastWritten) return;
        const pct = Math.floor((written / total) * 100);
        if (pct >= lastPct + 10 || written === total) {
          lastPct = pct;
          lastWritten = written;
          console.error(`  wrote ${written.toLocaleString('en')} / ${total.toLocaleString('en')} (${pct}%)`);
        }
      },
    });
    console.log(`demo data (seed ${res.seed}) in ${store.file}`);
    console.log(`  window ${res.window.from} .. ${res.window.to}`);
    console.log(`  cleared ${res.cleared} old demo events; wrote ${res.written} (stored ${res.stored}, replaced ${res.replaced})`);
    console.log('');
    console.log(`  ${pad('index', 42)}events`);
    for (const [index, n] of Object.entries(res.counts).sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`  ${pad(index, 42)}${n}`);
    }
    console.log('');
    const alerts = res.stories.filter((s) => s.expected === 'alert').length;
    console.log(`stories: ${alerts} must alert, ${res.stories.length - alerts} near misses must not`);
    for (const line of formatStories(res.stories)) console.log(line);
    return 0;
  } finally {
    store.close();
  }
}
