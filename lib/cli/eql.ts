/**
 * `guidepost eql <query> [--index PATTERN] [--from DATE] [--to DATE] [--size N]`
 *
 * Runs EQL over the configured event source (`getEventSource()`: Elasticsearch when
 * ELASTICSEARCH_URL is set, else the embedded store) and prints the hits as JSON shaped like
 * the `hits` of an `_eql/search` response. A bad query prints the error with line and column
 * (and a caret under the spot) on stderr and exits 1 — syntax errors are found locally
 * before any request; a cluster's rejection is shown with the position it names.
 */
import datemath from '@elastic/datemath';
import moment from 'moment';
import { z } from 'zod';
import { cliCommand } from './args';
import { caretExcerpt, EqlError, EqlSyntaxError } from '../eql/errors';
import { parse } from '../eql/parser';
import { getEventSource, isEventSourceError } from '../events';

const usage = 'usage: guidepost eql <query> [--index PATTERN] [--from DATE] [--to DATE] [--size N]';

const cli = cliCommand('eql', usage);

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
  const parsed = cli.parse(argv, { positionals: true, strings: ['index', 'from', 'to', 'size'] });
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length > 1) return cli.fail('quote the query as one argument');
  const args = argsSchema.safeParse({ query: parsed.positionals[0] ?? '', ...parsed.values });
  if (!args.success) {
    return cli.invalid(args.error, true);
  }
  const { query, index, from, to, size } = args.data;
  const window = from || to
    ? { from: from ?? new Date(0).toISOString(), to: to ?? new Date(8.64e15).toISOString() }
    : undefined;
  const source = getEventSource();
  if (source.kind !== 'embedded') {
    // the cluster parses too, but a syntax error is caught here with its caret, no request sent
    try {
      parse(query);
    } catch (e) {
      if (e instanceof EqlSyntaxError && (e.code === 'lex' || e.code === 'syntax')) {
        console.error(`guidepost eql: ${e.format()}`);
        return 1;
      }
      // anything else (e.g. syntax only the cluster supports) is the cluster's to judge
    }
  }
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
    if (isEventSourceError(e) && e.kind === 'query_error') {
      console.error(`guidepost eql: ${e.message}${clusterCaret(query, e.reason ?? e.message)}`);
      return 1;
    }
    console.error(`guidepost eql: ${(e as Error).message}`);
    return 1;
  }
}

/** A caret under the spot a cluster's reason names (`line L:C: …`, 1-based), or ''. */
export function clusterCaret(query: string, reason: string): string {
  const m = /line (\d+):(\d+)/.exec(reason);
  if (!m) return '';
  const line = Number(m[1]);
  const column = Number(m[2]);
  const lines: { start: number; text: string }[] = [];
  const re = /[^\r\n]*(\r\n|\r|\n|$)/g;
  for (let m2 = re.exec(query); m2 && m2.index < query.length + 1; m2 = re.exec(query)) {
    lines.push({ start: m2.index, text: m2[0].replace(/[\r\n]+$/, '') });
    if (m2[1] === '') break;
  }
  const at = lines[line - 1];
  if (line < 1 || !at) return '';
  // Elasticsearch's positions are 1-based, as ours
  const col = Math.max(1, Math.min(column, at.text.length));
  return `\n${caretExcerpt(query, { start: at.start + col - 1, end: at.start + col })}`;
}
