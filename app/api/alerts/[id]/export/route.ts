import { caseExportQuerySchema } from '@/lib/contracts/export';
import { PRINT_SCRIPT_CSP_SOURCE } from '@/lib/export';
import { exportCase } from '@/lib/server/case-export';
import { parseSearchParams, withRoute } from '../../../_lib/route';

// GET /api/alerts/:id/export?format=markdown|json|html[&download=1] — the case as it stands
// (Markdown and the report in the user's interface language; JSON as the API speaks)
export const GET = withRoute<{ id: string }>(async ({ req, params, actor, user }) => {
  const { format, download } = parseSearchParams(req, caseExportQuerySchema);
  const out = await exportCase(params.id, format, actor, user?.language ?? 'en');
  const headers: Record<string, string> = {
    'content-type': out.contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  // the printable report is our own escaped HTML; still, no script may run in it
  if (format === 'html') headers['content-security-policy'] = `default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src ${PRINT_SCRIPT_CSP_SOURCE}`;
  if (download === '1' || format !== 'html') headers['content-disposition'] = `${download === '1' ? 'attachment' : 'inline'}; filename="${out.fileName}"`;
  return new Response(out.body, { status: 200, headers });
});
