/**
 * `guidepost ingest <file|-> [--index NAME] [--format auto|ecs|bulk|winlogbeat|sysmon-evtx-json|endgame|defend] [--json]`
 *
 * Prints the counts of events read, stored, replaced and rejected (each rejection with its
 * line number) on stdout; progress goes to stderr (live on a TTY, else every 100,000 lines).
 * Warnings (invalid UTF-8 read as U+FFFD, UTF-16 input) go to stderr. An empty, binary or
 * compressed input is one error (exit 1). Exits non-zero only when nothing could be read.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { cliCommand } from './args';
import { inputFormatSchema } from '../events/detect-format';
import { ingestFile, type IngestProgress } from '../events/ingest';

const usage = 'usage: guidepost ingest <file|-> [--index NAME] [--format auto|ecs|bulk|winlogbeat|sysmon-evtx-json|endgame|defend] [--json]';

const argsSchema = z.object({
  file: z.string().min(1, 'a file (or - for stdin) is required'),
  index: z
    .string()
    .regex(/^[^\s,*"\\/<>|?#:]+$/, 'index names cannot contain spaces, commas, wildcards or \\ / * ? " < > | # :')
    .optional(),
  format: inputFormatSchema.default('auto'),
  json: z.boolean().default(false),
});

const cli = cliCommand('ingest', usage);

export async function main(argv: string[]): Promise<number> {
  const parsed = cli.parse(argv, { positionals: true, strings: ['index', 'format'], booleans: ['json'] });
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length > 1) return cli.fail(`one input at a time (got ${parsed.positionals.length})`);
  const args = argsSchema.safeParse({ file: parsed.positionals[0] ?? '', ...parsed.values });
  if (!args.success) {
    return cli.invalid(args.error, true);
  }
  const { file, index, format, json } = args.data;
  if (file !== '-' && !fs.existsSync(file)) {
    console.error(`guidepost ingest: ${file}: no such file`);
    return 1;
  }
  const tty = process.stderr.isTTY === true;
  let lastLines = 0;
  const onProgress = (p: IngestProgress) => {
    const pct = p.totalBytes ? ` ${((100 * p.bytes) / p.totalBytes).toFixed(0)}%` : '';
    const msg = `ingest:${pct} ${p.lines} lines, ${p.read} events read, ${p.stored} stored, ${p.rejected} rejected`;
    if (tty) process.stderr.write(`\r${msg}\x1b[K`);
    else if (p.lines - lastLines >= 100_000) {
      lastLines = p.lines;
      process.stderr.write(`${msg}\n`);
    }
  };
  let report;
  try {
    report = await ingestFile(file === '-' ? process.stdin : file, { index, format, onProgress });
  } catch (e) {
    if (tty) process.stderr.write('\n');
    console.error(`guidepost ingest: ${(e as Error).message}`);
    return 1;
  }
  if (tty) process.stderr.write('\n');
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const out: string[] = [
      `read: ${report.read}`,
      `stored: ${report.stored}`,
      `replaced: ${report.replaced}`,
      `rejected: ${report.rejectedCount}`,
    ];
    for (const r of report.rejected) out.push(`  line ${r.line}: ${r.reason}`);
    if (report.rejectedCount > report.rejected.length) {
      out.push(`  … and ${report.rejectedCount - report.rejected.length} more`);
    }
    if (report.invalidUtf8 > 0 || report.encoding !== 'utf-8') out.push(`encoding: ${report.encoding}${report.invalidUtf8 > 0 ? `, ${report.invalidUtf8} invalid UTF-8 sequences read as U+FFFD` : ''}`);
    for (const w of report.warnings) console.error(`guidepost ingest: warning: ${w}`);
    out.push(`format: ${report.format}`);
    for (const [name, n] of Object.entries(report.indices)) out.push(`index ${name}: ${n}`);
    console.log(out.join('\n'));
  }
  return report.stored + report.replaced > 0 ? 0 : 1;
}
