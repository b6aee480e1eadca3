import { beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb, type AppDb } from '../store/db';
import { computeDashboard } from './metrics';
import { slaFromEnv, defaultSla } from './sla';
import { incidentSlaFromEnv } from '../incidents/sla';

let db: AppDb;
const NOW = new Date('2026-11-20T12:00:00.000Z');
const ago = (min: number) => new Date(NOW.getTime() - min * 60_000).toISOString();

function alert(id: string, o: { severity?: string; status?: string; assignee?: string | null; createdMin: number; ackMin?: number; closedMin?: number }) {
  db.prepare(
    `INSERT INTO alerts (id, rule_id, dedup_key, rule_version, rule_name, severity, risk_score, mitre, event_index, event_id, event,
       timestamp, created_at, run_id, status, assignee, acknowledged_at, closed_at, updated_at)
     VALUES (?, 'r1', ?, 1, 'Rule one', ?, 73, '[]', 'i', ?, '{}', ?, ?, 'run', ?, ?, ?, ?, ?)`,
  ).run(
    id,
    id,
    o.severity ?? 'high',
    id,
    ago(o.createdMin),
    ago(o.createdMin),
    o.status ?? 'open',
    o.assignee ?? null,
    o.ackMin === undefined ? null : ago(o.ackMin),
    o.closedMin === undefined ? null : ago(o.closedMin),
    ago(0),
  );
}
function step(alertId: string, stepId: string, state: string) {
  db.prepare(
    `INSERT INTO checklist_steps (alert_id, step_id, section, state, actor, updated_at) VALUES (?, ?, 'guide', ?, 'x', ?)`,
  ).run(alertId, stepId, state, ago(0));
}

describe('team-lead dashboard', () => {
  beforeEach(() => {
    db = useMemoryDb();
    // a: open 10 min, unassigned; b: open 45 min (breaches high ack SLA 30 min)
    alert('a', { createdMin: 10 });
    alert('b', { createdMin: 45, assignee: 'ana' });
    // c: acknowledged after 20 min, 2 of 4 steps done, ana's
    alert('c', { createdMin: 120, status: 'acknowledged', assignee: 'ana', ackMin: 100 });
    step('c', 's1', 'done');
    step('c', 's2', 'not_applicable');
    step('c', 's3', 'open');
    // d: closed, acknowledged after 10 and closed after 60 min, bob's
    alert('d', { createdMin: 300, status: 'closed', assignee: 'bob', ackMin: 290, closedMin: 240 });
    // e: low severity, 2 days old
    alert('e', { severity: 'low', createdMin: 2 * 1440 });
  });

  const run = () =>
    computeDashboard({ period: { from: ago(7 * 1440), to: NOW.toISOString() }, now: NOW, stepsTotal: () => 4, sla: defaultSla });

  it('counts alerts by status, age and severity', () => {
    const d = run();
    expect(d.byStatus).toEqual({ open: 3, acknowledged: 1, closed: 1 });
    expect(d.byAge.find((b) => b.bucket === '<1h')?.count).toBe(2);
    expect(d.byAge.find((b) => b.bucket === '1-4h')?.count).toBe(1);
    expect(d.byAge.find((b) => b.bucket === '1-3d')?.count).toBe(1);
    expect(d.bySeverity).toMatchObject({ high: 3, low: 1 });
  });

  it('summarises each analyst, with checklist completion', () => {
    const d = run();
    expect(d.analysts).toEqual([
      { analyst: 'ana', assigned: 1, inProgress: 1, closed: 0, medianCompletion: 0.25 },
      { analyst: 'bob', assigned: 0, inProgress: 0, closed: 1, medianCompletion: null },
    ]);
    const c = d.investigations.items.find((i) => i.id === 'c');
    expect(c).toMatchObject({ stepsDone: 2, stepsTotal: 4, ageMinutes: 120 });
    expect(d.investigations.total).toBe(4);
    expect(d.investigations.items.map((i) => i.id)).toEqual(['e', 'c', 'b', 'a']);
  });

  it('tells two open investigations on one host apart: alert time, user, process, file, version', () => {
    db.prepare(`UPDATE alerts SET host_name = 'ws-fin-01', user_name = 'jdoe', process_name = 'userinit.exe', file_path = 'C:\\Users\\jdoe\\a.dll', version = 3 WHERE id = 'a'`).run();
    db.prepare(`UPDATE alerts SET host_name = 'ws-fin-01', user_name = 'SYSTEM', process_name = 'lsass.exe', file_path = 'C:\\Windows\\b.dll' WHERE id = 'b'`).run();
    const d = run();
    const byId = new Map(d.investigations.items.map((i) => [i.id, i]));
    expect(byId.get('a')).toMatchObject({ hostName: 'ws-fin-01', timestamp: ago(10), userName: 'jdoe', processName: 'userinit.exe', filePath: 'C:\\Users\\jdoe\\a.dll', version: 3 });
    expect(byId.get('b')).toMatchObject({ hostName: 'ws-fin-01', timestamp: ago(45), userName: 'SYSTEM', processName: 'lsass.exe', filePath: 'C:\\Windows\\b.dll', version: 1 });
    expect(byId.get('e')).toMatchObject({ userName: null, processName: null, filePath: null });
  });

  it('measures time to acknowledge and to close', () => {
    const d = run();
    expect(d.timeToAcknowledge).toEqual({ count: 2, medianMinutes: 15, p90Minutes: 19 });
    expect(d.timeToClose).toEqual({ count: 1, medianMinutes: 60, p90Minutes: 60 });
  });

  it('lists SLA breaches', () => {
    const d = run();
    expect(d.breaches.items.map((b) => [b.id, b.kind])).toEqual([
      ['e', 'acknowledge'],
      ['b', 'acknowledge'],
    ]);
    expect(d.breaches.items[1]).toMatchObject({ limitMinutes: 30, overdueMinutes: 15 });
  });

  it('reads SLA targets from the environment and names a bad field', () => {
    expect(slaFromEnv('{"high":{"acknowledgeMinutes":10}}').high).toEqual({ acknowledgeMinutes: 10, closeMinutes: 480 });
    expect(() => slaFromEnv('{"high":{"acknowledgeMinutes":-1}}')).toThrow(/high\.acknowledgeMinutes/);
    expect(() => slaFromEnv('{nope')).toThrow(/not valid JSON/);
  });

  it('refuses an unknown target name instead of ignoring it (a typo would keep the default unseen)', () => {
    expect(() => slaFromEnv('{"high":{"acknowledgeMinute":10}}')).toThrow(/^GUIDEPOST_SLA: high: .*acknowledgeMinute/);
    expect(() => slaFromEnv('{"severe":{"closeMinutes":10}}')).toThrow(/^GUIDEPOST_SLA: /);
  });

  it('the incident SLA is read alike over its own defaults, its errors naming its own variable', () => {
    expect(incidentSlaFromEnv('{"low":{"closeMinutes":60}}').low).toEqual({ acknowledgeMinutes: 24 * 60, closeMinutes: 60 });
    expect(incidentSlaFromEnv(undefined).high).toEqual({ acknowledgeMinutes: 60, closeMinutes: 24 * 60 });
    expect(() => incidentSlaFromEnv('{"low":{"closeMinutes":0}}')).toThrow(/^GUIDEPOST_INCIDENT_SLA: low\.closeMinutes/);
  });
});
