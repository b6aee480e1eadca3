/**
 * Issue 11: the web process never waits on the event store. With events.db locked by
 * another process, an evidence request fails fast (503 store_busy, "events.db is busy")
 * while an app-state request (/api/alerts, app.db only) answers at once; when the lock goes,
 * evidence is read again. Before, the evidence read ran in the request thread and blocked
 * the whole server for the store's 5 s busy timeout (per statement), /api/alerts included.
 * The incident's timeline and export, and the case export, read the store the same way: before,
 * the incident's ran in the request thread (a locked store held the server, then the timeline
 * came back 200 with a source error) and the case export wrote a file without its evidence.
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
const { GET: getIncidentTimeline } = await import('@/app/api/incidents/[id]/timeline/route');
const { GET: getIncidentExport } = await import('@/app/api/incidents/[id]/export/route');
const { GET: getCaseExport } = await import('@/app/api/alerts/[id]/export/route');
const { groupUngroupedAlerts, incidentIdFor } = await import('@/lib/incidents/grouping');
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
  // and a connection the alert's process made (a key event of the incident's timeline)
  const net = {
    _index: 'logs-endpoint.events.network-default',
    _id: 'pe1-net',
    _source: {
      '@timestamp': iso(t0 + 2000),
      event: { category: ['network'], type: ['start'], kind: 'event' },
      host: { name: 'h1', os: { type: 'windows' } },
      process: { name: 'cmd.exe', entity_id: 'pe1' },
      destination: { ip: '10.0.0.9', port: 443 },
    },
  };
  store.insert([proc('pe-root', null, 'explorer.exe', t0 - 60_000), proc('pe1', 'pe-root', 'cmd.exe', t0), proc('pe-child', 'pe1', 'whoami.exe', t0 + 1000), net]);
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
  groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] } });
  await evidenceWorkersReady(); // started before the clock of each request starts
});

afterAll(async () => {
  locker?.close();
  await closeEvidencePool();
  fs.rmSync(dir, { recursive: true, force: true });
});

const headers = () => ({ host: '127.0.0.1:3000', cookie });

/** answers are JSON, but for the Markdown export: read as text, parsed when it is JSON */
async function timed(p: () => Promise<Response>): Promise<{ ms: number; status: number; body: unknown }> {
  const start = performance.now();
  const res = await p();
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { ms: performance.now() - start, status: res.status, body };
}

const evidence = () =>
  timed(() => getEvidence(new NextRequest(`${BASE}/api/alerts/a1/evidence`, { headers: headers() }), { params: Promise.resolve({ id: 'a1' }) }));
const INC = () => incidentIdFor('a1');
const incidentTimeline = () =>
  timed(() => getIncidentTimeline(new NextRequest(`${BASE}/api/incidents/${INC()}/timeline`, { headers: headers() }), { params: Promise.resolve({ id: INC() }) }));
const incidentExport = () =>
  timed(() =>
    getIncidentExport(new NextRequest(`${BASE}/api/incidents/${INC()}/export?format=json`, { headers: headers() }), { params: Promise.resolve({ id: INC() }) }),
  );
const caseExport = () =>
  timed(() => getCaseExport(new NextRequest(`${BASE}/api/alerts/a1/export?format=json`, { headers: headers() }), { params: Promise.resolve({ id: 'a1' }) }));
const alerts = () => timed(() => getAlerts(new NextRequest(`${BASE}/api/alerts?status=open`, { headers: headers() }), { params: Promise.resolve({}) }));

/**
 * Sends `request` (a read of the locked store) and, 30 ms later while it is under way, the
 * queue's /api/alerts, counted from that moment (a thread blocked by the store would hold it
 * back): the queue answers at once, the request 503 store_busy within the busy timeout.
 */
async function busyBesideAlerts(request: () => ReturnType<typeof timed>): ReturnType<typeof timed> {
  const start = performance.now();
  const pending = request();
  await new Promise((r) => setTimeout(r, 30));
  const al = await alerts();
  const alertsMs = performance.now() - start - 30;
  expect(al.status).toBe(200);
  expect((al.body as { items: { id: string }[] }).items.map((a) => a.id)).toEqual(['a1']);
  // a thread held by the store would wait out its 5 s busy timeout; bounds leave room for a loaded machine
  expect(alertsMs).toBeLessThan(3000);
  const r = await pending;
  expect(r.status).toBe(503);
  expect(r.body).toMatchObject({ error: { code: 'store_busy' } });
  expect(r.ms).toBeLessThan(4500);
  return r;
}

describe('a locked events.db', () => {
  it('fails the evidence request fast with store_busy while /api/alerts answers at once', async () => {
    // another process takes events.db for itself: exclusive locking mode, an open write transaction
    locker = new Database(eventsDbPath(dir));
    locker.pragma('locking_mode = EXCLUSIVE');
    locker.exec('BEGIN EXCLUSIVE');
    locker.exec("UPDATE events SET host_name = host_name WHERE doc_id = 'pe1'");

    const e = await busyBesideAlerts(evidence);
    expect((e.body as { error: { message: string } }).error.message).toMatch(/^events\.db is busy: /);
  });

  for (const [name, request] of [
    ['the incident timeline', incidentTimeline],
    ['the incident export', incidentExport],
    ['the case export', caseExport],
  ] as const) {
    it(`fails ${name} fast with store_busy while /api/alerts answers at once`, async () => {
      await busyBesideAlerts(request);
    });
  }

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

  it('reads the incident timeline and exports again once the lock is gone', async () => {
    const tl = await incidentTimeline();
    expect(tl.status).toBe(200);
    const body = tl.body as { items: { kind: string; event: { _id: string } | null }[]; sourceError: string | null };
    expect(body.sourceError).toBeNull();
    // the connection the alert's process made: read from the store through a worker
    expect(body.items.filter((i) => i.kind !== 'alert').map((i) => i.event?._id)).toContain('pe1-net');
    const ex = await incidentExport();
    expect(ex.status).toBe(200);
    expect((ex.body as { timeline: { event: { _id: string } | null }[] }).timeline.map((i) => i.event?._id)).toContain('pe1-net');
    const ce = await caseExport();
    expect(ce.status).toBe(200);
  });
});
