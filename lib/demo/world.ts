/**
 * The fictional estate the demo data describes: a small company ("ACME") with a
 * domain controller, a file server, an application server, a print server and four
 * workstations, each shipping telemetry through one of the seed rule's four index
 * families. All names, addresses and hashes are invented; public addresses come from
 * the documentation ranges (RFC 5737) and domains end in `.example`.
 */
import { createHash } from 'node:crypto';

/** How a host's endpoint telemetry reaches the store. */
export type Family = 'defend' | 'winlogbeat' | 'sysmon' | 'endgame';

export const DEMO_NAMESPACE = 'demo';

/** Every index the demo set writes (and `loadDemoData` clears). */
export const DEMO_INDICES = {
  defendProcess: `logs-endpoint.events.process-${DEMO_NAMESPACE}`,
  defendFile: `logs-endpoint.events.file-${DEMO_NAMESPACE}`,
  defendNetwork: `logs-endpoint.events.network-${DEMO_NAMESPACE}`,
  defendRegistry: `logs-endpoint.events.registry-${DEMO_NAMESPACE}`,
  defendLibrary: `logs-endpoint.events.library-${DEMO_NAMESPACE}`,
  winlogbeat: `winlogbeat-${DEMO_NAMESPACE}`,
  sysmon: `logs-windows.sysmon_operational-${DEMO_NAMESPACE}`,
  endgame: `endgame-${DEMO_NAMESPACE}`,
  security: `logs-system.security-${DEMO_NAMESPACE}`,
} as const;

export const DEMO_INDEX_NAMES: readonly string[] = Object.values(DEMO_INDICES);

export const DOMAIN = 'ACME';
export const DNS_DOMAIN = 'acme.example';
const DOMAIN_SID = 'S-1-5-21-1844237615-2938423187-3418092244';

export interface DemoUser {
  name: string;
  domain: string;
  id: string;
  fullName: string;
  kind: 'user' | 'admin' | 'service' | 'builtin';
}

function domainUser(name: string, rid: number, fullName: string, kind: DemoUser['kind']): DemoUser {
  return { name, domain: DOMAIN, id: `${DOMAIN_SID}-${rid}`, fullName, kind };
}

export const USERS = {
  jdoe: domainUser('jdoe', 1104, 'Jane Doe', 'user'),
  asmith: domainUser('asmith', 1107, 'Arun Smith', 'user'),
  mlopez: domainUser('mlopez', 1112, 'Maria Lopez', 'user'),
  tnguyen: domainUser('tnguyen', 1119, 'Tam Nguyen', 'user'),
  kwilsonAdm: domainUser('adm.kwilson', 1203, 'Kim Wilson (admin)', 'admin'),
  rpatelAdm: domainUser('adm.rpatel', 1204, 'Ravi Patel (admin)', 'admin'),
  svcBackup: domainUser('svc_backup', 1301, 'Backup service', 'service'),
  svcSql: domainUser('svc_sql', 1302, 'SQL Server service', 'service'),
  system: { name: 'SYSTEM', domain: 'NT AUTHORITY', id: 'S-1-5-18', fullName: 'SYSTEM', kind: 'builtin' },
  localService: { name: 'LOCAL SERVICE', domain: 'NT AUTHORITY', id: 'S-1-5-19', fullName: 'LOCAL SERVICE', kind: 'builtin' },
  networkService: { name: 'NETWORK SERVICE', domain: 'NT AUTHORITY', id: 'S-1-5-20', fullName: 'NETWORK SERVICE', kind: 'builtin' },
  dwm: { name: 'DWM-1', domain: 'Window Manager', id: 'S-1-5-90-0-1', fullName: 'DWM-1', kind: 'builtin' },
} satisfies Record<string, DemoUser>;

export interface OsInfo {
  name: string;
  version: string;
  kernel: string;
  build: string;
  full: string;
}

const WIN11: OsInfo = {
  name: 'Windows 11 Enterprise',
  version: '23H2 (10.0.22631.4460)',
  kernel: '23H2 (10.0.22631.4460)',
  build: '22631.4460',
  full: 'Windows 11 Enterprise 23H2 (10.0.22631.4460)',
};
const WIN10: OsInfo = {
  name: 'Windows 10 Enterprise',
  version: '22H2 (10.0.19045.5131)',
  kernel: '22H2 (10.0.19045.5131)',
  build: '19045.5131',
  full: 'Windows 10 Enterprise 22H2 (10.0.19045.5131)',
};
const SRV2022: OsInfo = {
  name: 'Windows Server 2022 Standard',
  version: '21H2 (10.0.20348.2849)',
  kernel: '21H2 (10.0.20348.2849)',
  build: '20348.2849',
  full: 'Windows Server 2022 Standard 21H2 (10.0.20348.2849)',
};
const SRV2019: OsInfo = {
  name: 'Windows Server 2019 Datacenter',
  version: '1809 (10.0.17763.6532)',
  kernel: '1809 (10.0.17763.6532)',
  build: '17763.6532',
  full: 'Windows Server 2019 Datacenter 1809 (10.0.17763.6532)',
};

export interface DemoHost {
  name: string;
  id: string;
  ip: string;
  mac: string;
  os: OsInfo;
  role: 'workstation' | 'server' | 'dc';
  family: Family;
  /** where its Windows Security log (4624/4625/4634/4672) goes */
  security: 'system' | 'winlogbeat';
  /** the document lacks host.os.* (a Winlogbeat 7 without add_host_metadata) */
  noHostMetadata?: boolean;
  /** the person who works at a workstation */
  owner?: DemoUser;
  /** Elastic agent / beat id */
  agentId: string;
  /** hours after the start of the demo window at which the host boots */
  bootAfterHours: number;
}

export const HOSTS: readonly DemoHost[] = [
  {
    name: 'ws-fin-01', id: '5f1c7a52-3b8e-4f0e-9d4a-1c2b3a4d5e61', ip: '10.20.1.21', mac: '00-15-5D-14-01-21',
    os: WIN11, role: 'workstation', family: 'defend', security: 'system', owner: USERS.jdoe,
    agentId: 'a3c1e2f4-58b6-4d7e-9a0b-1f2e3d4c5b61', bootAfterHours: 0.5,
  },
  {
    name: 'ws-eng-07', id: '8e2d4b61-7a3c-4e9f-b1d2-6c5a4b3e2f17', ip: '10.20.1.37', mac: '00-15-5D-14-01-37',
    os: WIN11, role: 'workstation', family: 'defend', security: 'system', owner: USERS.asmith,
    agentId: 'c7d2e9a1-4b3f-4e5d-8c6b-2a1f0e9d8c77', bootAfterHours: 25.5,
  },
  {
    name: 'ws-hr-03', id: '2b9e6c14-d5a7-4f3b-8e1c-9a0b7c6d5e43', ip: '10.20.1.43', mac: '00-15-5D-14-01-43',
    os: WIN10, role: 'workstation', family: 'sysmon', security: 'system', owner: USERS.mlopez,
    agentId: 'e1f2a3b4-c5d6-4e7f-8091-a2b3c4d5e643', bootAfterHours: 1.2,
  },
  {
    name: 'ws-lab-12', id: '9c3a5e27-1f4b-4d8c-a6e9-3b2c1d0e9f12', ip: '10.20.2.12', mac: '00-15-5D-14-02-12',
    os: WIN10, role: 'workstation', family: 'endgame', security: 'system', owner: USERS.tnguyen,
    agentId: '4d5e6f70-8192-4a3b-9c4d-5e6f7a8b9c12', bootAfterHours: 2.0,
  },
  {
    name: 'srv-file-01', id: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c01', ip: '10.20.10.11', mac: '00-15-5D-14-0A-11',
    os: SRV2019, role: 'server', family: 'winlogbeat', security: 'winlogbeat',
    agentId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e101', bootAfterHours: 0.1,
  },
  {
    name: 'srv-app-02', id: '3d4e5f6a-7b8c-4d9e-a0f1-b2c3d4e5f602', ip: '10.20.10.12', mac: '00-15-5D-14-0A-12',
    os: SRV2022, role: 'server', family: 'defend', security: 'system',
    agentId: '7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9002', bootAfterHours: 0.2,
  },
  {
    name: 'dc-01', id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d01', ip: '10.20.10.5', mac: '00-15-5D-14-0A-05',
    os: SRV2022, role: 'dc', family: 'defend', security: 'system',
    agentId: '1b2c3d4e-5f6a-4b7c-8d9e-0a1b2c3d4e05', bootAfterHours: 0.05,
  },
  {
    name: 'srv-print-01', id: 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e21', ip: '10.20.10.21', mac: '00-15-5D-14-0A-21',
    os: SRV2019, role: 'server', family: 'winlogbeat', security: 'winlogbeat', noHostMetadata: true,
    agentId: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e21', bootAfterHours: 0.3,
  },
];

export function hostByName(name: string): DemoHost {
  const h = HOSTS.find((x) => x.name === name);
  if (!h) throw new Error(`demo: unknown host ${name}`);
  return h;
}

export function fqdn(host: DemoHost): string {
  return `${host.name}.${DNS_DOMAIN}`;
}

export interface Signer {
  subject: string;
  trusted: boolean;
  status: string;
}

export const SIGNERS = {
  windows: { subject: 'Microsoft Windows', trusted: true, status: 'trusted' },
  publisher: { subject: 'Microsoft Windows Publisher', trusted: true, status: 'trusted' },
  microsoft: { subject: 'Microsoft Corporation', trusted: true, status: 'trusted' },
  google: { subject: 'Google LLC', trusted: true, status: 'trusted' },
  elastic: { subject: 'Elasticsearch, Inc.', trusted: true, status: 'trusted' },
  python: { subject: 'Python Software Foundation', trusted: true, status: 'trusted' },
  git: { subject: 'Johannes Schindelin', trusted: true, status: 'trusted' },
  sysinternals: { subject: 'Microsoft Corporation', trusted: true, status: 'trusted' },
} satisfies Record<string, Signer>;

export interface Executable {
  path: string;
  signer: Signer | null;
  company?: string;
  description?: string;
  fileVersion?: string;
  originalFileName?: string;
}

const SYS32 = 'C:\\Windows\\System32';

function ms(path: string, description: string, original?: string): Executable {
  return {
    path,
    signer: SIGNERS.windows,
    company: 'Microsoft Corporation',
    description,
    fileVersion: '10.0.22621.4460 (WinBuild.160101.0800)',
    originalFileName: original ?? basename(path),
  };
}

/** Known programs, by short key. */
export const EXE = {
  system: { path: 'System', signer: null } as Executable,
  smss: ms(`${SYS32}\\smss.exe`, 'Windows Session Manager'),
  autochk: ms(`${SYS32}\\autochk.exe`, 'Auto Check Utility'),
  csrss: ms(`${SYS32}\\csrss.exe`, 'Client Server Runtime Process'),
  wininit: ms(`${SYS32}\\wininit.exe`, 'Windows Start-Up Application'),
  winlogon: ms(`${SYS32}\\winlogon.exe`, 'Windows Logon Application'),
  services: ms(`${SYS32}\\services.exe`, 'Services and Controller app'),
  lsass: ms(`${SYS32}\\lsass.exe`, 'Local Security Authority Process'),
  logonui: ms(`${SYS32}\\LogonUI.exe`, 'Windows Logon User Interface Host'),
  userinit: ms(`${SYS32}\\userinit.exe`, 'Userinit Logon Application'),
  dwm: ms(`${SYS32}\\dwm.exe`, 'Desktop Window Manager'),
  fontdrvhost: ms(`${SYS32}\\fontdrvhost.exe`, 'Usermode Font Driver Host'),
  explorer: ms('C:\\Windows\\explorer.exe', 'Windows Explorer'),
  svchost: ms(`${SYS32}\\svchost.exe`, 'Host Process for Windows Services'),
  spoolsv: ms(`${SYS32}\\spoolsv.exe`, 'Spooler SubSystem App'),
  taskhostw: ms(`${SYS32}\\taskhostw.exe`, 'Host Process for Windows Tasks'),
  conhost: ms(`${SYS32}\\conhost.exe`, 'Console Window Host'),
  cmd: ms(`${SYS32}\\cmd.exe`, 'Windows Command Processor', 'Cmd.Exe'),
  powershell: ms(`${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`, 'Windows PowerShell', 'PowerShell.EXE'),
  whoami: ms(`${SYS32}\\whoami.exe`, 'whoami - displays logged on user information'),
  net: ms(`${SYS32}\\net.exe`, 'Net Command'),
  net1: ms(`${SYS32}\\net1.exe`, 'Net Command'),
  nltest: ms(`${SYS32}\\nltest.exe`, 'Microsoft® Logon Server Test Utility'),
  ipconfig: ms(`${SYS32}\\ipconfig.exe`, 'IP Configuration Utility'),
  reg: ms(`${SYS32}\\reg.exe`, 'Registry Console Tool'),
  sc: ms(`${SYS32}\\sc.exe`, 'Service Control Manager Configuration Tool'),
  rundll32: ms(`${SYS32}\\rundll32.exe`, 'Windows host process (Rundll32)', 'RUNDLL32.EXE'),
  wmiprvse: ms(`${SYS32}\\wbem\\WmiPrvSE.exe`, 'WMI Provider Host'),
  searchIndexer: ms(`${SYS32}\\SearchIndexer.exe`, 'Microsoft Windows Search Indexer'),
  tiworker: ms('C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.4455_none_7c1c0d7e3c5a8f1b\\TiWorker.exe', 'Windows Modules Installer Worker'),
  trustedInstaller: ms('C:\\Windows\\servicing\\TrustedInstaller.exe', 'Windows Modules Installer'),
  msiexec: ms(`${SYS32}\\msiexec.exe`, 'Windows® installer'),
  wbadmin: ms(`${SYS32}\\wbadmin.exe`, 'Command Line Interface for Microsoft® BLB Backup'),
  robocopy: ms(`${SYS32}\\Robocopy.exe`, 'Microsoft® Robocopy'),
  gpupdate: ms(`${SYS32}\\gpupdate.exe`, 'Microsoft® Windows Group Policy Update Utility'),
  compattel: ms(`${SYS32}\\CompatTelRunner.exe`, 'Microsoft Compatibility Telemetry'),
  mpcmdrun: { path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'Microsoft Malware Protection Command Line Utility', originalFileName: 'MpCmdRun.exe' },
  msmpeng: { path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'Antimalware Service Executable', originalFileName: 'MsMpEng.exe' },
  dns: ms(`${SYS32}\\dns.exe`, 'Domain Name System (DNS) Server'),
  dfsrs: ms(`${SYS32}\\dfsrs.exe`, 'Distributed File System Replication'),
  ntds: ms(`${SYS32}\\ntdsutil.exe`, 'NT5DS'),
  sqlservr: { path: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'SQL Server Windows NT - 64 Bit', originalFileName: 'sqlservr.exe' },
  w3wp: ms(`${SYS32}\\inetsrv\\w3wp.exe`, 'IIS Worker Process'),
  elasticEndpoint: { path: 'C:\\Program Files\\Elastic\\Endpoint\\elastic-endpoint.exe', signer: SIGNERS.elastic, company: 'Elasticsearch, Inc.', description: 'Elastic Endpoint', originalFileName: 'elastic-endpoint.exe' },
  elasticAgent: { path: 'C:\\Program Files\\Elastic\\Agent\\elastic-agent.exe', signer: SIGNERS.elastic, company: 'Elasticsearch, Inc.', description: 'Elastic Agent', originalFileName: 'elastic-agent.exe' },
  winlogbeat: { path: 'C:\\Program Files\\Winlogbeat\\winlogbeat.exe', signer: SIGNERS.elastic, company: 'Elasticsearch, Inc.', description: 'Winlogbeat ships Windows event logs to Elasticsearch or Logstash.', originalFileName: 'winlogbeat.exe' },
  sysmon: { path: 'C:\\Windows\\Sysmon64.exe', signer: SIGNERS.sysinternals, company: 'Sysinternals - www.sysinternals.com', description: 'System activity monitor', originalFileName: 'Sysmon.exe' },
  esensor: { path: 'C:\\Program Files\\Endgame\\esensor.exe', signer: { subject: 'Endgame, Inc.', trusted: true, status: 'trusted' }, company: 'Endgame, Inc.', description: 'Endgame Sensor', originalFileName: 'esensor.exe' },
  chrome: { path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', signer: SIGNERS.google, company: 'Google LLC', description: 'Google Chrome', originalFileName: 'chrome.exe' },
  msedge: { path: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'Microsoft Edge', originalFileName: 'msedge.exe' },
  outlook: { path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'Microsoft Outlook', originalFileName: 'Outlook.exe' },
  winword: { path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'Microsoft Word', originalFileName: 'WinWord.exe' },
  excel: { path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'Microsoft Excel', originalFileName: 'Excel.exe' },
  teams: { path: 'C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'Microsoft Teams', originalFileName: 'ms-teams.exe' },
  onedrive: { path: 'C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'Microsoft OneDrive', originalFileName: 'OneDrive.exe' },
  notepad: ms(`${SYS32}\\notepad.exe`, 'Notepad', 'NOTEPAD.EXE'),
  code: { path: 'C:\\Users\\asmith\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', signer: SIGNERS.microsoft, company: 'Microsoft Corporation', description: 'Visual Studio Code', originalFileName: 'electron.exe' },
  git: { path: 'C:\\Program Files\\Git\\cmd\\git.exe', signer: SIGNERS.git, company: 'The Git Development Community', description: 'Git for Windows', originalFileName: 'git.exe' },
  python: { path: 'C:\\Users\\asmith\\AppData\\Local\\Programs\\Python\\Python312\\python.exe', signer: SIGNERS.python, company: 'Python Software Foundation', description: 'Python', originalFileName: 'python.exe' },
  acrobat: { path: 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe', signer: { subject: 'Adobe Inc.', trusted: true, status: 'trusted' }, company: 'Adobe Systems Incorporated', description: 'Adobe Acrobat', originalFileName: 'Acrobat.exe' },
} satisfies Record<string, Executable>;

/** ECS `file.path`, `name`, `directory` and (when there is one) `extension` of a Windows path. */
export function fileFields(path: string): Record<string, unknown> {
  const ext = extension(path);
  return { path, name: basename(path), directory: dirname(path), ...(ext === undefined ? {} : { extension: ext }) };
}

export function basename(path: string): string {
  const i = path.lastIndexOf('\\');
  return i >= 0 ? path.slice(i + 1) : path;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('\\');
  return i >= 0 ? path.slice(0, i) : '';
}

/** text after the last dot of the file name, verbatim (as Elastic's pipelines do); undefined when none */
export function extension(path: string): string | undefined {
  const name = basename(path);
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(i + 1) : undefined;
}

export interface Hashes {
  md5: string;
  sha1: string;
  sha256: string;
}

/** stable invented hashes for a file's content identity (path + variant) */
export function fileHashes(identity: string): Hashes {
  const h = (alg: string) => createHash(alg).update(`guidepost-demo\u0000${identity}`).digest('hex');
  return { md5: h('md5'), sha1: h('sha1'), sha256: h('sha256') };
}
