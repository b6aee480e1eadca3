import 'server-only';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ingestFile } from '@/lib/events/ingest';
import type { IngestJob, IngestStartQuery } from '@/lib/contracts/ingest';

export class UploadError extends Error {
  constructor(
    readonly code: 'payload_too_large' | 'invalid_request',
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** Upload size limit (bytes); larger files go through the CLI. */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
const KEEP_JOBS = 50;

const registry = globalThis as typeof globalThis & { __guidepostIngestJobs?: Map<string, IngestJob> };
const jobs = (registry.__guidepostIngestJobs ??= new Map<string, IngestJob>());

export function getIngestJob(id: string): IngestJob | undefined {
  return jobs.get(id);
}

/** The jobs still held (the last KEEP_JOBS), newest first. */
export function listIngestJobs(): IngestJob[] {
  return [...jobs.values()].reverse();
}

function remember(job: IngestJob) {
  jobs.set(job.id, job);
  while (jobs.size > KEEP_JOBS) {
    const oldest = jobs.keys().next().value;
    if (oldest === undefined) break;
    jobs.delete(oldest);
  }
}

/** Streams the body to a temp file, then ingests it in the background; the job is polled. */
export async function startIngestJob(body: ReadableStream<Uint8Array>, q: IngestStartQuery, startedBy: string): Promise<IngestJob> {
  const job: IngestJob = {
    id: randomUUID(),
    name: q.name,
    format: q.format,
    index: q.index ?? null,
    state: 'receiving',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    progress: null,
    report: null,
    error: null,
    startedBy,
  };
  remember(job);
  const dir = await mkdtemp(path.join(tmpdir(), 'guidepost-upload-'));
  const file = path.join(dir, 'upload');
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      received += chunk.length;
      if (received > MAX_UPLOAD_BYTES) cb(new Error(`the upload is larger than ${MAX_UPLOAD_BYTES} bytes; use the CLI for such files`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), limit, createWriteStream(file));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    jobs.delete(job.id);
    if (received > MAX_UPLOAD_BYTES) throw new UploadError('payload_too_large', `the upload is larger than ${MAX_UPLOAD_BYTES} bytes; use the CLI (npm run guidepost -- ingest FILE) for such files`);
    throw new UploadError('invalid_request', `the upload did not arrive whole: ${err instanceof Error ? err.message : String(err)}`);
  }
  job.state = 'ingesting';
  void ingestFile(file, {
    format: q.format,
    ...(q.index ? { index: q.index } : {}),
    onProgress: (p) => {
      job.progress = { ...p };
    },
  })
    .then((report) => {
      Object.assign(job, {
        state: 'done',
        finishedAt: new Date().toISOString(),
        report: {
          read: report.read,
          stored: report.stored,
          replaced: report.replaced,
          rejected: report.rejected,
          rejectedCount: report.rejectedCount,
          format: report.format,
          indices: report.indices,
          lines: report.lines,
          bytes: report.bytes,
        },
      });
    })
    .catch((err: unknown) => {
      Object.assign(job, { state: 'failed', finishedAt: new Date().toISOString(), error: err instanceof Error ? err.message : String(err) });
    })
    .finally(() => rm(dir, { recursive: true, force: true }));
  return job;
}
