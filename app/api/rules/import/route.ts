import { ruleImportQuerySchema } from '@/lib/contracts/rules';
import { importRuleText } from '@/lib/detection/rules';
import { json, parseSearchParams, RouteError, withRoute } from '../../_lib/route';

/** an import file larger than this is refused (Elastic's whole rule set exports to ~15 MB) */
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

// POST /api/rules/import?name=<file name>&enable=0|1 — the file as the raw body (Kibana NDJSON, corpus JSONL or one TOML); admins
export const POST = withRoute(async ({ req, actor }) => {
  const query = parseSearchParams(req, ruleImportQuerySchema);
  const length = Number(req.headers.get('content-length') ?? '0');
  if (length > MAX_IMPORT_BYTES) throw new RouteError('payload_too_large', `the import file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  const buf = await req.arrayBuffer();
  if (buf.byteLength > MAX_IMPORT_BYTES) throw new RouteError('payload_too_large', `the import file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  if (buf.byteLength === 0) throw new RouteError('invalid_request', 'the request has no body: send the import file as the body');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new RouteError('invalid_request', 'the import file is not UTF-8 text');
  }
  return json(importRuleText(text, query.name, { actor, enable: query.enable }));
}, { action: 'rules:manage' });
