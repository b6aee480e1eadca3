/**
 * Reading an import: Kibana's rule export (NDJSON, one rule object per line, snake_case
 * fields, a trailing `{"exported_count":…}` summary line), the flattened JSONL of the shared
 * corpus, detection-rules TOML files, or a directory of any of these. Pure: nothing is
 * written here (lib/rules/import-apply.ts stores the result in one transaction).
 *
 * Every rule is judged on its own: a broken line, an unknown rule type, an EQL query that
 * does not parse, or a rule_id seen twice in one file is refused with its place and reason;
 * the other rules are kept. Work is linear in the input (one pass; each query parsed once).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parse as parseEql } from '../eql/parser';
import { isEqlError } from '../eql/errors';
import { buildRule, ruleToInput, RuleValidationError, type Rule } from './model';
import { parseRuleToml, readVersions, RuleLoadError } from './load';
import { renderNote } from './transform';

/** Rule types Elastic's detection engine knows. Guidepost runs `eql`; the others are kept and listed as not supported yet. */
export const KNOWN_RULE_TYPES: ReadonlySet<string> = new Set([
  'eql',
  'query',
  'saved_query',
  'threshold',
  'threat_match',
  'machine_learning',
  'new_terms',
  'esql',
]);

/** Rule types Guidepost runs. */
export const SUPPORTED_RULE_TYPES: ReadonlySet<string> = new Set(['eql']);

export interface ImportCandidate {
  rule: Rule;
  /** the canonical stored form of this version (JSON) and its sha256 */
  definition: string;
  hash: string;
  /** file and line, e.g. `export.ndjson:12` */
  where: string;
}

export interface ImportRefusal {
  /** file and line (or the file alone for a TOML file) */
  where: string;
  line: number | null;
  ruleId: string | null;
  reason: string;
}

export interface ImportParse {
  candidates: ImportCandidate[];
  refused: ImportRefusal[];
  /** Kibana's summary line, when the file has one */
  exportedCount: number | null;
}

/** The canonical stored text of a rule version, and its hash. */
export function definitionOf(rule: Rule): { definition: string; hash: string } {
  const definition = JSON.stringify(ruleToInput(rule));
  return { definition, hash: createHash('sha256').update(definition).digest('hex') };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The problems of a built rule that make it unusable: unknown type, EQL without a query or
 * with one that does not parse. `null` when it is fine.
 */
export function ruleProblem(rule: Rule): string | null {
  if (!KNOWN_RULE_TYPES.has(rule.type)) return `unknown rule type "${rule.type}" (known: ${[...KNOWN_RULE_TYPES].join(', ')})`;
  if (rule.type !== 'eql') return null;
  if (rule.query.trim() === '') return 'an EQL rule needs a query';
  try {
    parseEql(rule.query);
  } catch (e) {
    if (isEqlError(e)) return `query does not parse: ${e.message}`;
    throw e;
  }
  return null;
}

/** Kibana writes `related_integrations`; the corpus and TOML write `integration`. Map the one onto the other. */
function normaliseKibana(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...obj };
  // enabled state is decided by the import (--enable), not by a rule version
  delete out.enabled;
  const related = out.related_integrations;
  if (out.integration === undefined && Array.isArray(related)) {
    const names = related.flatMap((r) => (isRecord(r) && typeof r.package === 'string' ? [r.package] : []));
    if (names.length) out.integration = [...new Set(names)];
  }
  // Kibana writes `setup: ""` and `note: ""` for none
  if (out.setup === '') delete out.setup;
  if (out.note === '') delete out.note;
  // Kibana's investigation_fields: { field_names: [...] } is read as is; its `to` ("now") is implied
  return out;
}

function validationReason(e: unknown): string {
  if (e instanceof RuleValidationError) return e.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
  return e instanceof Error ? e.message : String(e);
}

class Seen {
  private byId = new Map<string, { where: string; version: number }>();
  /** a refusal reason when this rule_id was already read from the same file */
  check(rule: Rule, where: string): string | null {
    const prev = this.byId.get(rule.rule_id);
    if (!prev) {
      this.byId.set(rule.rule_id, { where, version: rule.version });
      return null;
    }
    return prev.version === rule.version
      ? `rule_id already read at ${prev.where} (same version ${rule.version}); only the first is imported`
      : `rule_id already read at ${prev.where} with another version (${prev.version}, here ${rule.version}); only the first is imported`;
  }
}

function accept(rule: Rule, where: string, line: number | null, seen: Seen, out: ImportParse): void {
  const problem = ruleProblem(rule);
  if (problem) {
    out.refused.push({ where, line, ruleId: rule.rule_id, reason: problem });
    return;
  }
  const dup = seen.check(rule, where);
  if (dup) {
    out.refused.push({ where, line, ruleId: rule.rule_id, reason: dup });
    return;
  }
  out.candidates.push({ rule, where, ...definitionOf(rule) });
}

/**
 * Parse NDJSON / JSONL text: one rule object per line (Kibana export or the corpus shape).
 * Blank lines are skipped; Kibana's summary line and exception-list lines are not rules.
 */
export function parseRuleLines(text: string, fileName: string, seen: Seen = new Seen(), out?: ImportParse): ImportParse {
  const result: ImportParse = out ?? { candidates: [], refused: [], exportedCount: null };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const line = i + 1;
    const where = `${fileName}:${line}`;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      result.refused.push({ where, line, ruleId: null, reason: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    if (!isRecord(obj)) {
      result.refused.push({ where, line, ruleId: null, reason: 'not a JSON object' });
      continue;
    }
    if (obj.rule_id === undefined && typeof obj.exported_count === 'number') {
      result.exportedCount = obj.exported_count;
      continue;
    }
    // an export made with exceptions carries the exception lists and items as extra lines
    if (obj.rule_id === undefined && (typeof obj.list_id === 'string' || typeof obj.item_id === 'string')) continue;
    const ruleId = typeof obj.rule_id === 'string' ? obj.rule_id : null;
    let rule: Rule;
    try {
      const origin = typeof obj.path === 'string' ? `${where} (${obj.path})` : where;
      rule = buildRule(normaliseKibana(obj), { origin, renderNote });
    } catch (e) {
      result.refused.push({ where, line, ruleId, reason: validationReason(e) });
      continue;
    }
    accept(rule, where, line, seen, result);
  }
  return result;
}

function listImportFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listImportFiles(full));
    else if (entry.isFile() && /\.(toml|ndjson|jsonl)$/i.test(entry.name)) out.push(full);
  }
  return out.sort();
}

function parseTomlFile(file: string, versions: ReadonlyMap<string, number>, seen: Seen, out: ImportParse): void {
  let rule: Rule;
  try {
    rule = parseRuleToml(fs.readFileSync(file, 'utf8'), file, versions);
  } catch (e) {
    const line = e instanceof RuleLoadError && e.line !== undefined ? e.line : null;
    const message = e instanceof Error ? e.message : String(e);
    out.refused.push({ where: line === null ? file : `${file}:${line}`, line, ruleId: null, reason: message });
    return;
  }
  accept(rule, file, null, seen, out);
}

/**
 * Read a file (.ndjson/.jsonl/.json: rule lines; .toml: one rule) or a directory (every such
 * file under it, `versions.json` supplying missing TOML versions as the rule loader does).
 * A rule_id read twice anywhere in one import is refused after its first reading.
 */
export function readImport(target: string): ImportParse {
  const out: ImportParse = { candidates: [], refused: [], exportedCount: null };
  const seen = new Seen();
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (e) {
    throw new Error(`${target}: cannot read: ${(e as Error).message}`);
  }
  if (stat.isDirectory()) {
    const versionsByDir = new Map<string, Map<string, number>>();
    const versionsOf = (dir: string): Map<string, number> => {
      let v = versionsByDir.get(dir);
      if (!v) {
        try {
          v = readVersions(dir);
        } catch (e) {
          out.refused.push({ where: path.join(dir, 'versions.json'), line: null, ruleId: null, reason: (e as Error).message });
          v = new Map();
        }
        versionsByDir.set(dir, v);
      }
      return v;
    };
    for (const file of listImportFiles(target)) {
      if (file.toLowerCase().endsWith('.toml')) {
        parseTomlFile(file, new Map([...versionsOf(target), ...versionsOf(path.dirname(file))]), seen, out);
      } else {
        parseRuleLines(fs.readFileSync(file, 'utf8'), file, seen, out);
      }
    }
    return out;
  }
  if (target.toLowerCase().endsWith('.toml')) {
    parseTomlFile(target, versionsOfFile(target), seen, out);
    return out;
  }
  return parseRuleLines(fs.readFileSync(target, 'utf8'), target, seen, out);
}

function versionsOfFile(file: string): Map<string, number> {
  try {
    return readVersions(path.dirname(file));
  } catch {
    return new Map();
  }
}

/** Parse an uploaded file's text by its name (.toml: one rule; anything else: rule lines). */
export function parseImportText(text: string, fileName: string): ImportParse {
  const out: ImportParse = { candidates: [], refused: [], exportedCount: null };
  const seen = new Seen();
  if (fileName.toLowerCase().endsWith('.toml')) {
    try {
      accept(parseRuleToml(text, fileName), fileName, null, seen, out);
    } catch (e) {
      const line = e instanceof RuleLoadError && e.line !== undefined ? e.line : null;
      out.refused.push({ where: line === null ? fileName : `${fileName}:${line}`, line, ruleId: null, reason: e instanceof Error ? e.message : String(e) });
    }
    return out;
  }
  return parseRuleLines(text, fileName, seen, out);
}

export { Seen as ImportSeen };
