import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventSource, TimeWindow } from '../events/types';
import { createEmbeddedSource, openEventStore } from '../events/embedded/store';
import { matchGuideEvidence } from '../rules/evidence-match';
import { buildGuide, flattenSteps } from '../rules/guide';
import { bundledRulesDir, loadRuleFile } from '../rules/load';
import { at, events, makeAlert } from './testing/fixture';
import { MemorySource } from './testing/memory-source';
import { assembleTriage, evidenceForStep } from './triage';

const seed = loadRuleFile(path.join(bundledRulesDir(), 'unusual-executable-file-creation-by-system-critical-process.toml'));
const guide = buildGuide(seed.note ?? '');

const store = openEventStore({ file: ':memory:' });
store.insert(events);
afterAll(() => store.close());

const sources: [string, () => EventSource][] = [
  ['memory', () => new MemorySource(events)],
  ['embedded (SQLite)', () => createEmbeddedSource(store)],
];

const alert = makeAlert();
const others = [alert, makeAlert({ id: 'earlier', timestamp: at(-90), processEntityId: 'E3', event: { _index: 'x', _id: 'y', _source: {} } })];
const listAlerts = async (_: TimeWindow) => others;

describe.each(sources)('assembleTriage on the %s source', (_name, make) => {
  it('assembles every part for the seed alert', async () => {
    const ev = await assembleTriage(alert, { source: make(), listAlerts, guide });
    expect(ev.errors).toEqual([]);
    expect(ev.processTree?.ancestors.map((a) => a.name)).toEqual(['smss.exe', 'wininit.exe']);
    expect(ev.processTree?.subject.entityId).toBe('E2');
    expect(ev.processTree?.descendants.map((d) => d.name)).toEqual(['rundll32.exe', 'cmd.exe']);
    expect(ev.processTree?.subject.hostPrevalence).toBe(2);
    expect(ev.relatedAlerts?.items.map((i) => [i.id, i.reasons])).toEqual([['earlier', ['same_host', 'same_process_tree']]]);
    expect(ev.activity?.groups.map((g) => g.kind)).toEqual(['network', 'dns', 'registry', 'file', 'process', 'library']);
    expect(ev.logons?.items.map((l) => l.eventCode)).toEqual(['4624', '4625']);
    expect(ev.file?.hashes.map((h) => h.algorithm)).toEqual(['sha256', 'sha1']);
    expect(ev.osquery.map((q) => q.label)).toEqual([
      'Osquery - Retrieve DNS Cache',
      'Osquery - Retrieve All Services',
      'Osquery - Retrieve Services Running on User Accounts',
      'Osquery - Retrieve Service Unsigned Executables with Virustotal Link',
    ]);
    expect(ev.osquery.every((q) => q.ready)).toBe(true);
    expect(Object.keys(ev.timings).sort()).toEqual(['activity', 'file', 'investigate', 'logons', 'osquery', 'processTree', 'relatedAlerts']);
  });
});

describe('evidenceForStep', () => {
  it('puts the right evidence beside the seed guide steps', async () => {
    const ev = await assembleTriage(alert, { source: new MemorySource(events), listAlerts, guide });
    const kinds = matchGuideEvidence(guide, seed.rule_id);
    const step = (prefix: string) => {
      const s = flattenSteps(guide).find((x) => x.text.startsWith(prefix));
      if (!s) throw new Error(prefix);
      return evidenceForStep(kinds.get(s.id) ?? [], ev, s.id);
    };
    const chain = step('Investigate the process execution chain');
    expect(chain.map((e) => e.kind)).toEqual(['process_tree', 'hash', 'prevalence']);
    const dns = step('Examine the DNS cache');
    expect(dns.map((e) => e.kind)).toEqual(['dns', 'osquery']);
    const osq = dns[1];
    expect(osq.kind === 'osquery' && osq.queries.map((q) => q.label)).toEqual(['Osquery - Retrieve DNS Cache']);
    const net = step('Use the Elastic Defend network events')[0];
    expect(net.kind === 'network' && net.total).toBe(1);
    expect(step('Investigate potentially compromised accounts')[0].kind).toBe('logons');
    const none = step('Initiate the incident response')[0];
    expect(none.kind === 'none' && none.message).toMatch(/Nothing in the event data/);
  });

  it('a failing part is reported and the others still arrive', async () => {
    const broken = new MemorySource(events);
    broken.authenticationEvents = async () => {
      throw new Error('cluster unreachable');
    };
    const ev = await assembleTriage(alert, { source: broken, listAlerts, guide });
    expect(ev.logons).toBeNull();
    expect(ev.errors).toEqual([{ part: 'logons', message: 'cluster unreachable' }]);
    expect(ev.processTree).not.toBeNull();
    const [e] = evidenceForStep(['logons'], ev);
    expect(e).toEqual({ kind: 'unavailable', wanted: 'logons', message: 'could not be read: cluster unreachable' });
  });
});
