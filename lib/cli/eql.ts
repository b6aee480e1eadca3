/**
 * `guidepost eql <query> [--index PATTERN] [--from DATE] [--to DATE] [--size N]`
 *
 * Runs EQL over the embedded store and prints the hits as JSON shaped like the `hits` of
 * an `_eql/search` response. A bad query prints the error with line and column (and a
 * caret under the spot) on stderr and exits 1.
 */
import datemath from '@elastic/datemath';
import moment from 'moment';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { EqlError } from '../eql/errors';
import { createEmbeddedSource } from '../events/embedded/source';
import { getEventStore } from '../events/embedded/store';

const usage = 'usage: guidepost eql <query> [--index PATTERN] [--from DATE] [--to DATE] [--size N]';

function fail(message: string): number {
  console.error(`guidepost eql: ${message}\n${usage}`);
  return 2;
}

const dateSchema = z.string().transform((s, ctx) => {
  const m = datemath.parse(s, { momentInstance: moment });
  if (!m || !m.isValid()) {
    ctx.addIssue({ code: 'custom', message: `invalid date or date math "${s}"` });
    return z.NEVER;
  }
  return m.toDate().toISOString();
});

const argsSchema = z.object({
  query: z.string().trim().min(1, 'an EQL query is required'),
  index: z.string().min(1).default('*'),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  size: z.coerce.number().int().min(1).max(100_000).default(10),
});

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        index: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        size: { type: 'string' },
      },
    });
  } catch (e) {
    return fail((e as Error).message);
  }
  if (parsed.positionals.length > 1) return fail('quote the query as one argument');
  const args = argsSchema.safeParse({ query: parsed.positionals[0] ?? '', ...parsed.values });
  if (!args.success) {
    return fail(args.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('; '));
  }
  const { query, index, from, to, size } = args.data;
  const window = from || to
    ? { from: from ?? new Date(0).toISOString(), to: to ?? new Date(8.64e15).toISOString() }
    : undefined;
  const source = createEmbeddedSource(getEventStore());
  try {
    const res = await source.eqlSearch({
      index: index.split(','),
      query,
      window,
      size,
      resultPosition: 'tail', // Elasticsearch's default
    });
    console.log(JSON.stringify(res.hits, null, 2));
    return 0;
  } catch (e) {
    if (e instanceof EqlError) {
      console.error(`guidepost eql: ${e.format()}`);
      return 1;
    }
    console.error(`guidepost eql: ${(e as Error).message}`);
    return 1;
  }
}
