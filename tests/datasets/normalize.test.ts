/**
 * Normalised fields of each dataset shape (README §2–3): UTC timestamps, lower-case GUIDs,
 * null parent GUIDs dropped, host.os.type, Endgame deletions, no event.ingested stamped.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '@/lib/events/embedded/store';
import { allEvents, ds, ingestInto } from './helpers';

type Src = Record<string, unknown>;
const at = (o: unknown, p: string): unknown =>
  p.split('.').reduce<unknown>((c, k) => (c && typeof c === 'object' ? (c as Src)[k] : undefined), o);

function find(store: EventStore, pred: (s: Src) => boolean): Src {
  const ev = allEvents(store).find((e) => pred(e._source));
  if (!ev) throw new Error('no such event');
  return ev._source;
}

describe('EVTX-derived Sysmon', () => {
  it('Mimikatz memssp: lsass writes mimilsa.log, in UTC from UtcTime, with ECS file fields', async () => {
    const { store, report } = await ingestInto(ds('evtx-attack-samples', 'CA_Mimikatz_Memssp_Default_Logs_Sysmon_11.ndjson'));
    expect(report.indices).toEqual({ 'logs-windows.sysmon_operational-default': 1 });
    const [ev] = allEvents(store);
    const s = ev._source;
    expect(s['@timestamp']).toBe('2020-09-11T12:10:22.357Z');
    expect(at(s, 'host.name')).toBe('MSEDGEWIN10');
    expect(at(s, 'host.os.type')).toBe('windows');
    expect(at(s, 'event.category')).toEqual(['file']);
    expect(at(s, 'event.type')).toEqual(['creation']);
    expect(at(s, 'event.code')).toBe('11');
    expect(at(s, 'process.name')).toBe('lsass.exe');
    expect(at(s, 'process.pid')).toBe(640);
    expect(at(s, 'process.entity_id')).toBe('{747f3d96-672c-5f5b-0d00-00000000fc00}');
    expect(at(s, 'file.path')).toBe('C:\\Windows\\System32\\mimilsa.log');
    expect(at(s, 'file.extension')).toBe('log');
    expect(at(s, 'file.directory')).toBe('C:\\Windows\\System32');
    expect(at(s, 'event.ingested')).toBeUndefined();
    // Sysmon 11 carries no User: none is invented
    expect(at(s, 'user.name')).toBeUndefined();
    // the native fields are kept
    expect(at(s, 'winlog.event_data.RuleName')).toBe('-');
  });

  it('PPLdump: null parent GUID and "?" parent image are dropped; users split', async () => {
    const { store } = await ingestInto(ds('evtx-attack-samples', 'ppl_bypass_ppldump_knowdll_hijack_sysmon_security.ndjson'));
    const svchost = find(store, (s) => at(s, 'process.command_line') === 'C:\\Windows\\system32\\svchost.exe -k LocalService -p -s fdPHost');
    expect(at(svchost, 'process.parent.entity_id')).toBeUndefined();
    expect(at(svchost, 'process.parent.executable')).toBeUndefined();
    expect(at(svchost, 'process.parent.command_line')).toBeUndefined();
    expect(at(svchost, 'process.parent.pid')).toBe(624);
    expect(at(svchost, 'user.name')).toBe('LOCAL SERVICE');
    expect(at(svchost, 'user.domain')).toBe('NT AUTHORITY');
    const dump = find(store, (s) => at(s, 'file.path') === 'C:\\Users\\IEUser\\Desktop\\lsass.dmp');
    expect(dump['@timestamp']).toBe('2021-04-22T22:09:26.157Z');
    expect(at(dump, 'process.entity_id')).toBe('{747f3d96-f416-6081-0000-001033034a00}');
    expect(at(dump, 'file.extension')).toBe('dmp');
    const ppl = find(store, (s) => at(s, 'process.name') === 'PPLdump.exe' && at(s, 'event.code') === '1');
    expect(at(ppl, 'user.name')).toBe('IEUser');
    expect(at(ppl, 'user.domain')).toBe('MSEDGEWIN10');
    // Security 4985 records go to their own index, still Windows
    const sec = find(store, (s) => at(s, 'event.code') === '4985');
    expect(at(sec, 'host.os.type')).toBe('windows');
  });
});

describe('OTRF flat: collector clock corrected', () => {
  it('cmd_psexec: Sysmon from UtcTime; Security 1102 TimeCreated moved by the −4 h offset', async () => {
    const { store } = await ingestInto(ds('otrf-security-datasets', 'cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json'));
    const write = find(store, (s) => at(s, 'file.path') === 'C:\\Windows\\PSEXESVC.exe' && at(s, 'process.name') === 'PsExec.exe');
    expect(write['@timestamp']).toBe('2020-10-19T07:30:46.400Z');
    expect(at(write, 'process.entity_id')).toBe('{39e4a257-40a6-5f8d-a005-000000000700}');
    const clear = find(store, (s) => at(s, 'event.code') === '1102');
    expect(clear['@timestamp']).toBe('2020-10-19T07:30:41.104Z');
    expect(at(clear, 'host.name')).toBe('WORKSTATION5');
    expect(at(clear, 'host.os.type')).toBe('windows');
  });

  it('schtask_create: a false "Z" on local time is corrected by −5 h', async () => {
    const { store } = await ingestInto(ds('otrf-security-datasets', 'schtask_create_2020-12-1907003032.json'));
    const first = find(store, (s) => at(s, 'event.code') === '5158' && at(s, 'winlog.event_data.SourcePort') === '56581');
    expect(first['@timestamp']).toBe('2020-12-19T11:59:28.410Z');
  });

  it('Winlogbeat 6 (empire_enable_rdp): true UTC kept, event_data mapped, users from event_data', async () => {
    const { store, report } = await ingestInto(ds('otrf-security-datasets', 'empire_enable_rdp_2019-05-18203650.json'));
    expect(report.format).toBe('winlogbeat6');
    const net = find(store, (s) => at(s, 'event.code') === '3' && at(s, 'source.port') === 57638);
    expect(net['@timestamp']).toBe('2019-05-18T20:35:52.569Z');
    expect(at(net, 'process.entity_id')).toBe('{905cc552-2045-5cc5-0000-00105b2a0100}');
    expect(at(net, 'destination.port')).toBe(5985);
    expect(at(net, 'network.direction')).toBe('egress');
    expect(at(net, 'host.name')).toBe('HFDC01.shire.com');
  });
});

describe('Endgame', () => {
  it('eqllib: FILETIME → UTC, upper-case ProcessGuid lower-cased, user split', async () => {
    const { store } = await ingestInto(ds('endgameinc-eqllib', 'normalized-T1117-AtomicRed-regsvr32.json'));
    const s = find(store, (x) => at(x, 'process.pid') === 2012 && at(x, 'event.category.0') === 'process');
    // 131883571822010000 × 100 ns since 1601 = 2018-12-04T00:33:02.201Z
    expect(s['@timestamp']).toBe('2018-12-04T00:33:02.201Z');
    expect(at(s, 'process.entity_id')).toBe('{42fc7e13-cb3e-5c05-0000-0010a0125101}');
    expect(at(s, 'process.parent.entity_id')).toBe('{42fc7e13-c11d-5c05-0000-0010c6e90401}');
    expect(at(s, 'process.parent.name')).toBe('powershell.exe');
    expect(at(s, 'user.name')).toBe('bob');
    expect(at(s, 'host.os.type')).toBe('windows');
    expect(at(s, 'event.type')).toEqual(['start']);
  });

  it('eql test_data: deletions from event_subtype_full (subtype says "modify"); integer unique_pid as string', async () => {
    const { store } = await ingestInto(ds('endgameinc-eql', 'test_data.json'));
    const del = find(store, (s) => at(s, 'event.sequence') === 65);
    expect(at(del, 'event.type')).toEqual(['deletion']);
    expect(at(del, 'file.path')).toBe('C:\\workspace\\red_ttp\\lsass.exe');
    expect(at(del, 'file.extension')).toBe('exe');
    const create = find(store, (s) => at(s, 'event.sequence') === 61);
    expect(at(create, 'event.type')).toEqual(['creation']);
    expect(at(create, 'process.name')).toBe('python.exe');
    expect(at(create, 'process.entity_id')).toBe('54');
    const system = find(store, (s) => at(s, 'event.sequence') === 2);
    expect(at(system, 'event.action')).toBe('already_running');
    expect(at(system, 'process.parent.entity_id')).toBe('1');
  });
});

describe('Winlogbeat 7+ and the windows integration', () => {
  const base = 'elastic-winlogbeat-sysmon';
  it('old ECS (2019 golden): category string → array, host from computer_name, host.os.type added', async () => {
    const { store } = await ingestInto(ds(base, 'beats-182cb96/x-pack/winlogbeat/module/sysmon/test/testdata/sysmon-9.01.evtx.golden.json'));
    const s = find(store, (x) => at(x, 'process.name') === 'Sysmon.exe' && at(x, 'event.code') === '1');
    expect(at(s, 'event.category')).toEqual(['process']);
    expect(at(s, 'event.type')).toEqual(['start']);
    expect(at(s, 'host.name')).toBe('vagrant-2012-r2');
    expect(at(s, 'host.os.type')).toBe('windows');
    expect(at(s, 'process.parent.name')).toBe('services.exe');
    expect(s['@timestamp']).toBe('2019-03-18T16:57:37.949Z');
  });

  it('current file delete golden: go.exe deleting test.test.exe stays a deletion', async () => {
    const { store } = await ingestInto(ds(base, 'beats-current/x-pack/winlogbeat/module/sysmon/test/testdata/ingest/sysmon-11-filedelete.golden.json'));
    const s = find(store, (x) => at(x, 'file.name') === 'test.test.exe');
    expect(at(s, 'event.type')).toEqual(['deletion']);
    expect(at(s, 'file.extension')).toBe('exe');
    expect(at(s, 'process.entity_id')).toBe('{42f11c3b-c36f-5eb3-2c07-290000000000}');
  });

  it('upper-case ProcessGuid of the current process-create golden is lower-cased', async () => {
    const { store } = await ingestInto(ds(base, 'beats-current/x-pack/winlogbeat/module/sysmon/test/testdata/ingest/sysmon-12-processcreate.golden.json'));
    const [ev] = allEvents(store);
    expect(at(ev._source, 'process.entity_id')).toBe('{9f32b55f-7c4e-5f98-5803-000000000500}');
    expect(at(ev._source, 'process.parent.entity_id')).toBe('{9f32b55f-6fdf-5f98-7000-000000000500}');
  });

  it('integration sample: index from data_stream; its own event.ingested kept', async () => {
    const { store, report } = await ingestInto(ds(base, 'integrations-current/packages/windows/data_stream/sysmon_operational/sample_event.json'));
    expect(report.indices).toEqual({ 'logs-windows.sysmon_operational-ep': 1 });
    const [ev] = allEvents(store);
    expect(at(ev._source, 'event.ingested')).toBe('2021-06-14T13:44:51.825787300Z');
    expect(at(ev._source, 'dns.question.name')).toBe('www.msn.com');
  });
});

describe('Elastic Defend', () => {
  it('documents are stored unchanged, indexed by data stream', async () => {
    const file = ds('elastic-endpoint-package/package/endpoint/data_stream/file/sample_event.json');
    const { store, report } = await ingestInto(file);
    expect(report.format).toBe('defend');
    const [ev] = allEvents(store);
    expect(ev._source).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
    expect(ev._index).toMatch(/^logs-endpoint\.events\.file-/);
  });
});
