/**
 * ONE suite of detection and evidence behaviour, run over both event sources with the
 * same events: the embedded SQLite store, and Elasticsearch through the client mock
 * answering from a simulated cluster (query DSL evaluated over the events, EQL through
 * lib/eql). Both must give the same alerts and the same evidence.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EqlHits } from '@/lib/eql/types';
import { buildAlerts, buildSearchRequest } from '@/lib/detection/run';
import { loadRuleFile } from '@/lib/rules/load';
import type { Rule } from '@/lib/rules/model';
import { mockedCluster } from '@/lib/events/elasticsearch/testing';
import { createEmbeddedSource } from '@/lib/events/embedded/source';
import { openEventStore, type EventStore } from '@/lib/events/embedded/store';
import type { EventSource, ExceptionItem, StoredEvent } from '@/lib/events/types';
import { processLineage } from '@/lib/investigation/lineage';
import { simulateCluster } from './cluster-sim';

const SHARED = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const seedRule: Rule = loadRuleFile(path.join(SHARED, 'rules', 'seed-rule.v2024-05.toml'));

const W = { from: '2024-05-21T10:00:00.000Z', to: '2024-05-21T10:09:00.000Z' };
const HOST = 'ws-01.corp.example';
const PROC = 'logs-endpoint.events.process-default';
const FILE = 'logs-endpoint.events.file-default';
const NET = 'logs-endpoint.events.network-default';
const AUTH = 'logs-system.security-default';
const LSASS = 'C:\\Windows\\System32\\lsass.exe';
const RUNDLL = 'C:\\Windows\\System32\\rundll32.exe';

const t = (hms: string) => `2024-05-21T${hms}.000Z`;

function proc(id: string, entity: string, parent: string | null, name: string, exe: string, ts: string, extra: Record<string, unknown> = {}): StoredEvent {
  return {
    _index: PROC,
    _id: id,
    _source: {
      '@timestamp': t(ts),
      event: { category: ['process'], type: ['start'], kind: 'event' },
      host: { name: HOST, os: { type: 'windows' } },
      process: { entity_id: entity, name, executable: exe, ...(parent ? { parent: { entity_id: parent } } : {}) },
      ...extra,
    },
  };
}

function file(
  id: string,
  index: string,
  o: { ts: string; ingested?: string; name: string; entity: string; ext: string; type?: string; path?: string },
): StoredEvent {
  return {
    _index: index,
    _id: id,
    _source: {
      '@timestamp': t(o.ts),
      event: { category: ['file'], type: [o.type ?? 'creation'], ...(o.ingested ? { ingested: t(o.ingested) } : {}) },
      host: { name: HOST, os: { type: 'windows' } },
      process: { name: o.name, entity_id: o.entity },
      file: { extension: o.ext, path: o.path ?? `C:\\Windows\\Temp\\${id}.${o.ext}` },
    },
  };
}

function auth(id: string, host: string, ts: string): StoredEvent {
  return {
    _index: AUTH,
    _id: id,
    _source: { '@timestamp': t(ts), event: { category: ['authentication'], code: '4624', outcome: 'success' }, host: { name: host }, user: { name: 'alice' } },
  };
}

const EVENTS: StoredEvent[] = [
  // process tree smss → wininit → lsass → {rundll32, cmd}
  proc('P0', 'e-smss', null, 'smss.exe', 'C:\\Windows\\System32\\smss.exe', '09:00:00'),
  proc('P1', 'e-wininit', 'e-smss', 'wininit.exe', 'C:\\Windows\\System32\\wininit.exe', '09:00:05'),
  proc('P2', 'e-lsass', 'e-wininit', 'lsass.exe', LSASS, '09:00:10'),
  // P3 has no event.ingested: both sources order EQL by @timestamp (the override only places
  // the window, with its fallback to @timestamp), so the P3→F10 sequence is found by both.
  proc('P3', 'e-rundll', 'e-lsass', 'rundll32.exe', RUNDLL, '10:02:30'),
  proc('P4', 'e-cmd', 'e-lsass', 'cmd.exe', 'C:\\Windows\\System32\\cmd.exe', '10:04:00'),
  // an end event of lsass, earlier than nothing: lineage must still pick the start
  {
    _index: PROC,
    _id: 'P2-end',
    _source: {
      '@timestamp': t('08:00:00'),
      event: { category: ['process'], type: ['end'] },
      host: { name: HOST },
      process: { entity_id: 'e-lsass', name: 'lsass.exe', executable: LSASS, parent: { entity_id: 'e-wininit' } },
    },
  },
  // lsass on two more hosts (one with another letter case) for prevalence
  { ...proc('P5', 'e-lsass-2', null, 'lsass.exe', LSASS, '09:30:00'), _source: { ...proc('x', 'e-lsass-2', null, 'lsass.exe', LSASS, '09:30:00')._source, host: { name: 'ws-02' } } },
  { ...proc('P6', 'e-lsass-3', null, 'lsass.exe', 'c:\\windows\\system32\\LSASS.EXE', '09:31:00'), _source: { ...proc('x', 'e-lsass-3', null, 'lsass.exe', 'c:\\windows\\system32\\LSASS.EXE', '09:31:00')._source, host: { name: 'ws-03' } } },

  // file events, seed rule: file where host.os.type == "windows" and event.type != "deletion" and
  // file.extension : ("exe","dll") and process.name : (<system critical processes>)
  file('F1', FILE, { ts: '10:01:00', ingested: '10:01:05', name: 'lsass.exe', entity: 'e-lsass', ext: 'dll' }), // alert
  file('F2', 'winlogbeat-2024.05.21', { ts: '10:03:00', name: 'services.exe', entity: 'e-svc', ext: 'exe' }), // alert by @timestamp fallback
  file('F3', FILE, { ts: '10:05:00', ingested: '10:20:00', name: 'lsass.exe', entity: 'e-lsass', ext: 'exe' }), // ingested after the window
  file('F4', FILE, {
    ts: '10:05:50',
    ingested: '10:06:00',
    name: 'lsass.exe',
    entity: 'e-lsass',
    ext: 'dll',
    path: 'C:\\Windows\\SoftwareDistribution\\Download\\kb.dll',
  }), // alert unless excepted
  file('F5', FILE, { ts: '10:04:00', ingested: '10:04:01', name: 'lsass.exe', entity: 'e-lsass', ext: 'exe', type: 'deletion' }),
  file('F6', FILE, { ts: '10:04:10', ingested: '10:04:11', name: 'explorer.exe', entity: 'e-explorer', ext: 'exe' }),
  file('F7', 'other-index', { ts: '10:04:20', ingested: '10:04:21', name: 'lsass.exe', entity: 'e-lsass', ext: 'exe' }), // index not in the rule
  file('F8', FILE, { ts: '10:01:30', ingested: '09:59:59', name: 'lsass.exe', entity: 'e-lsass', ext: 'dll' }), // ingested before the window
  file('F9', FILE, { ts: '10:06:30', ingested: '10:07:00', name: 'LSASS.EXE', entity: 'e-lsass', ext: 'EXE' }), // alert (`:` ignores case)
  file('F10', FILE, { ts: '10:04:30', ingested: '10:04:31', name: 'rundll32.exe', entity: 'e-rundll', ext: 'dll' }),

  // activity of lsass
  { _index: NET, _id: 'N1', _source: { '@timestamp': t('10:02:00'), event: { category: ['network'] }, host: { name: HOST }, process: { entity_id: 'e-lsass' } } },
  { _index: NET, _id: 'D1', _source: { '@timestamp': t('10:02:10'), event: { category: ['network', 'dns'] }, host: { name: HOST }, process: { entity_id: 'e-lsass' } } },
  { _index: 'logs-endpoint.events.registry-default', _id: 'R1', _source: { '@timestamp': t('10:02:20'), event: { category: ['registry'] }, host: { name: HOST }, process: { entity_id: 'e-lsass' } } },
  // an entity with no process event at all
  { _index: NET, _id: 'O1', _source: { '@timestamp': t('10:03:00'), event: { category: ['network'] }, host: { name: HOST }, process: { entity_id: 'e-orphan', parent: { entity_id: 'e-gone' } } } },

  // logons
  auth('A0', HOST, '09:00:00'),
  auth('A1', HOST, '10:05:00'),
  auth('A2', 'WS-01', '10:06:00'),
  auth('A3', 'ws-02', '10:05:30'),
];

const EXCEPTIONS: ExceptionItem[] = [
  {
    id: 'windows-update',
    entries: [
      { field: 'host.name', operator: 'is', values: [HOST] },
      { field: 'file.path', operator: 'matches', values: ['c:\\windows\\softwaredistribution\\*'] },
    ],
  },
];

const ids = (events: { _id: string }[]) => events.map((e) => e._id);

interface Harness {
  name: string;
  source: EventSource;
}

const stores: EventStore[] = [];
function embedded(): Harness {
  const store = openEventStore({ file: ':memory:' });
  stores.push(store);
  store.insert(EVENTS.map((e) => ({ ...e, _source: structuredClone(e._source) })));
  return { name: 'embedded', source: createEmbeddedSource(store) };
}

function elasticsearch(): Harness {
  // the embedded store's evidence covers every index it holds; on a cluster the
  // evidence indices are configured (ELASTICSEARCH_EVIDENCE_INDEX): '*' gives the same scope
  const c = mockedCluster({ evidenceIndex: ['*'] });
  simulateCluster(c, EVENTS.map((e) => ({ ...e, _source: structuredClone(e._source) })));
  return { name: 'elasticsearch', source: c.source };
}

afterAll(() => {
  for (const s of stores) s.close();
});

const harnesses = [embedded(), elasticsearch()];

function alertsOf(rule: Rule, hits: EqlHits) {
  const alerts = buildAlerts(rule, hits, 'run-1', '2024-05-21T10:09:30.000Z', W.to);
  return alerts.map((a) => ({ id: a.id, event: a.event._id, sequence: a.sequenceEvents ? ids(a.sequenceEvents) : null }));
}

const results = new Map<string, Map<string, unknown>>();
function record(h: Harness, key: string, value: unknown): void {
  if (!results.has(key)) results.set(key, new Map());
  results.get(key)?.set(h.name, value);
}

describe.each(harnesses)('$name source', (h) => {
  it('seed rule over the window: event.ingested in range, or @timestamp when event.ingested is missing', async () => {
    const req = buildSearchRequest(seedRule, W, []);
    const r = await h.source.eqlSearch(req);
    expect(r.isPartial).toBe(false);
    expect(ids(r.hits.events ?? [])).toEqual(['F1', 'F2', 'F4', 'F9']);
    const alerts = alertsOf(seedRule, r.hits);
    expect(alerts.map((a) => a.event)).toEqual(['F1', 'F2', 'F4', 'F9']);
    record(h, 'seed alerts', alerts);
  });

  it('exceptions suppress matching events before EQL runs', async () => {
    const r = await h.source.eqlSearch(buildSearchRequest(seedRule, W, EXCEPTIONS));
    expect(ids(r.hits.events ?? [])).toEqual(['F1', 'F2', 'F9']);
    record(h, 'excepted alerts', alertsOf(seedRule, r.hits));
  });

  it('a negated exception entry ("is not") keeps only the other hosts’ events', async () => {
    const notThisHost: ExceptionItem[] = [{ id: 'n', entries: [{ field: 'process.name', operator: 'is', values: ['services.exe'], negate: true }] }];
    const r = await h.source.eqlSearch(buildSearchRequest(seedRule, W, notThisHost));
    expect(ids(r.hits.events ?? [])).toEqual(['F2']);
  });

  it('max_signals bounds the alerts to the first events of the window', async () => {
    const r = await h.source.eqlSearch(buildSearchRequest({ ...seedRule, max_signals: 2 }, W, []));
    expect(ids(r.hits.events ?? [])).toEqual(['F1', 'F2']);
  });

  it('a sequence rule gives one alert per sequence, building blocks kept', async () => {
    const rule: Rule = {
      ...seedRule,
      rule_id: 'seq-test',
      index: ['logs-endpoint.events.*'],
      query: 'sequence by process.entity_id with maxspan=10m [process where event.type == "start"] [file where file.extension : "dll"]',
    };
    const r = await h.source.eqlSearch(buildSearchRequest(rule, W, []));
    const alerts = alertsOf(rule, r.hits);
    expect(alerts.map((a) => a.sequence)).toEqual([['P3', 'F10']]);
    expect(alerts[0].event).toBe('F10');
    record(h, 'sequence alerts', alerts);
  });

  it('process lineage walks from the subject to the root, preferring start events', async () => {
    const r = await processLineage(h.source, { entityId: 'e-rundll', window: W });
    expect(ids(r.items)).toEqual(['P3', 'P2', 'P1', 'P0']);
    expect(r.truncated).toBe(false);
    const cut = await processLineage(h.source, { entityId: 'e-rundll', maxDepth: 1 });
    expect(ids(cut.items)).toEqual(['P3', 'P2']);
    expect(cut.truncated).toBe(true);
    const orphan = await processLineage(h.source, { entityId: 'e-orphan' });
    expect(ids(orphan.items)).toEqual(['O1']);
  });

  it('child processes of a set of entity ids, bounded', async () => {
    const r = await h.source.childProcesses({ parentEntityIds: ['e-lsass'], size: 10 });
    expect(ids(r.items)).toEqual(['P3', 'P4']);
    expect(r.truncated).toBe(false);
    const one = await h.source.childProcesses({ parentEntityIds: ['e-lsass'], size: 1 });
    expect(ids(one.items)).toEqual(['P3']);
    expect(one.truncated).toBe(true);
  });

  it('events of an entity by category, time-ordered and bounded', async () => {
    const net = await h.source.entityEvents({ entityIds: ['e-lsass'], categories: ['network', 'dns'], size: 10 });
    expect(ids(net.items)).toEqual(['N1', 'D1']);
    const all = await h.source.entityEvents({ entityIds: ['e-lsass'], window: W, size: 10 });
    expect(ids(all.items)).toEqual(['F1', 'F8', 'N1', 'D1', 'R1', 'F5', 'F7', 'F3', 'F4', 'F9']);
    const few = await h.source.entityEvents({ entityIds: ['e-lsass'], window: W, size: 3 });
    expect(ids(few.items)).toEqual(['F1', 'F8', 'N1']);
    expect(few.truncated).toBe(true);
  });

  it('logons on the host after a time (short name and FQDN are the same host)', async () => {
    const r = await h.source.authenticationEvents({ host: 'ws-01', after: t('10:01:00'), size: 10 });
    expect(ids(r.items)).toEqual(['A1', 'A2']);
    expect(r.truncated).toBe(false);
    const one = await h.source.authenticationEvents({ host: HOST, after: t('10:01:00'), size: 1 });
    expect(ids(one.items)).toEqual(['A1']);
    expect(one.truncated).toBe(true);
  });

  it('prevalence: distinct hosts per executable, path case ignored', async () => {
    const r = await h.source.executablePrevalence({ executables: [LSASS, RUNDLL, 'C:\\Users\\x\\evil.exe'] });
    expect(r).toEqual({ [LSASS]: 3, [RUNDLL]: 1, 'C:\\Users\\x\\evil.exe': 0 });
  });

  it('fetches events by index and id, leaving out missing ones', async () => {
    const r = await h.source.getEvents([
      { _index: FILE, _id: 'F1' },
      { _index: FILE, _id: 'nope' },
      { _index: 'winlogbeat-2024.05.21', _id: 'F2' },
    ]);
    expect(ids(r)).toEqual(['F1', 'F2']);
    expect(r[0]._source).toEqual(EVENTS.find((e) => e._id === 'F1')?._source);
  });

  it('health answers', async () => {
    const r = await h.source.health();
    expect(r.ok).toBe(true);
    expect(r.kind).toBe(h.name);
  });
});

describe('both sources agree', () => {
  it.each(['seed alerts', 'excepted alerts', 'sequence alerts'])('%s are identical (same alert ids)', (key) => {
    const byName = results.get(key);
    expect(byName?.size).toBe(2);
    expect(byName?.get('elasticsearch')).toEqual(byName?.get('embedded'));
  });
});
