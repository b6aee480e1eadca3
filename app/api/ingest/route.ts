import { ingestJobQuerySchema, ingestStartQuerySchema } from '@/lib/contracts/ingest';
import { json, parseSearchParams, withRoute } from '../_lib/route';
import { ingestJobOrThrow, listIngestJobs, startUpload } from '@/lib/server/ingest-jobs';

// POST /api/ingest?format=&index=&name= — upload a file (raw body, or multipart with a "file" part) and start ingesting it.
// Both are streamed to a temporary file; past GUIDEPOST_UPLOAD_MAX_MB the upload is refused with 413.
export const POST = withRoute(async ({ req, actor }) => {
  const query = parseSearchParams(req, ingestStartQuerySchema);
  const job = await startUpload({ body: req.body, contentType: req.headers.get('content-type'), contentLength: req.headers.get('content-length'), query, actor });
  return json({ job }, 202);
}, { action: 'ingest' });

// GET /api/ingest?job=ID — progress and, when done, the report; without job: the recent jobs
export const GET = withRoute(({ req }) => {
  const { job: id } = parseSearchParams(req, ingestJobQuerySchema);
  return json(id === undefined ? { items: listIngestJobs() } : { job: ingestJobOrThrow(id) });
}, { action: 'ingest' });
