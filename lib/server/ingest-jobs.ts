import 'server-only';
import { randomUUID } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ingestFile, type IngestReport } from '@/lib/events/ingest';
import { eventsDbPath } from '@/lib/events/embedded/db';
import { ingestJobSchema, ingestReportSchema, type IngestJob, type IngestStartQuery } from '@/lib/contracts/ingest';
import { dataDir, getDb, tryWrite } from '@/lib/store/db';
import { appendAudit } from '@/lib/store/audit';
import { AppError } from '@/lib/errors';
import { MultipartError, multipartBoundary, multipartFile } from './ingest-multipart';
import { spawnWorker, workersEnabled, type WorkerPool } from './workers/spawn';
import {
  ingestWorkerProgressSchema,
  ingestWorkerRequestSchema,
  ingestWorkerResponseSchema,
  type IngestWorkerRequest,
  type IngestWorkerResponse,
} from './workers/ingest-protocol';

/**
 * Ingest jobs: an upload is streamed to a temporary file under `<data dir>/uploads/`, then
 * ingested in the background while the page polls. The reading, parsing, normalising and
 * storing run in a worker thread with its own events.db connection (workers/ingest-worker.ts),
 * in short transactions, so the web process's thread stays free for requests; the worker
 * reports progress, recorded here. GUIDEPOST_WORKERS=off ingests in this thread instead. Jobs live in app.db (who, file, counts,
 * state, started/finished), so a restart keeps them: a job that was running when the server
 * stopped is marked interrupted with the counts it had reached, and the temporary files it
 * left are removed (recoverIngestJobs, at start). Every ingest is audited.
 */

export class UploadError extends Error {
  constructor(
    readonly code: 'payload_too_large' | 'invalid_request',
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

const DEFAULT_MAX_MB = 2048;
const maxMbSchema = z.coerce.number().int().min(1).max(1024 * 1024);

/** Upload size limit in bytes: GUIDEPOST_UPLOAD_MAX_MB (default 2048); larger files go through the CLI. */
export function maxUploadBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.GUIDEPOST_UPLOAD_MAX_MB;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_MB * 1024 * 1024;
  const v = maxMbSchema.safeParse(raw.trim());
  if (!v.success) throw new Error(`GUIDEPOST_UPLOAD_MAX_MB must be a whole number of MiB from 1 (got ${JSON.stringify(raw)})`);
  return v.data * 1024 * 1024;
}

export function tooLargeMessage(max: number): string {
  const mib = Math.round(max / 1024 / 1024);
  return `the upload is larger than the limit of ${mib} MiB (GUIDEPOST_UPLOAD_MAX_MB); use the CLI for such files: npm run guidepost -- ingest FILE`;
}

/** The request body's bytes, refused (UploadError payload_too_large) past `max`. */
export async function* limitBytes(body: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.byteLength;
    if (seen > max) throw new UploadError('payload_too_large', tooLargeMessage(max));
    yield chunk;
  }
}

const KEEP_JOBS = 50;

/** bytes of an upload held in memory on their way to the temporary file, per stage */
const UPLOAD_BUFFER_BYTES = 8 * 1024 * 1024;

export function uploadsDir(): string {
  return path.join(dataDir(), 'uploads');
}

interface Row {
  id: string;
  name: string;
  format: string;
  target_index: string | null;
  state: string;
  started_by: string;
  started_at: string;
  finished_at: string | null;
  progress: string | null;
  report: string | null;
  error: string | null;
}

function toJob(r: Row): IngestJob {
  return ingestJobSchema.parse({
    id: r.id,
    name: r.name,
    format: r.format,
    index: r.target_index,
    state: r.state,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    progress: r.progress ? JSON.parse(r.progress) : null,
    report: r.report ? JSON.parse(r.report) : null,
    error: r.error,
    startedBy: r.started_by,
  });
}

const recovered = globalThis as typeof globalThis & { __guidepostIngestRecovered?: boolean };

/**
 * Once per server process (before the first job starts): jobs left running by an earlier
 * process are marked interrupted with their counts and audited, and the temporary upload
 * files are removed. Returns the ids marked.
 */
export function recoverIngestJobs(now = new Date()): string[] {
  if (recovered.__guidepostIngestRecovered) return [];
  recovered.__guidepostIngestRecovered = true;
  rmSync(uploadsDir(), { recursive: true, force: true });
  const db = getDb();
  const at = now.toISOString();
  return db
    .transaction(() => {
      const rows = db.prepare<unknown[], Row>(`SELECT * FROM ingest_jobs WHERE state IN ('receiving', 'ingesting')`).all();
      for (const r of rows) {
        const p = r.progress ? (JSON.parse(r.progress) as { read?: number; stored?: number; rejected?: number }) : null;
        const counts = p ? `; by then ${p.read ?? 0} events had been read, ${p.stored ?? 0} stored and ${p.rejected ?? 0} rejected` : '; no event had been stored yet';
        const error = `the server stopped while this ${r.state === 'receiving' ? 'upload was being received' : 'file was being ingested'}${counts}. Ingest the file again (events already stored are replaced, not duplicated)`;
        db.prepare(`UPDATE ingest_jobs SET state = 'interrupted', finished_at = ?, error = ? WHERE id = ?`).run(at, error, r.id);
        appendAudit(db, { actor: r.started_by, entity: 'ingest', entityId: r.id, action: 'ingest:interrupted', after: { name: r.name, state: r.state, progress: p }, at });
      }
      return rows.map((r) => r.id);
    })
    .immediate();
}

export function getIngestJob(id: string): IngestJob | undefined {
  recoverIngestJobs();
  const r = getDb().prepare<unknown[], Row>('SELECT * FROM ingest_jobs WHERE id = ?').get(id);
  return r ? toJob(r) : undefined;
}

/** The last KEEP_JOBS jobs, newest first. */
export function listIngestJobs(): IngestJob[] {
  recoverIngestJobs();
  return (getDb().prepare<unknown[], Row>('SELECT * FROM ingest_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(KEEP_JOBS)).map(toJob);
}

function update(id: string, set: Partial<Pick<Row, 'state' | 'finished_at' | 'progress' | 'report' | 'error'>>): void {
  const keys = Object.keys(set) as (keyof typeof set)[];
  if (!keys.length) return;
  getDb()
    .prepare(`UPDATE ingest_jobs SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`)
    .run({ ...set, id });
}

function finish(id: string, actor: string, set: Parameters<typeof update>[1], audit: Record<string, unknown>): void {
  const db = getDb();
  db.transaction(() => {
    update(id, set);
    appendAudit(db, { actor, entity: 'ingest', entityId: id, action: `ingest:${set.state}`, after: audit, at: set.finished_at ?? new Date().toISOString() });
  }).immediate();
}

/**
 * The progress the worker reports, recorded for the page's polling. Bookkeeping: when another
 * connection holds app.db's write lock (the detection worker's grouping, a CLI) it is skipped
 * after a short wait (`tryWrite`) instead of stalling this thread for the 5 s busy timeout; the
 * next message writes it again. Returns whether it was written.
 */
function recordIngestProgress(id: string, progress: string): boolean {
  return tryWrite(getDb(), () => update(id, { progress }));
}

/** first wait before writing a job's end again (ms), doubled each time up to END_RETRY_MAX_MS */
const END_RETRY_MS = 100;
const END_RETRY_MAX_MS = 2000;

/**
 * Records a job's end (state, report or error, audit) in the background: tried with a short
 * wait for the write lock, and while another connection holds it, tried again on a timer (the
 * wait growing to 2 s) until it is written, never dropped (a restart meanwhile marks the job
 * interrupted, as any job left running).
 */
function recordIngestEnd(id: string, actor: string, set: Parameters<typeof update>[1], audit: Record<string, unknown>): void {
  const attempt = (wait: number) => {
    let written: boolean;
    try {
      written = tryWrite(getDb(), () => finish(id, actor, set, audit));
    } catch (e) {
      console.error('[ingest] could not record the end of job', id, e);
      return;
    }
    if (!written) setTimeout(() => attempt(Math.min(wait * 2, END_RETRY_MAX_MS)), wait);
  };
  attempt(END_RETRY_MS);
}

type IngestPool = WorkerPool<IngestWorkerRequest, IngestWorkerResponse>;
const pools = globalThis as typeof globalThis & { __guidepostIngestPool?: IngestPool };

/** The ingest worker (one thread: uploads are ingested one after another, each in short transactions). */
function ingestPool(): IngestPool {
  pools.__guidepostIngestPool ??= spawnWorker({
    name: 'ingest',
    module: 'lib/server/workers/ingest-worker.ts',
    request: ingestWorkerRequestSchema,
    response: ingestWorkerResponseSchema,
    size: 1,
    timeoutMs: 0, // an ingest takes as long as the file is big; progress shows it moving
    nice: 10, // background work: the request thread gets the cores first
  });
  return pools.__guidepostIngestPool;
}

/** Ingests one file into the events database, off this thread unless GUIDEPOST_WORKERS=off. */
export async function runIngest(
  req: IngestWorkerRequest,
  onProgress: (p: ReturnType<typeof ingestWorkerProgressSchema.parse>) => void,
): Promise<IngestWorkerResponse | IngestReport> {
  if (!workersEnabled()) {
    return ingestFile(req.file, { format: req.format, ...(req.index ? { index: req.index } : {}), onProgress });
  }
  return ingestPool().request(req, {
    onProgress: (raw) => {
      const p = ingestWorkerProgressSchema.safeParse(raw);
      if (p.success) onProgress(p.data);
    },
  });
}

/**
 * Streams the upload to a temporary file (refused past `maxBytes`), then ingests it in the
 * background; the job is polled. The job row exists from the first byte, so an interrupted
 * upload leaves a trace.
 */
export async function startIngestJob(body: Readable, q: IngestStartQuery, startedBy: string, maxBytes = maxUploadBytes()): Promise<IngestJob> {
  recoverIngestJobs();
  const id = randomUUID();
  const startedAt = new Date().toISOString();
  const db = getDb();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO ingest_jobs (id, name, format, target_index, state, started_by, started_at) VALUES (?, ?, ?, ?, 'receiving', ?, ?)`,
    ).run(id, q.name, q.format, q.index ?? null, startedBy, startedAt);
    db.prepare(`DELETE FROM ingest_jobs WHERE id IN (SELECT id FROM ingest_jobs WHERE state NOT IN ('receiving', 'ingesting') ORDER BY started_at DESC, rowid DESC LIMIT -1 OFFSET ?)`).run(KEEP_JOBS * 4);
    appendAudit(db, { actor: startedBy, entity: 'ingest', entityId: id, action: 'ingest:start', after: { name: q.name, format: q.format, index: q.index ?? null }, at: startedAt });
  }).immediate();
  const dir = path.join(uploadsDir(), id);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'upload');
  let received = 0;
  // large buffers between the socket and the file: with the default 16 KiB each 64 KiB chunk
  // waited for the previous write's callback, one event-loop turn or more per chunk, so on a
  // busy server a 44 MiB upload took 161 s to arrive (0.5 s on an idle one; load bench)
  const limit = new Transform({
    highWaterMark: UPLOAD_BUFFER_BYTES,
    transform(chunk: Buffer, _enc, cb) {
      received += chunk.length;
      if (received > maxBytes) cb(new UploadError('payload_too_large', tooLargeMessage(maxBytes)));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(file, { mode: 0o600, highWaterMark: UPLOAD_BUFFER_BYTES }));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const e =
      err instanceof UploadError ? err : new UploadError('invalid_request', `the upload did not arrive whole: ${err instanceof Error ? err.message : String(err)}`);
    finish(id, startedBy, { state: 'failed', finished_at: new Date().toISOString(), error: e.message }, { name: q.name, bytes: received, error: e.message });
    throw e;
  }
  update(id, { state: 'ingesting', progress: JSON.stringify({ bytes: 0, totalBytes: received, lines: 0, read: 0, stored: 0, rejected: 0 }) });
  void runIngest({ file, eventsDb: eventsDbPath(), format: q.format, ...(q.index ? { index: q.index } : {}) }, (p) => {
    recordIngestProgress(id, JSON.stringify(p));
  })
    // the temporary file is gone by the time the job says it ended
    .finally(() => rm(dir, { recursive: true, force: true }))
    .then((report) => {
      // the API's report: what the worker adds (formats, writer) is left out
      const value = ingestReportSchema.parse(report);
      recordIngestEnd(id, startedBy, { state: 'done', finished_at: new Date().toISOString(), report: JSON.stringify(value) }, {
        name: q.name,
        read: report.read,
        stored: report.stored,
        replaced: report.replaced,
        rejected: report.rejectedCount,
        invalidUtf8: report.invalidUtf8,
      });
    })
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      recordIngestEnd(id, startedBy, { state: 'failed', finished_at: new Date().toISOString(), error: message }, { name: q.name, error: message });
    });
  const job = getIngestJob(id);
  if (!job) throw new Error(`ingest job ${id} was not recorded`);
  return job;
}

/** What the upload route hands over: the request's body and headers, the checked query, who sends it. */
export interface UploadRequest {
  body: ReadableStream<Uint8Array> | null;
  contentType: string | null;
  contentLength: string | null;
  query: IngestStartQuery;
  actor: string;
}

/**
 * POST /api/ingest: a raw body, or multipart with a "file" part (curl -F file=@events.ndjson),
 * streamed to a temporary file (never held whole) and ingested as a job. Past
 * GUIDEPOST_UPLOAD_MAX_MB it is refused (AppError payload_too_large: by Content-Length before
 * reading, else while streaming); a broken multipart body is an invalid_request naming what.
 */
export async function startUpload(u: UploadRequest): Promise<IngestJob> {
  const max = maxUploadBytes();
  const declared = Number(u.contentLength ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw new AppError('payload_too_large', tooLargeMessage(max));
  if (!u.body) throw new AppError('invalid_request', 'the request has no body: send the file as the body');
  const body = limitBytes(u.body as unknown as AsyncIterable<Uint8Array>, max);
  try {
    const type = u.contentType ?? '';
    if (type.toLowerCase().startsWith('multipart/form-data')) {
      const { filename, stream } = await multipartFile(body, multipartBoundary(type));
      return await startIngestJob(stream, { ...u.query, name: filename || u.query.name }, u.actor, max);
    }
    return await startIngestJob(Readable.from(body, { objectMode: false, highWaterMark: UPLOAD_BUFFER_BYTES }), u.query, u.actor, max);
  } catch (err) {
    if (err instanceof UploadError) throw new AppError(err.code, err.message, { cause: err });
    if (err instanceof MultipartError) throw new AppError('invalid_request', err.message, { cause: err });
    throw err;
  }
}

/** GET /api/ingest?job=ID: the job, or not_found. */
export function ingestJobOrThrow(id: string): IngestJob {
  const job = getIngestJob(id);
  if (!job) throw new AppError('not_found', `no ingest job ${id}`);
  return job;
}
