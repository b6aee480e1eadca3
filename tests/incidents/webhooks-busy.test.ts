/**
 * The webhook dispatcher runs on the web thread: its writes (an attempt's record, the SLA
 * breaches it queues) must not wait out app.db's 5 s busy timeout while another connection (the
 * detection worker's grouping, a CLI) holds the write lock — better-sqlite3 is synchronous, so
 * that wait stalled every request, and the record's SQLITE_BUSY failed the round. A record that
 * waited is written on the next round, and the delivery is not sent twice meanwhile.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, openAppDb, setDb, tryWrite, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { groupUngroupedAlerts } from '@/lib/incidents/grouping';
import { createWebhook, listDeliveries } from '@/lib/incidents/notify/store';
import { deliverDue } from '@/lib/incidents/notify/deliver';
import { notifySlaBreaches } from '@/lib/incidents/notify/events';
import { alertOf } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-webhooks-busy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** well under the connection's 5 s busy timeout, well over a 50 ms wait on a loaded machine */
const QUICK_MS = 1000;
const T0 = new Date('2026-11-02T09:00:00Z');

let db: AppDb;
let other: Database.Database;
let file = '';
let n = 0;

beforeEach(() => {
  file = path.join(dir, `app-${n++}.db`);
  db = setDb(openAppDb(file));
  other = new Database(file);
});
afterEach(() => {
  if (other.inTransaction) other.exec('ROLLBACK');
  other.close();
  closeDb();
});

/** a fetch that answers 204 and counts its calls */
function receiver() {
  const calls: string[] = [];
  const fetch = (async (url: string | URL | Request) => {
    calls.push(String(url));
    return new Response(null, { status: 204 });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

describe('webhook dispatcher while another connection holds the write lock', () => {
  it('sends without stalling, records the attempt on the next round, never sends it twice', async () => {
    createWebhook({ name: 'soc', url: 'http://127.0.0.1:9/hook', format: 'json', events: ['incident.created'], minSeverity: 'low', enabled: true }, 'admin', T0, db);
    insertAlerts(db, [alertOf({ id: 'a1', min: 0, host: 'h1', severity: 'high' })]);
    groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] }, now: () => T0 });
    const queued = listDeliveries(db.prepare<[], string>('SELECT id FROM webhooks').pluck().get()!, 10, db);
    expect(queued).toHaveLength(1);
    const r = receiver();

    other.exec('BEGIN IMMEDIATE');
    const t0 = performance.now();
    expect(await deliverDue({ db, now: () => T0, fetch: r.fetch })).toBe(1);
    expect(performance.now() - t0).toBeLessThan(QUICK_MS);
    expect(r.calls).toHaveLength(1);
    // not recorded yet, so still due in the table; the next round must not send it again
    expect(listDeliveries(queued[0]!.webhookId, 10, db)[0]).toMatchObject({ attempts: 0, status: 'pending' });
    expect(await deliverDue({ db, now: () => T0, fetch: r.fetch })).toBe(0);
    expect(r.calls).toHaveLength(1);

    other.exec('COMMIT');
    expect(await deliverDue({ db, now: () => T0, fetch: r.fetch })).toBe(0);
    expect(r.calls).toHaveLength(1);
    expect(listDeliveries(queued[0]!.webhookId, 10, db)[0]).toMatchObject({ attempts: 1, status: 'delivered', lastStatus: 204 });
  });

  it('skips queueing SLA breaches while the lock is held and queues them once afterwards', () => {
    createWebhook({ name: 'soc', url: 'http://127.0.0.1:9/hook', format: 'json', events: ['incident.sla_breach'], minSeverity: 'low', enabled: true }, 'admin', T0, db);
    insertAlerts(db, [alertOf({ id: 'c1', min: 0, host: 'h2', severity: 'critical' })]);
    groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] }, now: () => T0 });
    // critical: acknowledge within 15 min (the incidents' default SLA); the incident began at 08:00
    const late = new Date('2026-11-02T08:20:00Z');
    const dispatcherWrite = (queueAll: () => void) => tryWrite(db, queueAll);

    other.exec('BEGIN IMMEDIATE');
    const t0 = performance.now();
    expect(notifySlaBreaches(late, db, undefined, dispatcherWrite)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(QUICK_MS);
    other.exec('COMMIT');

    expect(notifySlaBreaches(late, db, undefined, dispatcherWrite)).toBe(1);
    expect(notifySlaBreaches(late, db, undefined, dispatcherWrite)).toBe(0);
    expect(db.prepare<[], number>(`SELECT COUNT(*) FROM webhook_deliveries WHERE event = 'incident.sla_breach'`).pluck().get()).toBe(1);
  });
});
