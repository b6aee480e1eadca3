/**
 * Webhooks against a local HTTP receiver on 127.0.0.1 (never another address): new incident at
 * or above the severity, assignment, SLA breach; HMAC signature; retries with backoff; each
 * event once; Slack and Teams payloads.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { groupUngroupedAlerts, incidentIdFor } from '@/lib/incidents/grouping';
import { getIncidentOrThrow, updateIncident } from '@/lib/incidents/manual';
import { createWebhook, listDeliveries } from '@/lib/incidents/notify/store';
import { backoffMs, deliverDue, MAX_ATTEMPTS } from '@/lib/incidents/notify/deliver';
import { notifySlaBreaches } from '@/lib/incidents/notify/events';
import { buildPayload } from '@/lib/incidents/notify/payload';
import { alertOf } from './helpers';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
let server: http.Server;
let url = '';
let received: Received[] = [];
/** statuses the receiver answers with, in turn (then 204) */
let answers: number[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let db: AppDb;
const T0 = new Date('2026-11-02T09:00:00Z');
beforeEach(() => {
  db = useMemoryDb();
  received = [];
  answers = [];
});

function groupAt(now: Date) {
  return groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host'] }, now: () => now });
}

describe('webhooks', () => {
  it('a new incident at or above the severity is sent once, signed; below it nothing', async () => {
    const hook = createWebhook({ name: 'soc', url, format: 'json', events: ['incident.created'], minSeverity: 'high', enabled: true }, 'admin', T0, db);
    insertAlerts(db, [alertOf({ id: 'a1', min: 0, host: 'h1', severity: 'high' }), alertOf({ id: 'b1', min: 0, host: 'h2', severity: 'low' })]);
    groupAt(T0);
    groupAt(T0);
    expect(await deliverDue({ db, now: () => T0 })).toBe(1);
    expect(received).toHaveLength(1);
    const r = received[0]!;
    const body = JSON.parse(r.body) as { event: string; incident: { id: string; severity: string } };
    expect(body.event).toBe('incident.created');
    expect(body.incident).toMatchObject({ id: incidentIdFor('a1'), severity: 'high' });
    const ts = r.headers['x-guidepost-timestamp'] as string;
    const expected = `sha256=${createHmac('sha256', hook.secret).update(`${ts}.${r.body}`).digest('hex')}`;
    expect(r.headers['x-guidepost-signature']).toBe(expected);
    // the low incident grows into the severity: it is new to this webhook now
    insertAlerts(db, [alertOf({ id: 'b2', min: 5, host: 'h2', severity: 'critical' })]);
    groupAt(T0);
    await deliverDue({ db, now: () => T0 });
    expect(received.map((x) => (JSON.parse(x.body) as { incident: { id: string } }).incident.id)).toEqual([incidentIdFor('a1'), incidentIdFor('b1')]);
    expect(listDeliveries(hook.id, 10, db).map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('retries a failed delivery with backoff and records each attempt; gives up after the last', async () => {
    const hook = createWebhook({ name: 'soc', url, format: 'json', events: ['incident.created'], minSeverity: 'low', enabled: true }, 'admin', T0, db);
    insertAlerts(db, [alertOf({ id: 'a1', min: 0, host: 'h1' })]);
    groupAt(T0);
    answers = [500];
    await deliverDue({ db, now: () => T0 });
    let [d] = listDeliveries(hook.id, 10, db);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: new Date(T0.getTime() + 30_000).toISOString() });
    // not due before its time
    expect(await deliverDue({ db, now: () => new Date(T0.getTime() + 29_000) })).toBe(0);
    await deliverDue({ db, now: () => new Date(T0.getTime() + 30_000) });
    [d] = listDeliveries(hook.id, 10, db);
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });
    expect(backoffMs(1)).toBe(30_000);
    expect(backoffMs(3)).toBe(120_000);

    insertAlerts(db, [alertOf({ id: 'z1', min: 500, host: 'h9' })]);
    groupAt(T0);
    answers = Array.from({ length: MAX_ATTEMPTS }, () => 503);
    let t = T0.getTime();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await deliverDue({ db, now: () => new Date(t) });
      t += 3_600_000;
    }
    const failed = listDeliveries(hook.id, 10, db).find((x) => x.incidentId === incidentIdFor('z1'))!;
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastStatus: 503 });
  });

  it('notifies an assignment and an SLA breach once each', async () => {
    createWebhook({ name: 'soc', url, format: 'json', events: ['incident.assigned', 'incident.sla_breach'], minSeverity: 'low', enabled: true }, 'admin', T0, db);
    insertAlerts(db, [alertOf({ id: 'a1', min: 0, host: 'h1', severity: 'critical' })]);
    groupAt(T0);
    const inc = getIncidentOrThrow(incidentIdFor('a1'));
    updateIncident(inc.id, { assignee: 'ana' }, { actor: 'lee', expectedVersion: inc.version, now: T0 });
    // critical: acknowledge within 15 min (the incidents' default SLA); the incident began at 08:00
    expect(notifySlaBreaches(new Date('2026-11-02T08:10:00Z'), db)).toBe(0);
    expect(notifySlaBreaches(new Date('2026-11-02T08:20:00Z'), db)).toBe(1);
    expect(notifySlaBreaches(new Date('2026-11-02T08:30:00Z'), db)).toBe(0);
    await deliverDue({ db, now: () => T0 });
    const events = received.map((r) => JSON.parse(r.body) as { event: string; detail?: { assignee?: string; sla?: string } });
    expect(events.map((e) => [e.event, e.detail]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['incident.assigned', { assignee: 'ana', by: 'lee' }],
      ['incident.sla_breach', { sla: 'acknowledge' }],
    ]);
  });

  it('writes Slack and Teams messages with the values escaped', () => {
    const incident = {
      id: 'INC-1', status: 'open', verdict: null, closingNote: null, assignee: null, severity: 'critical', riskScore: 99, alertCount: 2, openAlerts: 2,
      hosts: ['<!channel> ws-01'], users: [], rules: ['[x](http://evil)'], firstSeen: null, lastSeen: null, createdAt: '', updatedAt: '', acknowledgedAt: null,
      closedAt: null, version: 1, touched: false, progress: { done: 0, total: 7 },
    } as const;
    const slack = JSON.parse(buildPayload('slack', { event: 'incident.created', at: '', incident: { ...incident, hosts: [...incident.hosts], rules: [...incident.rules], users: [] }, url: null })) as { text: string };
    expect(slack.text).toContain('&lt;!channel&gt; ws-01');
    expect(slack.text).not.toContain('<!channel>');
    const teams = JSON.parse(buildPayload('teams', { event: 'incident.created', at: '', incident: { ...incident, hosts: [...incident.hosts], rules: [...incident.rules], users: [] }, url: 'https://soc.example/incidents/INC-1' })) as Record<string, unknown>;
    expect(teams['@type']).toBe('MessageCard');
    expect(teams.text).toContain('\\[x\\]\\(http://evil\\)');
  });
});
