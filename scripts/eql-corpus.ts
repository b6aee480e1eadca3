/**
 * Parse and check every query of the prebuilt-rules corpus (`<shared>/rules/eql-rules.jsonl`).
 * Run directly: `npx tsx scripts/eql-corpus.ts` prints `rules corpus: <n> of <total> parse and check`
 * and the failures; exits 1 when any query fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { parseAndCheck } from '../lib/eql/check';

const ruleLineSchema = z.object({
  rule_id: z.string(),
  name: z.string(),
  query: z.string(),
});

export interface CorpusFailure {
  ruleId: string;
  name: string;
  message: string;
}

export interface CorpusResult {
  total: number;
  ok: number;
  failures: CorpusFailure[];
}

/** The shared reference folder (`GUIDEPOST_SHARED_DIR`, else `../shared` next to the repo). */
export function defaultSharedDir(): string {
  return process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
}

/** Parse and check (no schema) the query of every rule in `<sharedDir>/rules/eql-rules.jsonl`. */
export function checkRulesCorpus(sharedDir: string): CorpusResult {
  const file = path.join(sharedDir, 'rules', 'eql-rules.jsonl');
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const failures: CorpusFailure[] = [];
  let total = 0;
  let ok = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    total++;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      failures.push({ ruleId: `line ${index + 1}`, name: '', message: `${file}:${index + 1}: invalid JSON: ${(e as Error).message}` });
      return;
    }
    const rule = ruleLineSchema.safeParse(raw);
    if (!rule.success) {
      const issue = rule.error.issues[0];
      failures.push({ ruleId: `line ${index + 1}`, name: '', message: `${file}:${index + 1}: field ${issue.path.join('.') || '(root)'}: ${issue.message}` });
      return;
    }
    const { diagnostics } = parseAndCheck(rule.data.query);
    if (diagnostics.length === 0) {
      ok++;
      return;
    }
    const message = diagnostics.map((d) => `line ${d.line}, column ${d.column}: ${d.message} [${d.code}]`).join('; ');
    failures.push({ ruleId: rule.data.rule_id, name: rule.data.name, message });
  });
  return { total, ok, failures };
}

/** One line per failing rule, for the runner output. */
export function formatCorpusResult(result: CorpusResult): string {
  const lines = [`rules corpus: ${result.ok} of ${result.total} parse and check`];
  for (const f of result.failures) lines.push(`  ${f.ruleId} ${f.name}: ${f.message}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const result = checkRulesCorpus(defaultSharedDir());
    console.log(formatCorpusResult(result));
    process.exitCode = result.failures.length === 0 ? 0 : 1;
  } catch (e) {
    console.error(`rules corpus: cannot read it: ${(e as Error).message}`);
    process.exitCode = 2;
  }
}
