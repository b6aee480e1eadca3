/**
 * Ingest jobs kept in app.db (issue 13): who, file, counts, state; a job running when the
 * server stopped is marked interrupted with its counts; temporary uploads are removed at
 * start; ingests are audited. Uploads are streamed (multipart too) and refused past the
 * configured maximum with 413.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { getDb, type AppDb } from '@/lib/store/db';
import { listAudit } from '@/lib/store/audit';
import { ingestJobSchema } from '@/lib/contracts/ingest';
import { signedInTeam } from '@/tests/support/sessions';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-rel-jobs-'));
process.env.GUIDEPOST_DATA_DIR = dir;
process.env.GUIDEPOST_INGEST_WORKER = 'off';
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const { GET, POST } = await import('@/app/api/ingest/route');
const { recoverIngestJobs, uploadsDir, maxUploadBytes } = await import('@/app/api/ingest/jobs');

const BASE = 'http://127.0.0.1:3000';
const segment = { params: Promise.resolve({}) };
let db: AppDb;
const cookies = signedInTeam({ root: 'admin' });

const ev = (i: number, salt: string) => JSON.stringify({ '@timestamp': `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`, event: { category: ['file'] }, host: { name: `h${i}-${salt}` } });
/** n events no other test stored (the event store is shared by the tests of this file) */
const ndjson = (n: number, salt: string) => Array.from({ length: n }, (_, i) => ev(i, salt)).join('\n') + '\n';

beforeEach(() => {
  delete process.env.GUIDEPOST_UPLOAD_MAX_MB;
  db = getDb();
  (globalThis as { __guidepostIngestRecovered?: boolean }).__guidepostIngestRecovered = false;
});

function post(url: string, body: BodyInit | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return POST(
    new NextRequest(`${BASE}${url}`, {
      method: 'POST',
      headers: { host: '127.0.0.1:3000', origin: BASE, cookie: cookies.root!, ...headers },
      body: body as BodyInit,
      duplex: 'half',
    } as ConstructorParameters<typeof NextRequest>[1]),
    segment,
  );
}

async function job(id: string) {
  const res = await GET(new NextRequest(`${BASE}/api/ingest?job=${id}`, { headers: { host: '127.0.0.1:3000', cookie: cookies.root! } }), segment);
  expect(res.status).toBe(200);
  return ingestJobSchema.parse(((await res.json()) as { job: unknown }).job);
}

async function settled(id: string) {
  for (let i = 0; i < 200; i++) {
    const j = await job(id);
    if (j.state !== 'receiving' && j.state !== 'ingesting') return j;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

/** A body that arrives in pieces (no Content-Length), as a slow client would send it. */
function streamed(parts: (string | Buffer)[]): ReadableStream<Uint8Array> {
  const chunks = parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p));
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(new Uint8Array(next));
      else controller.close();
    },
  });
}

describe('ingest jobs in app.db', () => {
  it('a raw upload is recorded (who, file, counts, state) and audited from start to end', async () => {
    const res = await post('/api/ingest?name=events.ndjson', ndjson(5, 'raw'), { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(202);
    const { job: started } = (await res.json()) as { job: { id: string } };
    const done = await settled(started.id);
    expect(done).toMatchObject({ name: 'events.ndjson', state: 'done', startedBy: 'root' });
    expect(done.report).toMatchObject({ read: 5, stored: 5, rejectedCount: 0 });
    expect(done.finishedAt).not.toBeNull();
    const row = db.prepare('SELECT state, started_by FROM ingest_jobs WHERE id = ?').get(started.id);
    expect(row).toEqual({ state: 'done', started_by: 'root' });
    expect(listAudit(getDb(), { entity: 'ingest', entityId: started.id }).map((a) => [a.actor, a.action])).toEqual([
      ['root', 'ingest:start'],
      ['root', 'ingest:done'],
    ]);
    // the temporary file is gone
    expect(fs.existsSync(path.join(uploadsDir(), started.id))).toBe(false);
  });

  it('an empty upload fails with a clear message', async () => {
    const res = await post('/api/ingest?name=empty.ndjson', streamed([]), { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(202);
    const { job: started } = (await res.json()) as { job: { id: string } };
    const end = await settled(started.id);
    expect(end.state).toBe('failed');
    expect(end.error).toMatch(/the file is empty/);
  });

  it('a job running when the server stopped is marked interrupted with its counts, audited, and its temporary file removed', async () => {
    const progress = { bytes: 1000, totalBytes: 5000, lines: 40000, read: 40000, stored: 40000, rejected: 0 };
    db.prepare(
      `INSERT INTO ingest_jobs (id, name, format, state, started_by, started_at, progress) VALUES ('j1', 'big.ndjson', 'auto', 'ingesting', 'ana', '2026-12-04T10:00:00.000Z', ?)`,
    ).run(JSON.stringify(progress));
    db.prepare(`INSERT INTO ingest_jobs (id, name, format, state, started_by, started_at) VALUES ('j0', 'old.ndjson', 'auto', 'done', 'ana', '2026-12-04T09:00:00.000Z')`).run();
    fs.mkdirSync(path.join(uploadsDir(), 'j1'), { recursive: true });
    fs.writeFileSync(path.join(uploadsDir(), 'j1', 'upload'), 'x'.repeat(1000));
    expect(recoverIngestJobs()).toEqual(['j1']);
    expect(fs.existsSync(path.join(uploadsDir(), 'j1'))).toBe(false);
    const j = await job('j1');
    expect(j.state).toBe('interrupted');
    expect(j.progress).toMatchObject({ read: 40000, stored: 40000 });
    expect(j.error).toMatch(/server stopped.*40000 events had been read, 40000 stored/);
    expect((await job('j0')).state).toBe('done');
    expect(listAudit(getDb(), { entity: 'ingest', entityId: 'j1' }).map((a) => a.action)).toEqual(['ingest:interrupted']);
    // the list answers after a restart (it was empty when jobs lived in memory)
    const list = await GET(new NextRequest(`${BASE}/api/ingest`, { headers: { host: '127.0.0.1:3000', cookie: cookies.root! } }), segment);
    expect(((await list.json()) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(['j1', 'j0']);
  });
});

describe('streamed uploads and their limit', () => {
  it('multipart: the file part is streamed (boundary split across chunks, a field before it)', async () => {
    const boundary = '----gpBoundary7MA4YWxk';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="curl.ndjson"\r\nContent-Type: application/octet-stream\r\n\r\n` +
        ndjson(3, 'multipart') +
        `\r\n--${boundary}--\r\n`,
    );
    // cut inside the closing delimiter and inside the headers
    const cut1 = body.indexOf('filename') + 3;
    const cut2 = body.length - boundary.length;
    const res = await post('/api/ingest', streamed([body.subarray(0, cut1), body.subarray(cut1, cut2), body.subarray(cut2)]), {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(res.status).toBe(202);
    const { job: started } = (await res.json()) as { job: { id: string } };
    const done = await settled(started.id);
    expect(done).toMatchObject({ name: 'curl.ndjson', state: 'done' });
    expect(done.report).toMatchObject({ read: 3, stored: 3, rejectedCount: 0 });
  });

  it('multipart without a file part is a 400 naming it', async () => {
    const boundary = 'b0';
    const res = await post('/api/ingest', `--${boundary}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--${boundary}--\r\n`, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/no "file" part/);
  });

  it('past GUIDEPOST_UPLOAD_MAX_MB: 413 with a clear error, by Content-Length or while streaming; the job is failed and its file removed', async () => {
    process.env.GUIDEPOST_UPLOAD_MAX_MB = '1';
    expect(maxUploadBytes()).toBe(1024 * 1024);
    const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const declared = await post('/api/ingest', big, { 'content-type': 'application/x-ndjson', 'content-length': String(big.length) });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { message: string } }).error.message).toMatch(/larger than the limit of 1 MiB.*CLI/);

    const res = await post('/api/ingest', streamed([big.subarray(0, 600_000), big.subarray(600_000)]), { 'content-type': 'multipart/form-data; boundary=zz' });
    expect(res.status).toBe(413);
    const raw = await post('/api/ingest', streamed([big.subarray(0, 600_000), big.subarray(600_000)]), { 'content-type': 'application/x-ndjson' });
    expect(raw.status).toBe(413);
    const failed = db.prepare(`SELECT id, state, error FROM ingest_jobs`).all() as { id: string; state: string; error: string }[];
    expect(failed.map((f) => f.state)).toEqual(['failed']);
    expect(failed[0]!.error).toMatch(/larger than the limit/);
    expect(fs.existsSync(path.join(uploadsDir(), failed[0]!.id))).toBe(false);
    expect(() => maxUploadBytes({ GUIDEPOST_UPLOAD_MAX_MB: 'lots' })).toThrow(/GUIDEPOST_UPLOAD_MAX_MB/);
  });
});
