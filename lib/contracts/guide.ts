import { z } from 'zod';
import { EVIDENCE_KINDS } from '@/lib/rules/evidence-kinds';

/**
 * The investigation guide as the API sends it: the shape of lib/rules' guide model.
 * Every piece of text is data for text nodes; the UI never renders it as HTML.
 */
export const guideSpanSchema = z.object({
  type: z.enum(['text', 'code', 'link', 'strong', 'emphasis']),
  value: z.string(),
  url: z.string().optional(),
});
export type GuideSpan = z.infer<typeof guideSpanSchema>;

export const investigateProviderSchema = z.object({
  excluded: z.boolean().default(false),
  field: z.string(),
  queryType: z.string().default('phrase'),
  value: z.string(),
  valueType: z.string().default('string'),
});

export const osqueryBlockSchema = z.object({
  kind: z.literal('osquery'),
  label: z.string(),
  query: z.string(),
  raw: z.string().default(''),
});
export type OsqueryBlock = z.infer<typeof osqueryBlockSchema>;

export const investigateBlockSchema = z.object({
  kind: z.literal('investigate'),
  label: z.string(),
  description: z.string().nullable().default(null),
  providers: z.array(z.array(investigateProviderSchema)),
  relativeFrom: z.string().nullable().default(null),
  relativeTo: z.string().nullable().default(null),
  raw: z.string().default(''),
});
export type InvestigateBlock = z.infer<typeof investigateBlockSchema>;

export const invalidBlockSchema = z.object({
  kind: z.literal('invalid'),
  plugin: z.string(),
  raw: z.string(),
  error: z.string(),
});

export const pluginBlockSchema = z.discriminatedUnion('kind', [osqueryBlockSchema, investigateBlockSchema, invalidBlockSchema]);

export type GuideBlock =
  | { type: 'paragraph'; spans: GuideSpan[] }
  | { type: 'quote'; blocks: GuideBlock[] }
  | { type: 'code'; lang: string | null; value: string }
  | { type: 'list'; ordered: boolean; items: GuideBlock[][] }
  | { type: 'table'; rows: GuideSpan[][][] }
  | { type: 'heading'; depth: number; spans: GuideSpan[] }
  | { type: 'plugin'; block: z.infer<typeof pluginBlockSchema> }
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

export const sectionKindSchema = z.enum(['overview', 'investigation', 'false_positive', 'response', 'related_rules', 'setup', 'other']);
export type SectionKind = z.infer<typeof sectionKindSchema>;

export interface GuideStep {
  id: string;
  section: SectionKind;
  depth: number;
  text: string;
  spans: GuideSpan[];
  question: boolean;
  details: { label: string | null; spans: GuideSpan[] }[];
  extra: GuideBlock[];
  osquery: OsqueryBlock[];
  investigate: InvestigateBlock[];
  invalid: z.infer<typeof invalidBlockSchema>[];
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
    details: z.array(z.object({ label: z.string().nullable(), spans: z.array(guideSpanSchema) })).default([]),
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
  depth: z.number().default(0),
  context: z.array(guideBlockSchema).default([]),
  steps: z.array(guideStepSchema),
});
export type GuideSection = z.infer<typeof guideSectionSchema>;

export const guideSchema = z.object({
  sections: z.array(guideSectionSchema),
  stepCount: z.number().default(0),
  warnings: z.array(z.string()).default([]),
});
export type Guide = z.infer<typeof guideSchema>;

export const evidenceKindSchema = z.enum(EVIDENCE_KINDS);
export type EvidenceKind = z.infer<typeof evidenceKindSchema>;

/** Every step of a list, depth-first, in reading order. */
export function flattenSteps(steps: GuideStep[]): GuideStep[] {
  return steps.flatMap((step) => [step, ...flattenSteps(step.children)]);
}

/** Sections whose steps make the checklist (the others are context). */
export const checklistSectionKinds: ReadonlySet<SectionKind> = new Set(['investigation', 'false_positive', 'response', 'other']);
