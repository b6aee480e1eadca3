import { z } from 'zod';

/** Inline text of a guide step: always rendered as text, never as HTML. */
export const guideSpanSchema = z.object({
  kind: z.enum(['text', 'code', 'strong', 'emphasis', 'link']),
  text: z.string(),
  href: z.string().optional(),
});
export type GuideSpan = z.infer<typeof guideSpanSchema>;

export const osqueryBlockSchema = z.object({
  label: z.string(),
  query: z.string(),
});

export const investigateBlockSchema = z.object({
  index: z.number().int().min(0),
  label: z.string(),
  description: z.string().optional(),
});

export interface GuideStep {
  id: string;
  spans: GuideSpan[];
  evidence: string[];
  osquery: z.infer<typeof osqueryBlockSchema>[];
  investigate: z.infer<typeof investigateBlockSchema>[];
  children: GuideStep[];
}

export const guideStepSchema: z.ZodType<GuideStep> = z.lazy(() =>
  z.object({
    id: z.string(),
    spans: z.array(guideSpanSchema),
    evidence: z.array(z.string()).default([]),
    osquery: z.array(osqueryBlockSchema).default([]),
    investigate: z.array(investigateBlockSchema).default([]),
    children: z.array(guideStepSchema).default([]),
  }),
) as z.ZodType<GuideStep>;

export const guideSectionKindSchema = z.enum(['investigation', 'false_positive', 'response', 'other']);

export const guideSectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: guideSectionKindSchema,
  /** paragraphs before the steps (context), each a list of spans */
  paragraphs: z.array(z.array(guideSpanSchema)).default([]),
  steps: z.array(guideStepSchema),
});
export type GuideSection = z.infer<typeof guideSectionSchema>;

export const guideSchema = z.object({
  title: z.string().nullable().default(null),
  sections: z.array(guideSectionSchema),
});
export type Guide = z.infer<typeof guideSchema>;

/** Every step of a guide, depth-first, in reading order. */
export function flattenSteps(steps: GuideStep[], depth = 0): { step: GuideStep; depth: number }[] {
  return steps.flatMap((step) => [{ step, depth }, ...flattenSteps(step.children, depth + 1)]);
}
