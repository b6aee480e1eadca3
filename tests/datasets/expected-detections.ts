/**
 * What each attack recording must raise with the full rule set (tests/datasets/EXPECTED.md has
 * the analysis: why each rule fits the recording, and why the listed misses cannot fire).
 * `fires`: the active rules that fire on the recording today, each checked against what the
 * recording shows. `missed`: rules Elastic could fire on the recording that Guidepost does not.
 */
export interface Expectation {
  fires: string[];
  missed: { rule: string; why: string }[];
}

export const EXPECTED: Record<string, Expectation> = {
  'endgameinc-eql/example.json': {
    fires: [],
    missed: [],
  },
  'endgameinc-eql/test_data.json': {
    fires: [
      'Enumeration of Administrator Accounts',
      'Potential DLL Side-Loading via Trusted Microsoft Programs',
      'Unusual Parent-Child Relationship',
    ],
    missed: [],
  },
  'endgameinc-eqllib/normalized-T1117-AtomicRed-regsvr32.json': {
    fires: [
      'Suspicious Script Object Execution',
    ],
    missed: [],
  },
  'endgameinc-eqllib/normalized-rta.json': {
    fires: [
      'At.exe Command Lateral Movement',
      'Backup Deletion with Wbadmin',
      'Clearing Windows Event Logs',
      'Credential Acquisition via Registry Hive Dumping',
      'Delete Volume USN Journal with Fsutil',
      'Disable Windows Firewall Rules via Netsh',
      'Enumeration Command Spawned via WMIPrvSE',
      'Enumeration of Administrator Accounts',
      'Group Policy Discovery via Microsoft GPResult Utility',
      'InstallUtil Activity',
      'Mounting Hidden or WebDav Remote Shares',
      'Office Test Registry Persistence',
      'Potential DLL Side-Loading via Trusted Microsoft Programs',
      'Remote System Discovery Commands',
      'Script Execution via Microsoft HTML Application',
      'Service Path Modification via sc.exe',
      'Suspicious CertUtil Commands',
      'Suspicious MS Office Child Process',
      'Suspicious Script Object Execution',
      'Suspicious Windows Command Shell Arguments',
      'Suspicious Windows Powershell Arguments',
      'System Service Discovery through built-in Windows Utilities',
      'System Time Discovery',
      'Unusual Parent-Child Relationship',
      'User Account Creation',
      'Volume Shadow Copy Deleted or Resized via VssAdmin',
      'Volume Shadow Copy Deletion via WMIC',
      'WMIC Remote Command',
      'Windows Network Enumeration',
      'Windows System Information Discovery',
    ],
    missed: [],
  },
  'evtx-attack-samples/CA_Mimikatz_Memssp_Default_Logs_Sysmon_11.ndjson': {
    fires: [
      'Mimikatz Memssp Log File Detected',
    ],
    missed: [],
  },
  'evtx-attack-samples/LM_regsvc_DirectoryServiceExtPt_Lsass_NTDS_AdamXpn.ndjson': {
    fires: [],
    missed: [],
  },
  'evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.ndjson': {
    fires: [
      'Suspicious Windows Powershell Arguments',
      'System Shells via Services',
    ],
    missed: [],
  },
  'evtx-attack-samples/PanacheSysmon_vs_AtomicRedTeam01.ndjson': {
    fires: [
      'Backup Deletion with Wbadmin',
      'Bitsadmin Activity',
      'Command Execution via ForFiles',
      'Credential Acquisition via Registry Hive Dumping',
      'Image File Execution Options Injection',
      'Indirect Command Execution via Forfiles/Pcalua',
      'Local Scheduled Task Creation',
      'Modification of Boot Configuration',
      'Mounting Hidden or WebDav Remote Shares',
      'Process Discovery Using Built-in Tools',
      'Registry Persistence via AppInit DLL',
      'Remote System Discovery Commands',
      'Startup Persistence by a Suspicious Process',
      'Suspicious CertUtil Commands',
      'Suspicious Lsass Process Access',
      'Suspicious Script Object Execution',
      'Suspicious WMI Event Subscription Created',
      'Volume Shadow Copy Deleted or Resized via VssAdmin',
      'Windows Network Enumeration',
    ],
    missed: [],
  },
  'evtx-attack-samples/panache_sysmon_vs_EDRTestingScript.ndjson': {
    fires: [
      'Bitsadmin Activity',
      'Command Execution via ForFiles',
      'Indirect Command Execution via Forfiles/Pcalua',
      'InstallUtil Activity',
      'Local Scheduled Task Creation',
      'Mshta Making Network Connections',
      'Netsh Helper DLL',
      'Network Connection via Certutil',
      'Network Connection via Registration Utility',
      'Port Forwarding Rule Addition',
      'Potential Defense Evasion via CMSTP.exe',
      'Process Discovery Using Built-in Tools',
      'Script Execution via Microsoft HTML Application',
      'Suspicious CertUtil Commands',
      'Suspicious Script Object Execution',
      'Suspicious Windows Command Shell Arguments',
      'Suspicious Windows Powershell Arguments',
    ],
    missed: [],
  },
  'evtx-attack-samples/ppl_bypass_ppldump_knowdll_hijack_sysmon_security.ndjson': {
    fires: [
      'LSASS Memory Dump Creation',
      'Potential Credential Access via LSASS Memory Dump',
      'Suspicious Lsass Process Access',
      'Unusual Parent-Child Relationship',
    ],
    missed: [],
  },
  'evtx-attack-samples/privesc_registry_symlink_CVE-2020-1377.ndjson': {
    fires: [],
    missed: [],
  },
  'evtx-attack-samples/privesc_spoolsv_spl_file_write_sysmon11.ndjson': {
    fires: [
      'Account Discovery Command via SYSTEM Account',
      'Suspicious DLL Loaded for Persistence or Privilege Escalation',
      'System Shells via Services',
      'Unusual Parent Process for cmd.exe',
      'Unusual Parent-Child Relationship',
      'Whoami Process Activity',
    ],
    missed: [],
  },
  'evtx-attack-samples/privesc_unquoted_svc_sysmon_1_11.ndjson': {
    fires: [
      'Potential Exploitation of an Unquoted Service Path Vulnerability',
    ],
    missed: [],
  },
  'evtx-attack-samples/remote_file_copy_system_proc_file_write_sysmon_11.ndjson': {
    fires: [],
    missed: [],
  },
  'evtx-attack-samples/sideloading_wwlib_sysmon_7_1_11.ndjson': {
    fires: [],
    missed: [],
  },
  'evtx-attack-samples/smbmap_upload_exec_sysmon.ndjson': {
    fires: [],
    missed: [],
  },
  'evtx-attack-samples/sysmon_1_smss_child_proc_bootexecute_setupexecute.ndjson': {
    fires: [
      'Unusual Parent-Child Relationship',
    ],
    missed: [],
  },
  'evtx-attack-samples/sysmon_privesc_psexec_dwell.ndjson': {
    fires: [
      'Process Execution from an Unusual Directory',
    ],
    missed: [],
  },
  'otrf-security-datasets/aptsimulator_cobaltstrike_2021-06-11T21081492.json': {
    fires: [
      'Potential Network Share Discovery',
      'Privilege Escalation via Named Pipe Impersonation',
      'Service Control Spawned via Script Interpreter',
      'Suspicious Service was Installed in the System',
      'System Shells via Services',
    ],
    missed: [],
  },
  'otrf-security-datasets/cmd_lsass_memory_dumpert_syscalls_2020-10-1822561997.json': {
    fires: [
      'LSASS Memory Dump Creation',
      'Potential Credential Access via LSASS Memory Dump',
      'Suspicious Lsass Process Access',
      'Suspicious Process Access via Direct System Call',
    ],
    missed: [],
  },
  'otrf-security-datasets/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json': {
    fires: [],
    missed: [],
  },
  'otrf-security-datasets/cmd_service_mod_fax_2020-10-2120454410.json': {
    fires: [
      'Service Control Spawned via Script Interpreter',
      'Service Path Modification via sc.exe',
      'System Shells via Services',
    ],
    missed: [],
  },
  'otrf-security-datasets/cmd_userinitmprlogonscript_batch_2020-10-1922471810.json': {
    fires: [],
    missed: [],
  },
  'otrf-security-datasets/empire_enable_rdp_2019-05-18203650.json': {
    fires: [
      'RDP Enabled via Registry',
      'Remote Desktop Enabled in Windows Firewall by Netsh',
    ],
    missed: [],
  },
  'otrf-security-datasets/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json': {
    fires: [
      'LSASS Memory Dump Creation',
      'Potential Credential Access via LSASS Memory Dump',
      'Potential Credential Access via Windows Utilities',
      'Suspicious Lsass Process Access',
    ],
    missed: [],
  },
  'otrf-security-datasets/psh_register_cimprovider_execute_dll_2020-10-2302051393.json': {
    fires: [],
    missed: [],
  },
  'otrf-security-datasets/schtask_create_2020-12-1907003032.json': {
    fires: [
      'A scheduled task was created',
      'Local Scheduled Task Creation',
      'Remote Scheduled Task Creation via RPC',
    ],
    missed: [
      { rule: 'Remote Scheduled Task Creation', why: 'sequence by host.id: the OTRF records carry no host id (Elastic Agent adds one when it collects) and a null join key excludes the event; Guidepost leaves host.id unset rather than invent one' },
    ],
  },
};
