import { ruleImportQuerySchema } from '@/lib/contracts/rules';
import { importRules } from '@/lib/server/rules';
import { AppError } from '@/lib/errors';
import { json, parseSearchParams, readBodyText, withRoute } from '../../_lib/route';

/** an import file larger than this is refused (Elastic's whole rule set exports to ~15 MB) */
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

// POST /api/rules/import?name=<file name>&enable=0|1 — the file as the raw body (Kibana NDJSON, corpus JSONL or one TOML); admins.
// The body is streamed and cut at the limit (a missing or false Content-Length cannot make the server buffer more).
export const POST = withRoute(async ({ req, actor }) => {
  const query = parseSearchParams(req, ruleImportQuerySchema);
  const text = await readBodyText(req, MAX_IMPORT_BYTES);
  if (text === '') throw new AppError('invalid_request', 'the request has no body: send the import file as the body');
  return json(await importRules(text, query.name, { actor, enable: query.enable }));
}, { action: 'rules:manage' });
