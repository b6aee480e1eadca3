/**
 * The rule-exception vocabulary, defined once (zod first, types derived): what the API and the
 * UI send, what lib/detection enforces and what the store keeps.
 *
 * Limits: where the API contract and lib/detection had drifted, the values are the ones an API
 * request was already held to (it passed both schemas, so the tighter of each pair applied):
 * comment ≤ 5,000 characters (the 20,000 of lib/detection was reachable only in-process, and the
 * decision note beside it is 5,000 too), field ≤ 256, ≤ 500 values, a pattern ≤ 1,024.
 */
import { z } from 'zod';
import { verdictSchema } from './alert';

/** The longest `matches` pattern (the matcher is linear in it, but it is kept short). */
export const MAX_EXCEPTION_PATTERN_LENGTH = 1024;
export const MAX_EXCEPTION_COMMENT_LENGTH = 5000;

export const exceptionOperatorSchema = z.enum(['is', 'is_one_of', 'matches', 'exists']);
export type ExceptionOperator = z.infer<typeof exceptionOperatorSchema>;

/** One condition; an exception matches when all its entries do. */
export const exceptionEntrySchema = z
  .object({
    field: z.string().trim().min(1, 'field is required').max(256),
    operator: exceptionOperatorSchema,
    /** values for is / is_one_of / matches (wildcards `*` `?`, case-insensitive); empty for exists */
    values: z.array(z.string().max(4096)).max(500).default([]),
    /** "is not", "is not one of", "does not match", "does not exist" */
    negate: z.boolean().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.operator !== 'exists' && !e.values.some((v) => v.length > 0)) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `operator ${e.operator} needs at least one value (only "exists" takes none)` });
    }
    if (e.operator === 'is' && e.values.length > 1) ctx.addIssue({ code: 'custom', path: ['values'], message: 'operator is takes exactly one value (use is_one_of)' });
    if (e.operator === 'matches') {
      e.values.forEach((v, i) => {
        if (v.length > MAX_EXCEPTION_PATTERN_LENGTH) {
          ctx.addIssue({ code: 'custom', path: ['values', i], message: `a "matches" pattern may be at most ${MAX_EXCEPTION_PATTERN_LENGTH} characters (this one has ${v.length})` });
        }
      });
    }
  });
export type ExceptionEntry = z.infer<typeof exceptionEntrySchema>;

/** POST /api/rules/:id/exceptions (lib/detection adds the rule id from the path) */
export const exceptionCreateSchema = z
  .object({
    entries: z.array(exceptionEntrySchema).min(1, 'an exception needs at least one entry').max(50),
    comment: z.string().trim().max(MAX_EXCEPTION_COMMENT_LENGTH).default(''),
    /** null = the default expiry (30 days); at most GUIDEPOST_EXCEPTION_MAX_DAYS ahead */
    expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
    /** never expires: leads and admins only, and only when asked for */
    neverExpires: z.boolean().default(false),
    /** when it comes into force (approval), close the rule's open alerts it matches */
    closeMatchingAlerts: z.boolean().default(false),
    /** verdict given to the alerts it closes */
    closeVerdict: verdictSchema.default('benign_true_positive'),
    /** the alert it is created from */
    fromAlertId: z.string().max(300).optional(),
  })
  .strict();
export type ExceptionCreate = z.infer<typeof exceptionCreateSchema>;
export type ExceptionCreateInput = z.input<typeof exceptionCreateSchema>;

/** pending = an analyst's proposal (suppresses nothing); approved = in force; rejected */
export const exceptionStatusSchema = z.enum(['pending', 'approved', 'rejected']);
export type ExceptionStatus = z.infer<typeof exceptionStatusSchema>;

/** POST /api/rules/:id/exceptions/:exceptionId — a lead approves or rejects a proposal */
export const exceptionDecisionSchema = z
  .object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().max(5000).default('') })
  .strict();
export type ExceptionDecisionInput = z.input<typeof exceptionDecisionSchema>;

export const ruleExceptionSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  entries: z.array(z.object({ field: z.string(), operator: exceptionOperatorSchema, values: z.array(z.string()), negate: z.boolean().optional() })),
  comment: z.string(),
  /** ISO; null = never expires (only a lead or admin may set that, explicitly) */
  expiresAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** the alert it was created from, if any */
  sourceAlertId: z.string().nullable(),
  status: exceptionStatusSchema.default('approved'),
  /** who approved or rejected it, and when (null while pending, and for exceptions older than approvals) */
  decidedBy: z.string().nullable().default(null),
  decidedAt: z.string().nullable().default(null),
  decisionNote: z.string().default(''),
  /** on approval, close the rule's open alerts it matches, with this verdict */
  closeMatchingAlerts: z.boolean().default(false),
  closeVerdict: verdictSchema.nullable().default(null),
});
export type RuleException = z.infer<typeof ruleExceptionSchema>;
