/**
 * Requests and answers of the rules-import worker (rules-import-worker.ts): one request
 * reads, checks and stores one import file (Kibana NDJSON, corpus JSONL or a TOML rule) on
 * the worker's own app.db connection; the answer is the import's report.
 */
import { z } from 'zod';
import { ruleImportReportSchema } from '@/lib/contracts/rules';

export const rulesImportRequestSchema = z.object({
  text: z.string(),
  fileName: z.string().min(1),
  actor: z.string().min(1),
  enable: z.boolean(),
});
export type RulesImportRequest = z.infer<typeof rulesImportRequestSchema>;

export const rulesImportResponseSchema = ruleImportReportSchema;
