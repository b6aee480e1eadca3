import { z } from 'zod';
import { appErrorStatus, isAppErrorCode } from '../errors';

/** Error codes of the HTTP API, each with its status (defined once, in lib/errors). */
export const apiErrorStatus = appErrorStatus;

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** where: a request field, a line and column */
    details: z
      .object({ field: z.string().optional(), line: z.number().int().optional(), column: z.number().int().optional() })
      .optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

export const isApiErrorCode = isAppErrorCode;

/** Describes zod issues as "field: message; field: message" (where and what). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
