/**
 * The rule model: an Elastic detection rule as Guidepost uses it, validated with zod.
 *
 * Two inputs produce it: a detection-rules TOML file (`[metadata]`, `[rule]`, `[transform]`)
 * and an entry of the shared JSONL corpus (the same fields, flattened). Field names follow
 * the TOML (snake_case) so a rule file and a `Rule` read the same way.
 */
import { z } from 'zod';
import { severitySchema, type MitreTechnique, type Severity } from '../domain/alert';
import { investigateProviderSchema } from '../domain/guide';

export const DEFAULT_INTERVAL = '5m';
export const DEFAULT_FROM = 'now-6m';
export const DEFAULT_MAX_SIGNALS = 100;

// ---------------------------------------------------------------- transform

export { investigateProviderSchema, type InvestigateProvider } from '../domain/guide';

export const investigateEntrySchema = z.object({
  label: z.string(),
  description: z.string().optional(),
  providers: z.array(z.array(investigateProviderSchema)),
  relativeFrom: z.string().optional(),
  relativeTo: z.string().optional(),
});
export type InvestigateEntry = z.infer<typeof investigateEntrySchema>;

export const osqueryEntrySchema = z.object({
  label: z.string().default('Run Osquery'),
  query: z.string(),
  ecs_mapping: z.record(z.string(), z.object({ field: z.string().optional(), value: z.string().optional() })).optional(),
});
export type OsqueryEntry = z.infer<typeof osqueryEntrySchema>;

export const transformSchema = z.object({
  osquery: z.array(osqueryEntrySchema).optional(),
  investigate: z.array(investigateEntrySchema).optional(),
});
export type RuleTransform = z.infer<typeof transformSchema>;

// ---------------------------------------------------------------- threat

const threatRefSchema = z.object({
  id: z.string(),
  name: z.string(),
  reference: z.string().optional(),
});
const techniqueSchema = threatRefSchema.extend({
  subtechnique: z.array(threatRefSchema).optional(),
});
export const threatSchema = z.object({
  framework: z.string().default('MITRE ATT&CK'),
  tactic: threatRefSchema,
  technique: z.array(techniqueSchema).optional(),
});
export type ThreatEntry = z.infer<typeof threatSchema>;

/** Flatten `threat` into one MitreTechnique per (tactic, technique, subtechnique). */
export function threatToMitre(threat: ThreatEntry[]): MitreTechnique[] {
  const out: MitreTechnique[] = [];
  for (const t of threat) {
    const base = { tacticId: t.tactic.id, tacticName: t.tactic.name };
    if (!t.technique || t.technique.length === 0) {
      out.push(base);
      continue;
    }
    for (const tech of t.technique) {
      const withTech = { ...base, techniqueId: tech.id, techniqueName: tech.name };
      if (!tech.subtechnique || tech.subtechnique.length === 0) {
        out.push(withTech);
        continue;
      }
      for (const sub of tech.subtechnique) {
        out.push({ ...withTech, subtechniqueId: sub.id, subtechniqueName: sub.name });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- rule

/** an entry of Kibana's `related_integrations` */
export const relatedIntegrationSchema = z.object({
  package: z.string(),
  version: z.string().default(''),
  integration: z.string().nullish(),
});
export type RelatedIntegration = { package: string; version: string; integration?: string | null };

const stringList = z.union([z.array(z.string()), z.string().transform((s) => [s])]);

/** The raw input shape (TOML `[rule]` merged with `[metadata]`, or a corpus line). */
export const ruleInputSchema = z.object({
  rule_id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().default(''),
  version: z.number().int().positive().nullish(),
  type: z.string().min(1),
  language: z.string().nullish(),
  query: z.string().nullish(),
  index: z.array(z.string()).nullish(),
  severity: severitySchema,
  risk_score: z.number().int().min(0).max(100),
  interval: z
    .string()
    .regex(/^\d+[smhd]$/, 'expected a duration such as "5m"')
    .nullish(),
  from: z
    .string()
    .regex(/^now-\d+[smhd]$/, 'expected date math such as "now-6m"')
    .nullish(),
  max_signals: z.number().int().positive().nullish(),
  timestamp_override: z.string().nullish(),
  timestamp_override_fallback_disabled: z.boolean().nullish(),
  tiebreaker_field: z.string().nullish(),
  event_category_override: z.string().nullish(),
  threat: z.array(threatSchema).nullish(),
  note: z.string().nullish(),
  setup: z.string().nullish(),
  references: z.array(z.string()).nullish(),
  false_positives: z.array(z.string()).nullish(),
  tags: z.array(z.string()).nullish(),
  author: z.array(z.string()).nullish(),
  license: z.string().nullish(),
  building_block_type: z.string().nullish(),
  enabled: z.boolean().nullish(),
  investigation_fields: z
    .union([z.object({ field_names: z.array(z.string()) }), z.array(z.string())])
    .nullish(),
  // metadata
  creation_date: z.string().nullish(),
  updated_date: z.string().nullish(),
  maturity: z.string().nullish(),
  integration: stringList.nullish(),
  min_stack_version: z.string().nullish(),
  deprecated: z.boolean().nullish(),
  transform: transformSchema.nullish(),
  /** Kibana's `related_integrations` (package, version, integration) */
  related_integrations: z.array(relatedIntegrationSchema).nullish(),
});
export type RuleInput = z.input<typeof ruleInputSchema>;

export interface RuleMetadata {
  creation_date: string | null;
  updated_date: string | null;
  maturity: string | null;
  integration: string[];
  min_stack_version: string | null;
  deprecated: boolean;
}

export interface Rule {
  rule_id: string;
  name: string;
  description: string;
  /** from the TOML `version`, the rules dir's versions.json, or the corpus; 1 when unknown */
  version: number;
  /** 'eql' for the rules Guidepost runs; other types load but are not run */
  type: string;
  language: string | null;
  query: string;
  index: string[];
  severity: Severity;
  risk_score: number;
  interval: string;
  from: string;
  max_signals: number;
  timestamp_override: string | null;
  tiebreaker_field: string | null;
  event_category_override: string | null;
  threat: ThreatEntry[];
  mitre: MitreTechnique[];
  /** the investigation guide with `$osquery_N` / `$investigate_N` filled from `transform` */
  note: string | null;
  /** the guide as written in the rule file (placeholders unexpanded) */
  note_source: string | null;
  setup: string | null;
  references: string[];
  false_positives: string[];
  tags: string[];
  author: string[];
  license: string | null;
  building_block_type: string | null;
  enabled: boolean;
  investigation_fields: string[];
  transform: RuleTransform | null;
  /** Kibana's related_integrations (empty when the source has none) */
  related_integrations: RelatedIntegration[];
  metadata: RuleMetadata;
  /** where the rule came from (file path, or corpus path + line) */
  origin: string;
}

export class RuleValidationError extends Error {
  constructor(
    readonly file: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${file}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'RuleValidationError';
  }
}

/** zod issues → "rule.risk_score: expected number, received string" */
export function formatIssues(error: z.ZodError, prefix: (key: string) => string): { path: string; message: string }[] {
  return error.issues.map((issue) => {
    const [head, ...rest] = issue.path.map((p) => String(p));
    const path = head === undefined ? '' : [prefix(head), ...rest].join('.');
    return { path, message: issue.message };
  });
}

/**
 * Validate an input object and build the Rule. `renderNote` fills placeholders (see transform.ts);
 * passed in to keep this module free of the transform implementation details.
 */
export function buildRule(
  input: unknown,
  opts: {
    origin: string;
    versionFallback?: number;
    renderNote: (note: string, transform: RuleTransform | null) => string;
    fieldPrefix?: (key: string) => string;
  },
): Rule {
  const parsed = ruleInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new RuleValidationError(opts.origin, formatIssues(parsed.error, opts.fieldPrefix ?? ((k) => k)));
  }
  const r = parsed.data;
  const transform = r.transform ?? null;
  const threat = r.threat ?? [];
  const investigationFields = Array.isArray(r.investigation_fields)
    ? r.investigation_fields
    : (r.investigation_fields?.field_names ?? []);
  return {
    rule_id: r.rule_id,
    name: r.name,
    description: r.description.trim(),
    version: r.version ?? opts.versionFallback ?? 1,
    type: r.type,
    language: r.language ?? null,
    query: r.query ?? '',
    index: r.index ?? [],
    severity: r.severity,
    risk_score: r.risk_score,
    interval: r.interval ?? DEFAULT_INTERVAL,
    from: r.from ?? DEFAULT_FROM,
    max_signals: r.max_signals ?? DEFAULT_MAX_SIGNALS,
    timestamp_override: r.timestamp_override ?? null,
    tiebreaker_field: r.tiebreaker_field ?? null,
    event_category_override: r.event_category_override ?? null,
    threat,
    mitre: threatToMitre(threat),
    note: r.note ? opts.renderNote(r.note, transform) : null,
    note_source: r.note ?? null,
    setup: r.setup ?? null,
    references: r.references ?? [],
    false_positives: r.false_positives ?? [],
    tags: r.tags ?? [],
    author: r.author ?? [],
    license: r.license ?? null,
    building_block_type: r.building_block_type ?? null,
    enabled: r.enabled ?? true,
    investigation_fields: investigationFields,
    transform,
    related_integrations: r.related_integrations ?? [],
    metadata: {
      creation_date: r.creation_date ?? null,
      updated_date: r.updated_date ?? null,
      maturity: r.maturity ?? null,
      integration: r.integration ?? [],
      min_stack_version: r.min_stack_version ?? null,
      deprecated: r.deprecated ?? false,
    },
    origin: opts.origin,
  };
}

/** A deprecated rule: maturity "deprecated", `deprecated = true`, or a name "Deprecated - …". */
export function isDeprecatedRule(rule: Pick<Rule, 'name' | 'metadata'>): boolean {
  return rule.metadata.deprecated || rule.metadata.maturity === 'deprecated' || /^deprecated\s*-/i.test(rule.name);
}

/**
 * The input shape of a built rule (what `buildRule` reads back to the same Rule): how the
 * catalogue stores each version in app.db. The guide is kept as written (placeholders
 * unexpanded) with its `transform`; `enabled` is not part of a rule version.
 */
export function ruleToInput(rule: Rule): Record<string, unknown> {
  const out: Record<string, unknown> = {
    rule_id: rule.rule_id,
    name: rule.name,
    description: rule.description,
    version: rule.version,
    type: rule.type,
    language: rule.language,
    query: rule.query,
    index: rule.index,
    severity: rule.severity,
    risk_score: rule.risk_score,
    interval: rule.interval,
    from: rule.from,
    max_signals: rule.max_signals,
    timestamp_override: rule.timestamp_override,
    tiebreaker_field: rule.tiebreaker_field,
    event_category_override: rule.event_category_override,
    threat: rule.threat,
    note: rule.note_source,
    setup: rule.setup,
    references: rule.references,
    false_positives: rule.false_positives,
    tags: rule.tags,
    author: rule.author,
    license: rule.license,
    building_block_type: rule.building_block_type,
    investigation_fields: rule.investigation_fields,
    creation_date: rule.metadata.creation_date,
    updated_date: rule.metadata.updated_date,
    maturity: rule.metadata.maturity,
    integration: rule.metadata.integration,
    min_stack_version: rule.metadata.min_stack_version,
    deprecated: rule.metadata.deprecated,
    transform: rule.transform,
    related_integrations: rule.related_integrations,
  };
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}

/** Duration such as "5m" / "6h" → milliseconds. */
export function durationMs(d: string): number {
  const m = /^(\d+)([smhd])$/.exec(d);
  if (!m) throw new Error(`invalid duration "${d}"`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** `from` such as "now-9m" → look-back in milliseconds. */
export function lookbackMs(from: string): number {
  const m = /^now-(\d+[smhd])$/.exec(from);
  if (!m) throw new Error(`invalid from "${from}"`);
  return durationMs(m[1]);
}
