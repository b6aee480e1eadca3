/** Incident exports: alerts with reasons, timeline, checklists and history; hostile text stays text. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { groupUngroupedAlerts, incidentIdFor } from '@/lib/incidents/grouping';
import { incidentReport, incidentToHtml, incidentToJson, incidentToMarkdown } from '@/lib/incidents/export';
import { setIncidentStep, splitAlerts } from '@/lib/incidents/manual';
import type { EventSource } from '@/lib/events/types';
import { alertOf } from './helpers';

let db: AppDb;
const failing = {
  entityEvents: () => Promise.reject(new Error('source down')),
  authenticationEvents: () => Promise.reject(new Error('source down')),
} as unknown as EventSource;

beforeEach(() => {
  db = useMemoryDb();
  insertAlerts(db, [
      alertOf({ id: 'a1', min: 0, host: 'ws-fin-01', user: '<img src=x onerror=alert(1)>' }),
      alertOf({ id: 'a2', min: 12, host: 'WS-FIN-01', rule: 'b' }),
      alertOf({ id: 'a3', min: 20, host: 'ws-fin-01', rule: 'c|d' }),
    ]);
  groupUngroupedAlerts(db, { config: { windowMinutes: 60, keys: ['host', 'user', 'process'] } });
});

describe('incident exports', () => {
  it('Markdown lists the alerts with their reasons, the response steps with owners, the history; in Chinese too', async () => {
    const id = incidentIdFor('a1');
    setIncidentStep(id, 'contain', { state: 'done', owner: 'lee' }, { actor: 'lee' });
    splitAlerts(id, ['a3'], { actor: 'lee' });
    const r = await incidentReport(id, failing, 'lee', new Date('2026-11-03T00:00:00Z'));
    const md = incidentToMarkdown(r);
    expect(md).toContain('# Incident ' + id);
    expect(md).toContain('same host ws-fin-01, 12 min after Rule rule-a');
    expect(md).toContain('first alert of the incident');
    expect(md).toMatch(/- \[x\] Contain: .* — done \(Owner: lee\)/);
    expect(md).toContain('lee split');
    expect(md).toContain('The event source did not answer; only the alerts are listed: source down');
    expect(incidentToMarkdown(r, 'zh')).toContain('相同主机 ws-fin-01，在 Rule rule-a 之后 12 分钟');
    const json = JSON.parse(incidentToJson(r)) as { alerts: { alertId: string }[]; history: unknown[] };
    expect(json.alerts.map((a) => a.alertId)).toEqual(['a1', 'a2']);
    expect(json.history).toHaveLength(2);
  });

  it('the printable report escapes what alerts carry', async () => {
    const r = await incidentReport(incidentIdFor('a1'), failing, 'lee');
    const html = incidentToHtml(r);
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('same host ws-fin-01, 12 min after Rule rule-a');
  });
});
