/**
 * Loading rules: detection-rules TOML files, rule directories, and the JSONL corpus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { buildRule, RuleValidationError, type Rule } from './model';
import { renderNote } from './transform';

export class RuleLoadError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'RuleLoadError';
  }
}

export interface RuleFileError {
  file: string;
  message: string;
}

const tomlTableSchema = z.record(z.string(), z.unknown());

const tomlFileSchema = z.object({
  metadata: tomlTableSchema.optional(),
  rule: tomlTableSchema,
  transform: tomlTableSchema.optional(),
});

/**
 * Parse the text of a detection-rules TOML file. `versions` maps rule_id → version for
 * files without a `version` key (upstream keeps versions in a lock file, not the TOML).
 */
export function parseRuleToml(text: string, fileName: string, versions?: ReadonlyMap<string, number>): Rule {
  let doc: unknown;
  try {
    doc = parseToml(text);
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0];
      throw new RuleLoadError(fileName, `${fileName}:${e.line}:${e.column}: invalid TOML: ${first}`, e.line, e.column);
    }
    throw new RuleLoadError(fileName, `${fileName}: invalid TOML: ${String(e)}`);
  }
  const shape = tomlFileSchema.safeParse(doc);
  if (!shape.success) {
    const detail = shape.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RuleLoadError(fileName, `${fileName}: not a rule file: ${detail}`);
  }
  const { metadata = {}, rule, transform } = shape.data;
  const input: Record<string, unknown> = { ...rule };
  for (const key of ['creation_date', 'updated_date', 'maturity', 'integration', 'min_stack_version', 'deprecated']) {
    if (metadata[key] !== undefined && input[key] === undefined) input[key] = metadata[key];
  }
  if (transform !== undefined) input.transform = transform;
  const ruleId = typeof rule.rule_id === 'string' ? rule.rule_id : undefined;
  try {
    return buildRule(input, {
      origin: fileName,
      versionFallback: ruleId ? versions?.get(ruleId) : undefined,
      renderNote,
      fieldPrefix: (key) =>
        key === 'transform'
          ? 'transform'
          : ['creation_date', 'updated_date', 'maturity', 'integration', 'min_stack_version', 'deprecated'].includes(key) &&
              rule[key] === undefined
            ? `metadata.${key}`
            : `rule.${key}`,
    });
  } catch (e) {
    if (e instanceof RuleValidationError) throw new RuleLoadError(fileName, e.message);
    throw e;
  }
}

const versionsSchema = z.record(z.string(), z.number().int().positive());

/** `versions.json` in a rules directory: { "<rule_id>": <version> } (missing file → empty). */
export function readVersions(dir: string): Map<string, number> {
  const file = path.join(dir, 'versions.json');
  if (!fs.existsSync(file)) return new Map();
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RuleLoadError(file, `${file}: invalid JSON: ${(e as Error).message}`);
  }
  const parsed = versionsSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new RuleLoadError(file, `${file}: ${detail}`);
  }
  return new Map(Object.entries(parsed.data));
}

/** Load one rule file (its directory's versions.json supplies a missing version). */
export function loadRuleFile(file: string): Rule {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new RuleLoadError(file, `${file}: cannot read: ${(e as Error).message}`);
  }
  return parseRuleToml(text, file, readVersions(path.dirname(file)));
}

function listTomlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTomlFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.toml')) out.push(full);
  }
  return out.sort();
}

/** Load every `*.toml` under a directory (recursively). A bad file is reported, the others load. */
export function loadRulesDir(dir: string): { rules: Rule[]; errors: RuleFileError[] } {
  const rules: Rule[] = [];
  const errors: RuleFileError[] = [];
  if (!fs.existsSync(dir)) return { rules, errors: [{ file: dir, message: `${dir}: rules directory not found` }] };
  let versions = new Map<string, number>();
  try {
    versions = readVersions(dir);
  } catch (e) {
    errors.push({ file: path.join(dir, 'versions.json'), message: (e as Error).message });
  }
  for (const file of listTomlFiles(dir)) {
    try {
      const text = fs.readFileSync(file, 'utf8');
      const local = path.dirname(file) === dir ? versions : new Map([...versions, ...safeVersions(path.dirname(file))]);
      rules.push(parseRuleToml(text, file, local));
    } catch (e) {
      errors.push({ file, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return { rules, errors };
}

function safeVersions(dir: string): Map<string, number> {
  try {
    return readVersions(dir);
  } catch {
    return new Map();
  }
}

/**
 * Load the shared JSONL corpus (one rule per line, fields flattened, `transform` raw).
 * Every bad line is reported with its line number; the good ones load.
 */
export function loadCorpus(jsonlPath: string): { rules: Rule[]; errors: RuleFileError[] } {
  const text = fs.readFileSync(jsonlPath, 'utf8');
  const rules: Rule[] = [];
  const errors: RuleFileError[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${jsonlPath}:${i + 1}`;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      errors.push({ file: where, message: `${where}: invalid JSON: ${(e as Error).message}` });
      return;
    }
    const origin =
      obj && typeof obj === 'object' && typeof (obj as { path?: unknown }).path === 'string'
        ? `${where} (${(obj as { path: string }).path})`
        : where;
    try {
      rules.push(buildRule(obj, { origin, renderNote }));
    } catch (e) {
      errors.push({ file: where, message: e instanceof Error ? e.message : String(e) });
    }
  });
  return { rules, errors };
}

/** `<repo>/rules`: the bundled rule files (the process runs from the repo root). */
export function bundledRulesDir(): string {
  return path.resolve(process.cwd(), 'rules');
}

/** The bundled directory plus `GUIDEPOST_RULES_DIR` when set. */
export function ruleDirs(): string[] {
  const dirs = [bundledRulesDir()];
  const extra = process.env.GUIDEPOST_RULES_DIR;
  if (extra && extra.trim() !== '') dirs.push(path.resolve(extra));
  return dirs;
}

/**
 * Load every rule of `ruleDirs()`. A rule_id found twice keeps the later directory's copy
 * (an extra dir can override a bundled rule) and the duplicate is reported.
 */
export function loadAllRules(dirs: string[] = ruleDirs()): { rules: Rule[]; errors: RuleFileError[] } {
  const byId = new Map<string, Rule>();
  const errors: RuleFileError[] = [];
  for (const dir of dirs) {
    const res = loadRulesDir(dir);
    errors.push(...res.errors);
    for (const r of res.rules) {
      const prev = byId.get(r.rule_id);
      if (prev) {
        errors.push({ file: r.origin, message: `${r.origin}: rule_id ${r.rule_id} also in ${prev.origin}; using ${r.origin}` });
      }
      byId.set(r.rule_id, r);
    }
  }
  return { rules: [...byId.values()], errors };
}
