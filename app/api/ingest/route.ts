import { Readable } from 'node:stream';
import { ingestJobQuerySchema, ingestStartQuerySchema } from '@/lib/contracts/ingest';
import { AppError } from '@/lib/errors';
import { json, parseSearchParams, withRoute } from '../_lib/route';
import { getIngestJob, limitBytes, listIngestJobs, maxUploadBytes, startIngestJob, tooLargeMessage, UploadError } from '@/lib/server/ingest-jobs';
import { MultipartError, multipartBoundary, multipartFile } from './multipart';

// POST /api/ingest?format=&index=&name= — upload a file (raw body, or multipart with a "file" part) and start ingesting it.
// Both are streamed to a temporary file; past GUIDEPOST_UPLOAD_MAX_MB the upload is refused with 413.
export const POST = withRoute(async ({ req, actor }) => {
  const query = parseSearchParams(req, ingestStartQuerySchema);
  const max = maxUploadBytes();
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw new AppError('payload_too_large', tooLargeMessage(max));
  if (!req.body) throw new AppError('invalid_request', 'the request has no body: send the file as the body');
  const body = limitBytes(req.body as unknown as AsyncIterable<Uint8Array>, max);
  try {
    const type = req.headers.get('content-type') ?? '';
    if (type.toLowerCase().startsWith('multipart/form-data')) {
      // multipart (curl -F file=@events.ndjson): the "file" part is streamed, never held whole
      const { filename, stream } = await multipartFile(body, multipartBoundary(type));
      const job = await startIngestJob(stream, { ...query, name: filename || query.name }, actor, max);
      return json({ job }, 202);
    }
    const job = await startIngestJob(Readable.from(body, { objectMode: false }), query, actor, max);
    return json({ job }, 202);
  } catch (err) {
    if (err instanceof UploadError) throw new AppError(err.code, err.message);
    if (err instanceof MultipartError) throw new AppError('invalid_request', err.message);
    throw err;
  }
}, { action: 'ingest' });

// GET /api/ingest?job=ID — progress and, when done, the report; without job: the recent jobs
export const GET = withRoute(({ req }) => {
  const { job: id } = parseSearchParams(req, ingestJobQuerySchema);
  if (id === undefined) return json({ items: listIngestJobs() });
  const job = getIngestJob(id);
  if (!job) throw new AppError('not_found', `no ingest job ${id}`);
  return json({ job });
}, { action: 'ingest' });
