/** The checklist vocabulary (an alert's guide steps, an incident's response steps), defined once. */
import { z } from 'zod';

export const stepStateSchema = z.enum(['open', 'done', 'not_applicable']);
export type StepState = z.infer<typeof stepStateSchema>;
