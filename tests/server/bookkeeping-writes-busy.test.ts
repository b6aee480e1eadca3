/**
 * Web-thread writes that are bookkeeping (an ingest job's progress, a session's last-seen time,
 * an API token's last use) do not wait out app.db's 5 s busy timeout while another connection
 * (the detection worker's grouping, a CLI) holds the write lock: better-sqlite3 is synchronous,
 * so such a wait stalled every request. They are skipped after a short wait; a job's end is
 * written once the lock is free, never lost.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, openAppDb, setDb, tryWrite, type AppDb } from '@/lib/store/db';
import { listAudit } from '@/lib/store/audit';
import { createUser } from '@/lib/auth/users';
import { apiTokenPrincipal, createApiToken, createSession, sessionUser } from '@/lib/auth/sessions';
import { watchEventLoop } from '@/tests/support/loop-lag';
import { processStartNdjson } from '@/tests/support/process-events';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bookkeeping-busy-'));
process.env.GUIDEPOST_DATA_DIR = dir;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const { startIngestJob, getIngestJob } = await import('@/lib/server/ingest-jobs');
const { getEventStore } = await import('@/lib/events/embedded/store');

/** the connection's busy timeout (what openAppDb sets), the wait the old code had */
const BUSY_TIMEOUT_MS = 5000;
/** well under that wait, well over a 50 ms one on a loaded machine */
const QUICK_MS = 1000;

let db: AppDb;
/** a second connection to app.db, as the detection worker or a CLI has */
let other: Database.Database;

beforeEach(() => {
  db = setDb(openAppDb(path.join(dir, 'app.db')));
  other = new Database(path.join(dir, 'app.db'));
  (globalThis as { __guidepostIngestRecovered?: boolean }).__guidepostIngestRecovered = false;
});
afterEach(() => {
  if (other.inTransaction) other.exec('ROLLBACK');
  other.close();
  closeDb();
});

const holdWriteLock = () => other.exec('BEGIN IMMEDIATE');
const releaseWriteLock = () => other.exec('COMMIT');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, read: () => T, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: not reached in ${ms} ms (last: ${JSON.stringify(v)})`);
    await sleep(20);
  }
}

describe('bookkeeping writes while another connection holds the write lock', () => {
  it('an ingest job: the progress updates do not stall this thread, and its end is stored once the lock is free', async () => {
    const n = 30_000; // six batches of 5,000: progress messages arrive while the lock is held
    const before = getEventStore().count();
    const job = await startIngestJob(Readable.from([processStartNdjson(n, 'busy')]), { format: 'auto', name: 'busy.ndjson' }, 'tester');
    // taken before any of the worker's messages is handled (they are later event-loop turns)
    holdWriteLock();
    const loop = watchEventLoop(10);
    let maxLagMs: number;
    try {
      // the worker stores every event (events.db, not app.db); its progress reached this thread meanwhile
      await until('events stored', () => getEventStore().count() - before, (c) => c === n, 60_000);
      // the worker has answered once the job's temporary upload is removed; its end is tried right after
      await until('upload removed', () => fs.existsSync(path.join(dir, 'uploads', job.id)), (there) => !there, 60_000);
      await sleep(200);
      expect(getIngestJob(job.id)!.state).toBe('ingesting'); // not writable yet: kept for later, not failed
    } finally {
      maxLagMs = await loop.stop();
      releaseWriteLock();
    }
    expect(maxLagMs).toBeLessThan(QUICK_MS);
    expect(maxLagMs).toBeLessThan(BUSY_TIMEOUT_MS / 5);
    const done = await until('job recorded as done', () => getIngestJob(job.id)!, (j) => j.state !== 'ingesting', 10_000);
    expect(done.state).toBe('done');
    expect(done.error).toBeNull();
    expect(done.report?.stored).toBe(n);
    expect(listAudit(db, { entity: 'ingest', entityId: job.id }).map((a) => a.action)).toContain('ingest:done');
  }, 120_000);

  it("a session's last-seen time and a token's last use are skipped quickly, the request still answered, and written on a later request", async () => {
    const user = await createUser(db, { name: 'ana', role: 'analyst', password: 'correct horse battery 1' }, 'tester');
    const t0 = Date.parse('2026-12-05T04:00:00Z');
    const { token } = createSession(db, user.id, t0);
    const apiToken = createApiToken(db, user.id, 'ci', {}, 'tester', t0);
    const seen = () => db.prepare<[], string>('SELECT last_seen_at FROM sessions').pluck().get();
    const used = () => db.prepare<[], string | null>('SELECT last_used_at FROM api_tokens').pluck().get();
    const usedBefore = used();

    holdWriteLock();
    try {
      const start = performance.now();
      expect(sessionUser(db, token, t0 + 120_000)?.name).toBe('ana');
      expect(apiTokenPrincipal(db, apiToken, t0 + 120_000)?.user.name).toBe('ana');
      expect(performance.now() - start).toBeLessThan(QUICK_MS);
      expect(seen()).toBe(new Date(t0).toISOString()); // skipped, not waited for
      expect(used()).toBe(usedBefore);
    } finally {
      releaseWriteLock();
    }
    expect(sessionUser(db, token, t0 + 180_000)?.name).toBe('ana');
    apiTokenPrincipal(db, apiToken, t0 + 180_000);
    expect(seen()).toBe(new Date(t0 + 180_000).toISOString());
    expect(used()).toBe(new Date(t0 + 180_000).toISOString());
  });

  it('tryWrite: false on a held lock (nothing written), the busy timeout put back, and writes inside a transaction run as they are', () => {
    db.exec('CREATE TABLE t (x INTEGER)');
    holdWriteLock();
    try {
      expect(tryWrite(db, () => db.prepare('INSERT INTO t VALUES (1)').run())).toBe(false);
    } finally {
      releaseWriteLock();
    }
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(tryWrite(db, () => db.prepare('INSERT INTO t VALUES (2)').run())).toBe(true);
    db.transaction(() => expect(tryWrite(db, () => db.prepare('INSERT INTO t VALUES (3)').run())).toBe(true)).immediate();
    expect(db.prepare<[], number>('SELECT x FROM t ORDER BY x').pluck().all()).toEqual([2, 3]);
    // other errors are not swallowed
    expect(() => tryWrite(db, () => db.prepare('INSERT INTO no_such_table VALUES (1)').run())).toThrow(/no such table/);
  });
});
