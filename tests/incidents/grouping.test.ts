/**
 * The grouping of alerts into incidents: each key, the window's edges, service accounts,
 * hand-made changes kept across re-runs, and the same incidents whatever order or batches
 * the alerts arrive in.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { listAudit } from '@/lib/store/audit';
import { groupUngroupedAlerts, incidentIdFor } from '@/lib/incidents/grouping';
import { groupingConfigFromEnv, type GroupingConfig } from '@/lib/incidents/config';
import { isServiceAccount } from '@/lib/incidents/keys';
import { mergeIncidents, moveAlert, splitAlerts, updateIncident, getIncidentOrThrow } from '@/lib/incidents/manual';
import { listMembers, resolveIncidentId } from '@/lib/store/incidents';
import { alertOf, type AlertSpec } from './helpers';

const CONFIG: GroupingConfig = { windowMinutes: 60, keys: ['process', 'host', 'user'] };
let db: AppDb;

beforeEach(() => {
  db = useMemoryDb();
});

function add(...specs: AlertSpec[]) {
  insertAlerts(db, specs.map(alertOf));
}

function group(config: GroupingConfig = CONFIG) {
  return groupUngroupedAlerts(db, { config, now: () => new Date('2026-11-03T00:00:00Z') });
}

/** every incident as the sorted ids of its alerts, sorted */
function partition(): string[][] {
  const rows = db.prepare('SELECT incident_id, alert_id FROM incident_alerts ORDER BY alert_id').all() as { incident_id: string; alert_id: string }[];
  const by = new Map<string, string[]>();
  for (const r of rows) by.set(r.incident_id, [...(by.get(r.incident_id) ?? []), r.alert_id]);
  return [...by.values()].map((l) => l.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

function snapshot() {
  return db.prepare('SELECT alert_id, incident_id, pinned, reason FROM incident_alerts ORDER BY alert_id').all();
}

function incidentOf(alertId: string): string {
  return (db.prepare('SELECT incident_id FROM incident_alerts WHERE alert_id = ?').pluck().get(alertId) as string);
}

describe('host key', () => {
  it('joins alerts of one host (any case) up to the window apart, and says why', () => {
    add({ id: 'a1', min: 0, host: 'WS-FIN-01' }, { id: 'a2', min: 12, host: 'ws-fin-01' });
    group();
    expect(partition()).toEqual([['a1', 'a2']]);
    const members = listMembers(db, incidentOf('a1'));
    expect(members.map((m) => m.alertId)).toEqual(['a1', 'a2']);
    expect(members[0]!.reason).toBeNull();
    expect(members[1]!.reason).toMatchObject({ kind: 'key', key: 'host', value: 'ws-fin-01', viaAlertId: 'a1', viaRuleName: 'Rule rule-a', minutes: 12, direction: 'after' });
  });

  it('window edges: exactly 60 minutes joins, a second more does not', () => {
    add({ id: 'a1', min: 0, host: 'h1' }, { id: 'a2', min: 60, host: 'h1' }, { id: 'b1', min: 0, host: 'h2' }, { id: 'b2', min: 60 + 1 / 60, host: 'h2' });
    group();
    expect(partition()).toEqual([['a1', 'a2'], ['b1'], ['b2']]);
  });

  it('chains: each alert within the window of the previous one', () => {
    add({ id: 'a1', min: 0, host: 'h1' }, { id: 'a2', min: 50, host: 'h1' }, { id: 'a3', min: 100, host: 'h1' });
    group();
    expect(partition()).toEqual([['a1', 'a2', 'a3']]);
  });

  it('the window is configurable', () => {
    add({ id: 'a1', min: 0, host: 'h1' }, { id: 'a2', min: 20, host: 'h1' });
    group({ windowMinutes: 10, keys: ['host'] });
    expect(partition()).toEqual([['a1'], ['a2']]);
  });

  it('the incident id comes from its earliest alert', () => {
    add({ id: 'z9', min: 0, host: 'h1' }, { id: 'a1', min: 5, host: 'h1' });
    group();
    expect(incidentOf('a1')).toBe(incidentIdFor('z9'));
  });
});

describe('user key', () => {
  it('joins the same user + domain on another host inside the window', () => {
    add({ id: 'a1', min: 0, host: 'h1', user: 'alice', domain: 'CORP' }, { id: 'a2', min: 30, host: 'h2', user: 'Alice', domain: 'corp' });
    group();
    expect(partition()).toEqual([['a1', 'a2']]);
    expect(listMembers(db, incidentOf('a1'))[1]!.reason).toMatchObject({ key: 'user', value: 'corp\\alice', minutes: 30 });
  });

  it('does not join the same name in another domain, or past the window', () => {
    add(
      { id: 'a1', min: 0, host: 'h1', user: 'alice', domain: 'CORP' },
      { id: 'a2', min: 30, host: 'h2', user: 'alice', domain: 'LAB' },
      { id: 'a3', min: 61, host: 'h3', user: 'alice', domain: 'CORP' },
    );
    group();
    expect(partition()).toEqual([['a1'], ['a2'], ['a3']]);
  });

  it('never joins through well-known service accounts', () => {
    add(
      { id: 'a1', min: 0, host: 'h1', user: 'SYSTEM', domain: 'NT AUTHORITY' },
      { id: 'a2', min: 1, host: 'h2', user: 'SYSTEM', domain: 'NT AUTHORITY' },
      { id: 'a3', min: 2, host: 'h3', user: 'LOCAL SERVICE' },
      { id: 'a4', min: 3, host: 'h4', user: 'LOCAL SERVICE' },
      { id: 'a5', min: 4, host: 'h5', user: 'WS-01$', domain: 'CORP' },
      { id: 'a6', min: 5, host: 'h6', user: 'WS-01$', domain: 'CORP' },
    );
    group();
    expect(partition()).toHaveLength(6);
    expect(isServiceAccount('Network Service')).toBe(true);
    expect(isServiceAccount('svc', null, 'S-1-5-18')).toBe(true);
    expect(isServiceAccount('dwm-3')).toBe(true);
    expect(isServiceAccount('alice', 'CORP')).toBe(false);
  });

  it('only host and user keys configured: no process joins', () => {
    add({ id: 'a1', min: 0, host: 'h1', entity: 'p1' }, { id: 'a2', min: 500, host: 'h1', entity: 'p2', parent: 'p1' });
    group({ windowMinutes: 60, keys: ['host', 'user'] });
    expect(partition()).toEqual([['a1'], ['a2']]);
  });
});

describe('process key', () => {
  it('joins a process with its descendants, however far apart in time', () => {
    add(
      { id: 'a1', min: 0, host: 'h1', entity: 'p1' },
      { id: 'a2', min: 500, host: 'h1', entity: 'p3', parent: 'p2', ancestry: ['p2', 'p1'] },
      { id: 'a3', min: 900, host: 'h1', entity: 'p1' },
    );
    group();
    expect(partition()).toEqual([['a1', 'a2', 'a3']]);
    const r = listMembers(db, incidentOf('a1'))[1]!.reason;
    expect(r).toMatchObject({ key: 'process', value: 'p1', viaAlertId: 'a1', minutes: 500 });
  });

  it('does not join cousins (only a shared distant ancestor) or the same entity id on another host', () => {
    add(
      { id: 'a1', min: 0, host: 'h1', entity: 'c1', parent: 'x1', ancestry: ['x1', 'root'] },
      { id: 'a2', min: 300, host: 'h1', entity: 'c2', parent: 'x2', ancestry: ['x2', 'root'] },
      { id: 'a3', min: 600, host: 'h2', entity: 'c1' },
    );
    group();
    expect(partition()).toEqual([['a1'], ['a2'], ['a3']]);
  });
});

describe('determinism', () => {
  const specs: AlertSpec[] = [
    { id: 'a1', min: 0, host: 'h1', user: 'alice' },
    { id: 'a2', min: 40, host: 'h2', user: 'alice' },
    { id: 'a3', min: 90, host: 'h2' },
    { id: 'a4', min: 300, host: 'h3', entity: 'p9' },
    { id: 'a5', min: 420, host: 'h3', entity: 'p10', parent: 'p9' },
    { id: 'a6', min: 130, host: 'h1' },
    { id: 'a7', min: 100, host: 'h1' },
    { id: 'a8', min: 100, host: 'h4', user: 'bob' },
    { id: 'a9', min: 130, host: 'h5', user: 'bob' },
    { id: 'b1', min: 1000, host: 'h1' },
    // links a3 (same host) with a8 and a9 (same user on other hosts): one incident of both
    { id: 'c1', min: 110, host: 'h2', user: 'bob' },
  ];

  it('one pass over all alerts gives the expected incidents', () => {
    add(...specs);
    group();
    expect(partition()).toEqual([['a1', 'a2', 'a3', 'a8', 'a9', 'c1'], ['a4', 'a5'], ['a6', 'a7'], ['b1']]);
  });

  it('any arrival order and batching (late, earlier alerts included) gives the same incidents and reasons, and re-runs change nothing', () => {
    add(...specs);
    group();
    const expected = snapshot();
    fc.assert(
      fc.property(fc.shuffledSubarray(specs, { minLength: specs.length, maxLength: specs.length }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 10, maxLength: 10 }), (order, cuts) => {
        db = useMemoryDb();
        let i = 0;
        let c = 0;
        while (i < order.length) {
          const n = cuts[c++ % cuts.length]!;
          add(...order.slice(i, i + n));
          group();
          i += n;
        }
        group();
        expect(snapshot()).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('a late earlier alert that links two incidents merges them; the absorbed id leads to the merged one', () => {
    add({ id: 'a1', min: 0, host: 'h1' }, { id: 'a3', min: 100, host: 'h1' });
    group();
    const later = incidentOf('a3');
    expect(partition()).toEqual([['a1'], ['a3']]);
    add({ id: 'a2', min: 50, host: 'h1' });
    const report = group();
    expect(partition()).toEqual([['a1', 'a2', 'a3']]);
    expect(report.absorbed).toEqual([later]);
    expect(resolveIncidentId(db, later)).toBe(incidentIdFor('a1'));
  });
});

describe('hand-made changes are kept', () => {
  it('a split stays split when the grouping runs again and new alerts arrive', () => {
    add({ id: 'a1', min: 0, host: 'h1' }, { id: 'a2', min: 10, host: 'h1' }, { id: 'a3', min: 20, host: 'h1' });
    group();
    const inc = incidentOf('a1');
    const split = splitAlerts(inc, ['a3'], { actor: 'ana' });
    group();
    add({ id: 'a4', min: 25, host: 'h1' });
    group();
    expect(incidentOf('a3')).toBe(split.id);
    expect(incidentOf('a1')).toBe(inc);
    expect(incidentOf('a2')).toBe(inc);
    // the new alert joins through the earliest linked alert a person placed: a1's incident
    expect(incidentOf('a4')).toBe(inc);
    expect(listAudit(getDb(), { entity: 'incident', entityId: inc }).map((e) => e.action)).toEqual(['split']);
  });

  it('a merge stays merged; a moved alert stays moved; both audited', () => {
    add({ id: 'a1', min: 0, host: 'h1' }, { id: 'b1', min: 0, host: 'h2' }, { id: 'c1', min: 0, host: 'h3' });
    group();
    const [a, b, c] = ['a1', 'b1', 'c1'].map(incidentOf);
    mergeIncidents(a!, [b!], { actor: 'lee' });
    moveAlert('c1', a!, { actor: 'lee' });
    const before = snapshot();
    group();
    add({ id: 'b2', min: 5, host: 'h2' });
    group();
    expect(snapshot().filter((r) => (r as { alert_id: string }).alert_id !== 'b2')).toEqual(before);
    expect(partition()).toEqual([['a1', 'b1', 'b2', 'c1']]);
    expect(resolveIncidentId(db, b!)).toBe(a);
    expect(resolveIncidentId(db, c!)).toBe(a);
    expect(listAudit(getDb(), { entity: 'incident', entityId: a! }).map((e) => e.action)).toEqual(['merge', 'alert_moved_in']);
    expect(listMembers(db, a!).find((m) => m.alertId === 'c1')!.reason).toMatchObject({ kind: 'manual', action: 'move', actor: 'lee' });
  });

  it('a closed incident takes no new alerts; closing it closes its open alerts with the one verdict', () => {
    add({ id: 'a1', min: 0, host: 'h1' }, { id: 'a2', min: 10, host: 'h1' });
    group();
    const inc = getIncidentOrThrow(incidentOf('a1'));
    const { closedAlerts } = updateIncident(inc.id, { status: 'closed', verdict: 'false_positive', note: 'admin script' }, { actor: 'ana', expectedVersion: inc.version });
    expect(closedAlerts).toEqual(['a1', 'a2']);
    const statuses = db.prepare('SELECT status, verdict, closing_note FROM alerts ORDER BY id').all();
    expect(statuses).toEqual([
      { status: 'closed', verdict: 'false_positive', closing_note: 'admin script' },
      { status: 'closed', verdict: 'false_positive', closing_note: 'admin script' },
    ]);
    add({ id: 'a3', min: 20, host: 'h1' });
    group();
    expect(incidentOf('a3')).not.toBe(inc.id);
    expect(() => updateIncident(inc.id, { assignee: 'x' }, { actor: 'ana', expectedVersion: inc.version })).toThrow(/changed by someone else/);
  });
});

describe('configuration', () => {
  it('reads the window and keys from the environment and refuses bad values with the variable named', () => {
    expect(groupingConfigFromEnv({ GUIDEPOST_INCIDENT_WINDOW_MINUTES: '30', GUIDEPOST_INCIDENT_KEYS: 'user, HOST' })).toEqual({ windowMinutes: 30, keys: ['host', 'user'] });
    expect(groupingConfigFromEnv({})).toEqual({ windowMinutes: 60, keys: ['process', 'host', 'user'] });
    expect(() => groupingConfigFromEnv({ GUIDEPOST_INCIDENT_WINDOW_MINUTES: 'soon' })).toThrow(/GUIDEPOST_INCIDENT_WINDOW_MINUTES/);
    expect(() => groupingConfigFromEnv({ GUIDEPOST_INCIDENT_KEYS: 'host,ip' })).toThrow(/GUIDEPOST_INCIDENT_KEYS/);
  });
});
