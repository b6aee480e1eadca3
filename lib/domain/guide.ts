/**
 * The investigation guide model, defined once: lib/rules builds it from a rule's `note`, the API
 * sends it, the UI renders every piece of its text as text (never as HTML). zod first; the two
 * recursive shapes (a block holds blocks, a step holds steps) are written out as types because
 * an inferred type cannot refer to itself.
 */
import { z } from 'zod';

/** The kinds of evidence a guide step can show beside it. */
export const EVIDENCE_KINDS = [
  'process_tree',
  'related_alerts',
  'process_activity',
  'network',
  'dns',
  'registry',
  'file',
  'logons',
  'hash',
  'osquery',
  'investigate',
  'prevalence',
  'none',
] as const;
export const evidenceKindSchema = z.enum(EVIDENCE_KINDS);
export type EvidenceKind = z.infer<typeof evidenceKindSchema>;

export const sectionKindSchema = z.enum(['overview', 'investigation', 'false_positive', 'response', 'related_rules', 'setup', 'other']);
export type SectionKind = z.infer<typeof sectionKindSchema>;

/** Sections whose steps make the checklist (the others are context). */
export const checklistSectionKinds: ReadonlySet<SectionKind> = new Set(['investigation', 'false_positive', 'response', 'other']);

export const guideSpanSchema = z.object({
  type: z.enum(['text', 'code', 'link', 'strong', 'emphasis']),
  value: z.string(),
  url: z.string().optional(),
});
export type GuideSpan = z.infer<typeof guideSpanSchema>;

/** One term of an `!{investigate{…}}` block (Kibana's provider), as the rule's transform gives it. */
export const investigateProviderSchema = z.object({
  excluded: z.boolean().default(false),
  field: z.string().min(1),
  queryType: z.enum(['phrase', 'range']).default('phrase'),
  value: z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v)),
  valueType: z.enum(['string', 'boolean']).default('string'),
});
export type InvestigateProvider = z.infer<typeof investigateProviderSchema>;

export const osqueryBlockSchema = z.object({
  kind: z.literal('osquery'),
  label: z.string(),
  query: z.string(),
  /** the block as written in the note */
  raw: z.string().default(''),
});
export type OsqueryBlock = z.infer<typeof osqueryBlockSchema>;

export const investigateBlockSchema = z.object({
  kind: z.literal('investigate'),
  label: z.string(),
  description: z.string().nullable().default(null),
  /** OR of AND-groups */
  providers: z.array(z.array(investigateProviderSchema)),
  relativeFrom: z.string().nullable().default(null),
  relativeTo: z.string().nullable().default(null),
  raw: z.string().default(''),
});
export type InvestigateBlock = z.infer<typeof investigateBlockSchema>;

export const invalidBlockSchema = z.object({
  kind: z.literal('invalid'),
  /** 'osquery' | 'investigate' | other plugin name */
  plugin: z.string(),
  raw: z.string(),
  error: z.string(),
});
export type InvalidBlock = z.infer<typeof invalidBlockSchema>;

export const pluginBlockSchema = z.discriminatedUnion('kind', [osqueryBlockSchema, investigateBlockSchema, invalidBlockSchema]);
export type PluginBlock = z.infer<typeof pluginBlockSchema>;

export type GuideBlock =
  | { type: 'paragraph'; spans: GuideSpan[] }
  | { type: 'quote'; blocks: GuideBlock[] }
  | { type: 'code'; lang: string | null; value: string }
  | { type: 'list'; ordered: boolean; items: GuideBlock[][] }
  | { type: 'table'; rows: GuideSpan[][][] }
  | { type: 'heading'; depth: number; spans: GuideSpan[] }
  | { type: 'plugin'; block: PluginBlock }
  | { type: 'rule' };

export const guideBlockSchema: z.ZodType<GuideBlock> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('paragraph'), spans: z.array(guideSpanSchema) }),
    z.object({ type: z.literal('quote'), blocks: z.array(guideBlockSchema) }),
    z.object({ type: z.literal('code'), lang: z.string().nullable(), value: z.string() }),
    z.object({ type: z.literal('list'), ordered: z.boolean(), items: z.array(z.array(guideBlockSchema)) }),
    z.object({ type: z.literal('table'), rows: z.array(z.array(z.array(guideSpanSchema))) }),
    z.object({ type: z.literal('heading'), depth: z.number(), spans: z.array(guideSpanSchema) }),
    z.object({ type: z.literal('plugin'), block: pluginBlockSchema }),
    z.object({ type: z.literal('rule') }),
  ]),
) as z.ZodType<GuideBlock>;

export const guideDetailSchema = z.object({
  /** `Why`, `Focus`, `Hint`, `Implication`, … or null for a plain extra paragraph */
  label: z.string().nullable(),
  spans: z.array(guideSpanSchema),
});
export type GuideDetail = z.infer<typeof guideDetailSchema>;

export interface GuideStep {
  /** stable id: section kind + hash of the normalised step text (+ `-2`, `-3` on collision) */
  id: string;
  section: SectionKind;
  /** 0 for a top-level bullet */
  depth: number;
  /** plain text of the step's own line (blocks removed) */
  text: string;
  spans: GuideSpan[];
  question: boolean;
  details: GuideDetail[];
  /** other markdown inside the item (code, tables, quotes) */
  extra: GuideBlock[];
  osquery: OsqueryBlock[];
  investigate: InvestigateBlock[];
  invalid: InvalidBlock[];
  children: GuideStep[];
}

export const guideStepSchema: z.ZodType<GuideStep> = z.lazy(() =>
  z.object({
    id: z.string(),
    section: sectionKindSchema,
    depth: z.number().default(0),
    text: z.string(),
    spans: z.array(guideSpanSchema),
    question: z.boolean().default(false),
    details: z.array(guideDetailSchema).default([]),
    extra: z.array(guideBlockSchema).default([]),
    osquery: z.array(osqueryBlockSchema).default([]),
    investigate: z.array(investigateBlockSchema).default([]),
    invalid: z.array(invalidBlockSchema).default([]),
    children: z.array(guideStepSchema).default([]),
  }),
) as z.ZodType<GuideStep>;

export const guideSectionSchema = z.object({
  id: z.string(),
  kind: sectionKindSchema,
  title: z.string(),
  /** heading depth (2–4), 0 for text before the first heading */
  depth: z.number().default(0),
  context: z.array(guideBlockSchema).default([]),
  steps: z.array(guideStepSchema),
});
export type GuideSection = z.infer<typeof guideSectionSchema>;

export const guideSchema = z.object({
  sections: z.array(guideSectionSchema),
  /** number of steps at every depth */
  stepCount: z.number().default(0),
  /** number of osquery / investigate blocks anywhere in the guide */
  osqueryCount: z.number().default(0),
  investigateCount: z.number().default(0),
  warnings: z.array(z.string()).default([]),
});
export type Guide = z.infer<typeof guideSchema>;

/** Every step of a list, depth-first, in reading order. */
export function flattenStepList(steps: GuideStep[]): GuideStep[] {
  return steps.flatMap((step) => [step, ...flattenStepList(step.children)]);
}
