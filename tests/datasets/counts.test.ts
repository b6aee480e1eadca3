/**
 * Every dataset file ingests with the event counts documented in
 * ../shared/datasets/README.md (per file, and per Sysmon event id where the README lists them).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countWhere, ds, ingestInto } from './helpers';

// README §2.1: OTRF "flat" and Winlogbeat 6 files: events, S1, S3, S11, non-sysmon
const OTRF: [string, number, number, number, number, number][] = [
  ['aptsimulator_cobaltstrike_2021-06-11T21081492.json', 2611, 37, 2, 13, 347],
  ['cmd_lsass_memory_dumpert_syscalls_2020-10-1822561997.json', 118, 1, 0, 2, 23],
  ['cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json', 286, 4, 2, 7, 45],
  ['cmd_service_mod_fax_2020-10-2120454410.json', 437, 4, 0, 3, 96],
  ['cmd_userinitmprlogonscript_batch_2020-10-1922471810.json', 122, 1, 0, 4, 14],
  ['empire_enable_rdp_2019-05-18203650.json', 2668, 11, 89, 15, 594],
  ['psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json', 184, 1, 0, 2, 36],
  ['psh_register_cimprovider_execute_dll_2020-10-2302051393.json', 1316, 6, 2, 8, 93],
  ['schtask_create_2020-12-1907003032.json', 1041, 10, 6, 10, 135],
];

// README §2.6: EVTX-derived files: events, S1, S3, S11
const EVTX: [string, number, number, number, number][] = [
  ['PanacheSysmon_vs_AtomicRedTeam01.ndjson', 565, 511, 4, 4],
  ['panache_sysmon_vs_EDRTestingScript.ndjson', 122, 96, 8, 5],
  ['privesc_unquoted_svc_sysmon_1_11.ndjson', 87, 79, 0, 8],
  ['privesc_spoolsv_spl_file_write_sysmon11.ndjson', 37, 10, 0, 23],
  ['privesc_registry_symlink_CVE-2020-1377.ndjson', 30, 0, 0, 28],
  ['smbmap_upload_exec_sysmon.ndjson', 27, 3, 7, 4],
  ['ppl_bypass_ppldump_knowdll_hijack_sysmon_security.ndjson', 20, 3, 0, 1],
  ['sysmon_privesc_psexec_dwell.ndjson', 12, 3, 2, 0],
  ['LM_sysmon_psexec_smb_meterpreter.ndjson', 10, 3, 2, 0],
  ['sideloading_wwlib_sysmon_7_1_11.ndjson', 7, 3, 0, 3],
  ['LM_regsvc_DirectoryServiceExtPt_Lsass_NTDS_AdamXpn.ndjson', 6, 0, 3, 0],
  ['remote_file_copy_system_proc_file_write_sysmon_11.ndjson', 2, 1, 0, 1],
  ['CA_Mimikatz_Memssp_Default_Logs_Sysmon_11.ndjson', 1, 0, 0, 1],
  ['sysmon_1_smss_child_proc_bootexecute_setupexecute.ndjson', 1, 1, 0, 0],
];

function sysmonCount(store: Parameters<typeof countWhere>[0], id: number): number {
  return store.db
    .prepare(`SELECT count(*) AS n FROM events WHERE json_extract(doc, '$.event.module') = 'sysmon' AND json_extract(doc, '$.event.code') = ?`)
    .pluck()
    .get(String(id)) as number;
}

function processEvents(store: Parameters<typeof countWhere>[0], type: string): number {
  return store.db
    .prepare(`SELECT count(*) FROM events WHERE json_extract(doc, '$.event.category[0]') = 'process' AND json_extract(doc, '$.event.type[0]') = ?`)
    .pluck()
    .get(type) as number;
}

describe('OTRF Security-Datasets (flat and Winlogbeat 6)', () => {
  for (const [file, events, s1, s3, s11, nonSysmon] of OTRF) {
    it(`${file}: ${events} events`, async () => {
      const { store, report } = await ingestInto(ds('otrf-security-datasets', file));
      expect(report.read).toBe(events);
      expect(report.stored).toBe(events);
      expect(report.rejected).toEqual([]);
      expect(store.count()).toBe(events);
      expect(sysmonCount(store, 1)).toBe(s1);
      expect(sysmonCount(store, 3)).toBe(s3);
      expect(sysmonCount(store, 11)).toBe(s11);
      expect(events - countWhere(store, '$.event.module', 'sysmon')).toBe(nonSysmon);
      store.close();
    });
  }
});

describe('EVTX-ATTACK-SAMPLES (EVTX → JSON)', () => {
  for (const [file, events, s1, s3, s11] of EVTX) {
    it(`${file}: ${events} events`, async () => {
      const { store, report } = await ingestInto(ds('evtx-attack-samples', file));
      expect(report.read).toBe(events);
      expect(report.stored).toBe(events);
      expect(report.rejectedCount).toBe(0);
      expect(report.format).toBe('sysmon-evtx-json');
      expect(sysmonCount(store, 1)).toBe(s1);
      expect(sysmonCount(store, 3)).toBe(s3);
      expect(sysmonCount(store, 11)).toBe(s11);
      store.close();
    });
  }
});

describe('Endgame / EQL', () => {
  it('eqllib normalized-rta.json: 31,843 events by type', async () => {
    const { store, report } = await ingestInto(ds('endgameinc-eqllib', 'normalized-rta.json'));
    expect(report.read).toBe(31843);
    expect(report.stored).toBe(31843);
    expect(report.format).toBe('endgame');
    const byType = (t: string) => countWhere(store, '$.endgame.event_type', t);
    expect(byType('registry')).toBe(21131);
    expect(byType('image_load')).toBe(9811);
    expect(byType('file')).toBe(240);
    expect(byType('network')).toBe(87);
    // 291 process creates + 283 terminates
    expect(processEvents(store, 'start')).toBe(291);
    expect(processEvents(store, 'end')).toBe(283);
    // every file event is a creation (eqllib file events are all Sysmon 11)
    expect(countWhere(store, '$.event.type[0]', 'creation')).toBe(240);
    store.close();
  });

  it('eqllib regsvr32: 150 events; eql test_data: 102; eql example: 7', async () => {
    for (const [dir, file, n] of [
      ['endgameinc-eqllib', 'normalized-T1117-AtomicRed-regsvr32.json', 150],
      ['endgameinc-eql', 'test_data.json', 102],
      ['endgameinc-eql', 'example.json', 7],
    ] as const) {
      const { store, report } = await ingestInto(ds(dir, file));
      expect(report.read, file).toBe(n);
      expect(report.stored, file).toBe(n);
      expect(report.indices, file).toEqual({ 'endgame-default': n });
      store.close();
    }
  });

  it('eql test_data: 12 process starts; the 52 already_running snapshots are info, as Defend writes them', async () => {
    const { store } = await ingestInto(ds('endgameinc-eql', 'test_data.json'));
    expect(processEvents(store, 'start')).toBe(12);
    expect(processEvents(store, 'info')).toBe(52);
    expect(countWhere(store, '$.event.action', 'already_running')).toBe(52);
    store.close();
  });
});

describe('Elastic Defend (endpoint package)', () => {
  it('38 files, one document each, kept as they are', async () => {
    const dirs = [
      ...fs.readdirSync(ds('elastic-endpoint-package/package/endpoint/data_stream')).map((d) =>
        ds('elastic-endpoint-package/package/endpoint/data_stream', d, 'sample_event.json'),
      ),
      ...fs.readdirSync(ds('elastic-endpoint-package/schemas/examples/v1')).map((f) =>
        ds('elastic-endpoint-package/schemas/examples/v1', f),
      ),
    ];
    expect(dirs).toHaveLength(38);
    for (const f of dirs) {
      const { store, report } = await ingestInto(f);
      expect(report.stored, f).toBe(1);
      expect(report.rejectedCount, f).toBe(0);
      store.close();
    }
  });
});

describe('Winlogbeat Sysmon (elastic/beats, integrations)', () => {
  const base = 'elastic-winlogbeat-sysmon';
  const files: [string, number][] = [
    ['beats-182cb96/x-pack/winlogbeat/module/sysmon/test/testdata/sysmon-9.01.evtx.golden.json', 32],
    ['beats-182cb96/x-pack/winlogbeat/module/sysmon/test/testdata/sysmon-10.2-dns.evtx.golden.json', 156],
    ['beats-current/x-pack/winlogbeat/module/sysmon/test/testdata/ingest/sysmon-12-processcreate.golden.json', 1],
    ['beats-current/x-pack/winlogbeat/module/sysmon/test/testdata/ingest/sysmon-11-filedelete.golden.json', 3],
    ['beats-current/x-pack/winlogbeat/module/sysmon/test/testdata/ingest/sysmon-11-registry.golden.json', 5],
    ['integrations-current/packages/windows/data_stream/sysmon_operational/sample_event.json', 1],
  ];
  for (const [file, n] of files) {
    it(`${file.split('/').pop()}: ${n} events`, async () => {
      const { store, report } = await ingestInto(ds(base, file));
      expect(report.read).toBe(n);
      expect(report.stored).toBe(n);
      expect(report.format).toBe('winlogbeat');
      store.close();
    });
  }
});
