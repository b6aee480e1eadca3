/**
 * Issue 11: the web process never waits on the event store. With events.db locked by
 * another process, an evidence request fails fast (503 store_busy, "events.db is busy")
 * while an app-state request (/api/alerts, app.db only) answers at once; when the lock goes,
 * evidence is read again. Before, the evidence read ran in the request thread and blocked
 * the whole server for the store's 5 s busy timeout (per statement), /api/alerts included.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { useMemoryDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { signedInCookies } from '@/tests/support/sessions';
import { queueAlert } from '@/tests/support/alerts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-store-busy-'));
process.env.GUIDEPOST_DATA_DIR = dir;
process.env.GUIDEPOST_ARGON2_FAST = '1';
process.env.GUIDEPOST_STORE_BUSY_MS = '500';
process.env.GUIDEPOST_SCHEDULER = 'off';

const { openEventStore } = await import('@/lib/events/embedded/store');
const { eventsDbPath } = await import('@/lib/events/embedded/db');
const { GET: getAlerts } = await import('@/app/api/alerts/route');
const { GET: getEvidence } = await import('@/app/api/alerts/[id]/evidence/route');
const { GET: getHealth } = await import('@/app/api/health/route');
const { closeEvidencePool, evidenceWorkersReady } = await import('@/lib/server/workers/evidence-pool');

const BASE = 'http://127.0.0.1:3000';
let cookie = '';
let locker: Database.Database | null = null;

const t0 = Date.UTC(2026, 0, 1, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  // the event store: a process with two children, written and closed before the lock
  const store = openEventStore({ dataDir: dir });
  const proc = (id: string, parent: string | null, name: string, at: number) => ({
    _index: 'logs-endpoint.events.process-default',
    _id: id,
    _source: {
      '@timestamp': iso(at),
      event: { category: ['process'], type: ['start'], kind: 'event' },
      host: { name: 'h1', os: { type: 'windows' } },
      process: { name, entity_id: id, executable: `C:\\\\${name}`, ...(parent ? { parent: { entity_id: parent } } : {}) },
    },
  });
  store.insert([proc('pe-root', null, 'explorer.exe', t0 - 60_000), proc('pe1', 'pe-root', 'cmd.exe', t0), proc('pe-child', 'pe1', 'whoami.exe', t0 + 1000)]);
  store.close();

  const db = useMemoryDb();
  cookie = (await signedInCookies({ ana: 'analyst' })).ana!;
  insertAlerts(db, [
    queueAlert(1, {
      id: 'a1',
      hostName: 'h1',
      processEntityId: 'pe1',
      timestamp: iso(t0),
      createdAt: iso(t0),
      status: 'open',
      event: { _index: 'logs-endpoint.events.process-default', _id: 'pe1', _source: { host: { name: 'h1' }, process: { entity_id: 'pe1', name: 'cmd.exe' } } },
    }),
  ]);
  await evidenceWorkersReady(); // started before the clock of each request starts
});

afterAll(async () => {
  locker?.close();
  await closeEvidencePool();
  fs.rmSync(dir, { recursive: true, force: true });
});

const headers = () => ({ host: '127.0.0.1:3000', cookie });

async function timed(p: () => Promise<Response>): Promise<{ ms: number; status: number; body: unknown }> {
  const start = performance.now();
  const res = await p();
  const body: unknown = await res.json();
  return { ms: performance.now() - start, status: res.status, body };
}

const evidence = () =>
  timed(() => getEvidence(new NextRequest(`${BASE}/api/alerts/a1/evidence`, { headers: headers() }), { params: Promise.resolve({ id: 'a1' }) }));
const alerts = () => timed(() => getAlerts(new NextRequest(`${BASE}/api/alerts?status=open`, { headers: headers() }), { params: Promise.resolve({}) }));

describe('a locked events.db', () => {
  it('fails the evidence request fast with store_busy while /api/alerts answers at once', async () => {
    // another process takes events.db for itself: exclusive locking mode, an open write transaction
    locker = new Database(eventsDbPath(dir));
    locker.pragma('locking_mode = EXCLUSIVE');
    locker.exec('BEGIN EXCLUSIVE');
    locker.exec("UPDATE events SET host_name = host_name WHERE doc_id = 'pe1'");

    const start = performance.now();
    const ev = evidence();
    // 30 ms later, while the evidence request is under way, the queue asks for its alerts:
    // counted from that moment (a thread blocked by the store would hold it back)
    await new Promise((r) => setTimeout(r, 30));
    const al = await alerts();
    const alertsMs = performance.now() - start - 30;
    expect(al.status).toBe(200);
    expect((al.body as { items: { id: string }[] }).items.map((a) => a.id)).toEqual(['a1']);
    // a thread held by the store would wait out its 5 s busy timeout; bounds leave room for a loaded machine
    expect(alertsMs).toBeLessThan(3000);

    const e = await ev;
    expect(e.status).toBe(503);
    expect(e.body).toMatchObject({ error: { code: 'store_busy' } });
    expect((e.body as { error: { message: string } }).error.message).toMatch(/^events\.db is busy: /);
    expect(e.ms).toBeLessThan(4500);
  });

  it('/api/health says the event source is not answering, within the busy timeout, without holding the thread', async () => {
    const h = await timed(() => getHealth(new NextRequest(`${BASE}/api/health`, { headers: headers() }), { params: Promise.resolve({}) }));
    expect(h.body).toMatchObject({ source: { kind: 'embedded', ok: false } });
    expect(h.ms).toBeLessThan(4500);
  });

  it('reads the evidence again once the lock is gone', async () => {
    locker?.exec('COMMIT');
    locker?.close();
    locker = null;
    const e = await evidence();
    expect(e.status).toBe(200);
    const tree = (e.body as { processTree: { subject: { entityId: string }; descendants: { entityId: string }[] } | null }).processTree;
    expect(tree?.subject.entityId).toBe('pe1');
    expect(tree?.descendants.map((d) => d.entityId)).toContain('pe-child');
  });
});
