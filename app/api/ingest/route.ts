import { ingestJobQuerySchema, ingestStartQuerySchema } from '@/lib/contracts/ingest';
import { json, parseSearchParams, RouteError, withRoute } from '../_lib/route';
import { getIngestJob, listIngestJobs, startIngestJob } from './jobs';

// POST /api/ingest?format=&index=&name= — upload a file (raw body) and start ingesting it
export const POST = withRoute(async ({ req, actor }) => {
  const query = parseSearchParams(req, ingestStartQuerySchema);
  if ((req.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    // multipart (curl -F file=@events.ndjson) is read whole by the runtime; the browser sends the raw file
    const file = (await req.formData()).get('file');
    if (!(file instanceof File)) throw new RouteError('invalid_request', 'the form has no "file" part');
    const job = await startIngestJob(file.stream(), { ...query, name: file.name || query.name }, actor);
    return json({ job }, 202);
  }
  if (!req.body) throw new RouteError('invalid_request', 'the request has no body: send the file as the body');
  const job = await startIngestJob(req.body, query, actor);
  return json({ job }, 202);
}, { action: 'ingest' });

// GET /api/ingest?job=ID — progress and, when done, the report; without job: the recent jobs
export const GET = withRoute(({ req }) => {
  const { job: id } = parseSearchParams(req, ingestJobQuerySchema);
  if (id === undefined) return json({ items: listIngestJobs() });
  const job = getIngestJob(id);
  if (!job) throw new RouteError('not_found', `no ingest job ${id} (jobs are kept in memory until the server restarts)`);
  return json({ job });
}, { action: 'ingest' });
