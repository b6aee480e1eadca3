import { z } from 'zod';
import { incidentFormats, incidentToHtml, incidentToJson, incidentToMarkdown, PRINT_SCRIPT_CSP_SOURCE } from '@/lib/incidents/export';
import { incidentExportReport } from '@/lib/server/case-export';
import { parseSearchParams, withRoute } from '../../../_lib/route';

const querySchema = z.object({ format: z.enum(['markdown', 'json', 'report']).default('markdown'), download: z.enum(['0', '1']).optional() });

// GET /api/incidents/:id/export?format=markdown|json|report[&download=1] — the incident as it stands
export const GET = withRoute<{ id: string }>(async ({ req, params, actor, user }) => {
  const { format, download } = parseSearchParams(req, querySchema);
  const report = await incidentExportReport(params.id, actor);
  const lang = user?.language ?? 'en';
  const body = format === 'json' ? incidentToJson(report) : format === 'report' ? incidentToHtml(report, lang) : incidentToMarkdown(report, lang);
  const { contentType, extension } = incidentFormats[format];
  const headers: Record<string, string> = { 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (format === 'report') headers['content-security-policy'] = `default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src ${PRINT_SCRIPT_CSP_SOURCE}`;
  if (download === '1' || format !== 'report') headers['content-disposition'] = `${download === '1' ? 'attachment' : 'inline'}; filename="${report.incident.id}.${extension}"`;
  return new Response(body, { status: 200, headers });
});
