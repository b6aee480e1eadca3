/**
 * Benign background activity: browsing, Office, mail, sync clients, developer tools,
 * Windows Update and Defender, scheduled tasks, Kerberos and SMB traffic, service logons,
 * backups and printing. Plenty of executables and DLLs are written here, always by
 * processes the seed rule does not watch; critical processes only write other file types
 * or do other things (network, registry, image loads).
 */
import type { Proc } from './model';
import { Actor, type BootTree, MINUTE, type Session } from './sim';
import { type DemoHost, type DemoUser, EXE, HOSTS, USERS } from './world';

interface Site {
  name: string;
  ips: string[];
}

const SITES: Site[] = [
  { name: 'www.google.com', ips: ['142.250.74.36'] },
  { name: 'www.bing.com', ips: ['204.79.197.200'] },
  { name: 'login.microsoftonline.com', ips: ['20.190.160.20', '40.126.32.72'] },
  { name: 'acme.sharepoint.com', ips: ['13.107.136.9'] },
  { name: 'www.wikipedia.org', ips: ['185.15.59.224'] },
  { name: 'intranet.acme.example', ips: ['10.20.10.12'] },
  { name: 'portal.payroll-partner.example', ips: ['198.51.100.61'] },
  { name: 'docs.python.org', ips: ['151.101.0.223'] },
  { name: 'www.linkedin.com', ips: ['13.107.42.14'] },
  { name: 'weather.example', ips: ['192.0.2.201'] },
];
const OFFICE_SITES: Site[] = [
  { name: 'outlook.office365.com', ips: ['52.97.146.178'] },
  { name: 'officeclient.microsoft.com', ips: ['52.109.8.19'] },
  { name: 'teams.microsoft.com', ips: ['52.113.194.132'] },
  { name: 'acme-my.sharepoint.com', ips: ['13.107.136.10'] },
];
const WU_SITES: Site[] = [
  { name: 'fe3cr.delivery.mp.microsoft.com', ips: ['20.50.73.9'] },
  { name: 'sls.update.microsoft.com', ips: ['20.72.235.82'] },
  { name: 'definitionupdates.microsoft.com', ips: ['23.45.112.17'] },
  { name: 'settings-win.data.microsoft.com', ips: ['51.104.136.2'] },
];

const DOWNLOADS = [
  'Q3_Budget_Review.pdf', 'Travel_Policy_2026.pdf', 'team-offsite-agenda.docx', 'export_2026-11.csv', 'Screenshot 2026-11-20 101455.png',
  'invoice_4410293.pdf', 'benefits_overview.pdf', 'meeting-notes.docx', 'logs.zip', 'photo.jpg',
  'ZoomInstaller.exe', 'npp.8.7.1.Installer.x64.exe', 'ChromeSetup.exe', 'GoogleDriveSetup.exe', 'python-3.12.7-amd64.exe',
  'AcroRdrDCx642400420272_MUI.exe', 'VSCodeUserSetup-x64-1.95.3.exe', 'WindowsPCHealthCheckSetup.msi',
];
const DOCS = ['Forecast FY27.xlsx', 'Vendor list.xlsx', 'Onboarding checklist.docx', 'Board memo draft.docx', 'Expense report Nov.xlsx', 'Project plan.docx'];
const WINSXS_DLLS = ['ntdll.dll', 'kernelbase.dll', 'combase.dll', 'windows.storage.dll', 'msvcp_win.dll', 'ucrtbase.dll', 'wininet.dll', 'crypt32.dll', 'rpcrt4.dll', 'user32.dll', 'shell32.dll', 'twinapi.appcore.dll'];
const WINSXS_COMPONENTS = ['microsoft-windows-ntdll', 'microsoft-windows-kernelbase', 'microsoft-windows-com-base', 'microsoft-windows-shell32', 'microsoft-windows-crypt32-dll', 'microsoft-windows-rpc-local'];
const LSASS_DLLS = ['C:\\Windows\\System32\\kerberos.dll', 'C:\\Windows\\System32\\msv1_0.dll', 'C:\\Windows\\System32\\negoexts.dll', 'C:\\Windows\\System32\\schannel.dll', 'C:\\Windows\\System32\\samsrv.dll', 'C:\\Windows\\System32\\cloudAP.dll'];
const SERVICES = ['edgeupdate', 'gupdate', 'BITS', 'wuauserv', 'DoSvc', 'UsoSvc', 'WaaSMedicSvc', 'MapsBroker', 'sppsvc'];
const SHARE_FILES = ['Finance\\Q4\\close_checklist.xlsx', 'Finance\\Q4\\accruals.xlsx', 'HR\\Policies\\handbook_v7.pdf', 'Engineering\\specs\\triage-lab.docx', 'Public\\menus\\week48.pdf', 'Finance\\AP\\vendor_payments.csv'];
const SHARE_SOFTWARE = ['7z2408-x64.exe', 'FirefoxSetup132.exe', 'vlc-3.0.21-win64.exe', 'Teams_windows_x64.msi', 'PuTTY\\putty.exe', 'tools\\Procmon64.exe', 'drivers\\acme-dock\\dockfw.dll'];

type Burst = (a: Actor, host: DemoHost, t: number, boot: BootTree, s: Session | undefined) => void;

function site(a: Actor, p: Proc, t: number, sites: Site[]): number {
  const s = a.rng.pick(sites);
  a.dns(p, t, s.name, s.ips);
  a.connect(p, t + a.rng.int(20, 400), a.rng.pick(s.ips), 443);
  return t + a.rng.int(500, 4000);
}

const browse: Burst = (a, _h, t, _b, s) => {
  if (!s) return;
  const r = a.rng;
  const exe = r.chance(0.6) ? EXE.chrome : EXE.msedge;
  const p = a.run(s.explorer, t, exe, `"${exe.path}"${exe === EXE.msedge ? ' --single-argument' : ''}`, { integrity: 'medium' });
  let tt = t + r.int(500, 3000);
  for (let i = r.int(1, 4); i > 0; i--) tt = site(a, p, tt, SITES) + r.int(5_000, 120_000);
  if (r.chance(0.3)) {
    const name = r.pick(DOWNLOADS);
    const isPe = /\.(exe|msi)$/i.test(name);
    a.create(p, (tt += r.int(1000, 20_000)), `C:\\Users\\${s.user.name}\\Downloads\\${name}`, {
      zone: 3,
      headerBytes: isPe ? '4d5a90000300000004000000ffff0000' : undefined,
    });
  }
  a.end(p, tt + r.int(2, 30) * MINUTE);
};

const office: Burst = (a, _h, t, _b, s) => {
  if (!s) return;
  const r = a.rng;
  const exe = r.chance(0.5) ? EXE.winword : EXE.excel;
  const doc = r.pick(DOCS.filter((d) => (exe === EXE.excel ? d.endsWith('.xlsx') : d.endsWith('.docx'))));
  const path = `C:\\Users\\${s.user.name}\\OneDrive - ACME\\Documents\\${doc}`;
  const p = a.run(s.explorer, t, exe, `"${exe.path}" "${path}"`, { integrity: 'medium' });
  const lock = `C:\\Users\\${s.user.name}\\OneDrive - ACME\\Documents\\~$${doc.slice(2)}`;
  a.create(p, t + r.int(800, 3000), lock, { size: 165 });
  const tt = site(a, p, t + r.int(3000, 9000), OFFICE_SITES);
  a.reg(p, tt + r.int(100, 1000), {
    path: `HKU\\${s.user.id}\\SOFTWARE\\Microsoft\\Office\\16.0\\${exe === EXE.excel ? 'Excel' : 'Word'}\\User MRU\\ADAL_5F2B0E1C\\File MRU\\Item 1`,
    data: `[F00000000][T01DB${r.hex(11).toUpperCase()}][O00000000]*${path}`,
    dataType: 'REG_SZ',
  });
  const save = tt + r.int(2, 40) * MINUTE;
  a.file(p, save, { path, action: 'overwrite', size: r.int(20_000, 900_000) });
  a.remove(p, save + r.int(1, 10) * MINUTE, lock);
  a.end(p, save + r.int(11, 20) * MINUTE);
};

const mail: Burst = (a, _h, t, _b, s) => {
  if (!s?.apps.outlook) return;
  const r = a.rng;
  const o = s.apps.outlook;
  const tt = site(a, o, t, OFFICE_SITES.slice(0, 1));
  if (r.chance(0.35)) {
    const name = r.pick(DOWNLOADS.filter((d) => !/\.(exe|msi)$/i.test(d)));
    a.create(o, tt + r.int(1000, 60_000), `C:\\Users\\${s.user.name}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\${r.hex(8).toUpperCase()}\\${name}`, { zone: 3 });
  }
};

const teams: Burst = (a, _h, t, _b, s) => {
  if (!s?.apps.teams) return;
  site(a, s.apps.teams, t, OFFICE_SITES.slice(2, 3));
  a.net(s.apps.teams, t + a.rng.int(1000, 5000), { dstIp: '52.113.194.132', dstPort: 3478, transport: 'udp', direction: 'egress' });
};

const sync: Burst = (a, _h, t, _b, s) => {
  if (!s?.apps.onedrive) return;
  const r = a.rng;
  const od = s.apps.onedrive;
  const tt = site(a, od, t, OFFICE_SITES.slice(3));
  for (let i = r.int(1, 3); i > 0; i--) {
    a.create(od, tt + i * r.int(300, 3000), `C:\\Users\\${s.user.name}\\OneDrive - ACME\\Shared\\${r.pick(DOCS)}`, {});
  }
};

const desktopTool: Burst = (a, _h, t, _b, s) => {
  if (!s) return;
  const r = a.rng;
  if (r.chance(0.5)) {
    const p = a.run(s.explorer, t, EXE.notepad, `"C:\\Windows\\system32\\notepad.exe" C:\\Users\\${s.user.name}\\Desktop\\todo.txt`, { integrity: 'medium' });
    a.end(p, t + r.int(1, 30) * MINUTE);
  } else {
    const cmd = a.run(s.explorer, t, EXE.cmd, '"C:\\Windows\\system32\\cmd.exe" ', { integrity: 'medium' });
    a.run(cmd, t + 200, EXE.conhost, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1');
    const ip = a.run(cmd, t + r.int(3_000, 20_000), EXE.ipconfig, r.pick(['ipconfig  /all', 'ipconfig  /flushdns', 'ipconfig']));
    a.end(ip, ip.start + r.int(200, 900));
    a.end(cmd, t + r.int(1, 10) * MINUTE);
  }
};

const developer: Burst = (a, _h, t, _b, s) => {
  if (!s) return;
  const r = a.rng;
  const repo = `C:\\Users\\${s.user.name}\\src\\triage-lab`;
  const cmd = a.run(s.explorer, t, EXE.cmd, '"C:\\Windows\\system32\\cmd.exe" ', { integrity: 'medium', workingDirectory: `${repo}\\` });
  const git = a.run(cmd, t + r.int(2_000, 30_000), EXE.git, r.pick(['git  fetch origin', 'git  pull --rebase', 'git  push origin HEAD']));
  a.dns(git, git.start + 300, 'github.com', ['140.82.121.4']);
  a.connect(git, git.start + 400, '140.82.121.4', 443);
  a.end(git, git.start + r.int(1_500, 9_000));
  const py = a.run(cmd, git.start + r.int(20_000, 200_000), EXE.python, r.pick(['python  -m pytest -q', 'python  -m build', 'python  tools\\package.py --onefile']));
  a.create(py, py.start + r.int(500, 3000), `${repo}\\triage_lab\\__pycache__\\cli.cpython-312.pyc`, { size: r.int(2000, 30_000) });
  if (py.commandLine.includes('package.py')) {
    a.create(py, py.start + r.int(4000, 20_000), `${repo}\\dist\\triage-lab.exe`, { size: r.int(7_000_000, 12_000_000), headerBytes: '4d5a90000300000004000000ffff0000' });
    a.create(py, py.start + r.int(20_000, 30_000), `${repo}\\build\\triage-lab\\python312.dll`, { size: 6_925_584 });
  }
  a.end(py, py.start + r.int(30_000, 120_000));
  a.end(cmd, py.start + r.int(3, 20) * MINUTE);
};

const unlock: Burst = (a, host, t, boot, s) => {
  if (!s) return;
  const lid = `0x${a.rng.int(0x20000, 0xfffffff).toString(16)}`;
  a.auth(host, t, { code: 4624, user: s.user, logonType: 7, logonId: lid, process: boot.winlogon, authPackage: 'Negotiate' });
  a.auth(host, t + a.rng.int(100, 2000), { code: 4634, user: s.user, logonType: 7, logonId: lid });
};

const windowsUpdate: Burst = (a, _h, t, boot) => {
  const r = a.rng;
  const net = boot.svchost.netsvcs;
  if (!net) return;
  let tt = site(a, net, t, WU_SITES);
  if (r.chance(0.4)) {
    const ti = a.run(boot.services, (tt += 2_000), EXE.trustedInstaller, 'C:\\Windows\\servicing\\TrustedInstaller.exe');
    const dcom = boot.svchost.DcomLaunch ?? boot.services;
    const worker = a.run(dcom, (tt += 1_500), EXE.tiworker, `${EXE.tiworker.path} -Embedding`);
    const comp = r.pick(WINSXS_COMPONENTS);
    const dir = `C:\\Windows\\WinSxS\\amd64_${comp}_31bf3856ad364e35_10.0.${r.int(19041, 22631)}.${r.int(4000, 4600)}_none_${r.hex(16)}`;
    for (let i = r.int(2, 6); i > 0; i--) a.create(worker, (tt += r.int(100, 3000)), `${dir}\\${r.pick(WINSXS_DLLS)}`, { size: r.int(200_000, 4_000_000) });
    a.create(worker, (tt += 800), `C:\\Windows\\Logs\\CBS\\CBS.log`, { size: r.int(1_000_000, 30_000_000) });
    a.end(worker, (tt += r.int(2, 20) * MINUTE));
    a.end(ti, tt + r.int(1, 5) * MINUTE);
  }
};

const defender: Burst = (a, _h, t, boot) => {
  const r = a.rng;
  const mp = boot.daemons.msmpeng;
  if (!mp) return;
  let tt = site(a, mp, t, WU_SITES.slice(2, 3));
  const cmd = a.run(mp, (tt += 500), EXE.mpcmdrun, `"${EXE.mpcmdrun.path}" SignatureUpdate -ScheduleJob -RestrictPrivileges`);
  const dir = `C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\{${a.rng.uuid().toUpperCase()}}`;
  a.create(cmd, (tt += 2_000), `${dir}\\mpasbase.vdm`, { size: r.int(60_000_000, 90_000_000) });
  a.create(cmd, (tt += 500), `${dir}\\mpasdlta.vdm`, { size: r.int(1_000_000, 9_000_000) });
  if (r.chance(0.3)) a.create(cmd, (tt += 300), `${dir}\\mpengine.dll`, { size: r.int(18_000_000, 20_000_000) });
  a.end(cmd, tt + r.int(5_000, 60_000));
};

const scheduled: Burst = (a, _h, t, boot) => {
  const r = a.rng;
  const sched = boot.svchost.Schedule ?? boot.services;
  const kind = r.int(0, 3);
  if (kind === 0) {
    const p = a.run(sched, t, EXE.taskhostw, 'taskhostw.exe Install $(Arg0)');
    a.end(p, t + r.int(2_000, 60_000));
  } else if (kind === 1) {
    const p = a.run(sched, t, EXE.gpupdate, 'gpupdate.exe /target:computer');
    a.connect(p, t + 900, '10.20.10.5', 445);
    a.end(p, t + r.int(4_000, 20_000));
  } else if (kind === 2) {
    const p = a.run(sched, t, EXE.compattel, 'C:\\Windows\\system32\\compattelrunner.exe -maintenance');
    site(a, p, t + 2000, WU_SITES.slice(3));
    a.create(p, t + 9000, `C:\\ProgramData\\Microsoft\\Diagnosis\\ETLLogs\\AutoLogger\\AutoLogger-Diagtrack-Listener_${r.int(1, 40)}.etl`, { size: r.int(100_000, 900_000) });
    a.end(p, t + r.int(20_000, 600_000));
  } else {
    const wmi = a.run(boot.svchost.DcomLaunch ?? boot.services, t, EXE.wmiprvse, 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding', { user: USERS.networkService });
    a.end(wmi, t + r.int(30_000, 600_000));
  }
};

const dcIp = '10.20.10.5';

const kerberos: Burst = (a, host, t, boot) => {
  const r = a.rng;
  if (host.role === 'dc') {
    const client = r.pick(HOSTS.filter((h) => h.role !== 'dc'));
    a.net(boot.lsass, t, { srcIp: client.ip, srcPort: r.int(49152, 65535), dstIp: host.ip, dstPort: r.pick([88, 389, 445]), transport: 'tcp', direction: 'ingress' });
  } else {
    a.connect(boot.lsass, t, dcIp, r.pick([88, 389, 88]));
  }
  if (r.chance(0.25)) a.load(boot.lsass, t + r.int(100, 3000), r.pick(LSASS_DLLS));
};

const serviceConfig: Burst = (a, _h, t, boot) => {
  const r = a.rng;
  a.reg(boot.services, t, {
    path: `HKLM\\System\\CurrentControlSet\\Services\\${r.pick(SERVICES)}\\Start`,
    data: String(r.pick([2, 3, 3, 4])),
    dataType: 'REG_DWORD',
  });
  if (r.chance(0.3)) {
    const ms = a.run(boot.services, t + 600, EXE.msiexec, 'C:\\Windows\\system32\\msiexec.exe /V');
    a.create(ms, t + 5_000, `C:\\Windows\\Installer\\${r.hex(6)}.msi`, { size: r.int(500_000, 90_000_000) });
    a.create(ms, t + 9_000, `C:\\Windows\\Installer\\MSI${r.hex(4).toUpperCase()}.tmp`, { size: r.int(100_000, 900_000) });
    a.end(ms, t + r.int(20_000, 300_000));
  }
};

const agentCheckin: Burst = (a, _h, t, boot) => {
  const ag = boot.daemons.agent;
  if (!ag) return;
  a.dns(ag, t, 'fleet.acme.example', ['10.20.10.40']);
  a.connect(ag, t + a.rng.int(10, 200), '10.20.10.40', ag.name === 'winlogbeat.exe' ? 9200 : 8220);
};

const WS_USERS = [USERS.jdoe, USERS.asmith, USERS.mlopez, USERS.tnguyen];

function ownerIp(u: DemoUser): { ip: string; ws: string } {
  const h = HOSTS.find((x) => x.owner?.name === u.name);
  return h ? { ip: h.ip, ws: h.name } : { ip: '10.20.1.37', ws: 'ws-eng-07' };
}

const networkLogon: Burst = (a, host, t, boot) => {
  const r = a.rng;
  const user = r.chance(0.15) ? r.pick([USERS.kwilsonAdm, USERS.rpatelAdm]) : r.pick(WS_USERS);
  const { ip, ws } = ownerIp(user);
  const lid = `0x${r.int(0x20000, 0xfffffff).toString(16)}`;
  if (r.chance(0.06)) {
    a.auth(host, t, { code: 4625, user, logonType: 3, logonId: '0x0', srcIp: ip, srcWorkstation: ws, authPackage: 'NTLM' });
    return;
  }
  a.auth(host, t, { code: 4624, user, logonType: 3, logonId: lid, srcIp: ip, srcWorkstation: ws, authPackage: host.role === 'dc' ? 'Kerberos' : 'NTLM' });
  if (user.kind === 'admin') a.auth(host, t + 3, { code: 4672, user, logonType: 3, logonId: lid });
  if (host.name === 'srv-file-01') {
    for (let i = r.int(0, 3); i > 0; i--) {
      const rel = r.chance(0.1) ? `Software\\Installers\\${r.pick(SHARE_SOFTWARE)}` : r.pick(SHARE_FILES);
      a.create(boot.system, t + i * r.int(500, 20_000), `D:\\Shares\\${rel}`, {});
    }
  }
  if (host.name === 'srv-print-01' && boot.daemons.spoolsv) {
    const job = String(r.int(1, 999)).padStart(5, '0');
    a.create(boot.daemons.spoolsv, t + 800, `C:\\Windows\\System32\\spool\\PRINTERS\\${job}.SHD`, { size: r.int(1000, 9000) });
    a.create(boot.daemons.spoolsv, t + 820, `C:\\Windows\\System32\\spool\\PRINTERS\\${job}.SPL`, { size: r.int(20_000, 9_000_000) });
  }
  a.auth(host, t + r.int(5_000, 30 * 60_000), { code: 4634, user, logonType: 3, logonId: lid });
};

const appServer: Burst = (a, host, t, boot) => {
  const r = a.rng;
  const sql = boot.daemons.sqlservr;
  const w3 = boot.daemons.w3wp;
  if (!sql || !w3) return;
  a.net(sql, t, { srcIp: host.ip, srcPort: r.int(49152, 65535), dstIp: host.ip, dstPort: 1433, transport: 'tcp', direction: 'ingress' });
  const client = r.pick(HOSTS.filter((h) => h.role === 'workstation'));
  a.net(w3, t + 50, { srcIp: client.ip, srcPort: r.int(49152, 65535), dstIp: host.ip, dstPort: 443, transport: 'tcp', direction: 'ingress' });
  if (r.chance(0.2)) a.create(w3, t + 300, `C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex${r.int(10, 99)}1127.log`, { size: r.int(10_000, 9_000_000) });
};

const backup: Burst = (a, host, t, boot) => {
  const r = a.rng;
  const sched = boot.svchost.Schedule ?? boot.services;
  const lid = `0x${r.int(0x20000, 0xfffffff).toString(16)}`;
  a.auth(host, t, { code: 4624, user: USERS.svcBackup, logonType: 5, logonId: lid, process: boot.services });
  const exe = r.chance(0.5) ? EXE.robocopy : EXE.wbadmin;
  const p = a.run(sched, t + 400, exe, exe === EXE.robocopy
    ? 'robocopy.exe  D:\\Shares E:\\Backups\\Shares /MIR /R:1 /W:1 /NP /LOG+:E:\\Backups\\robocopy.log'
    : 'wbadmin.exe  start backup -backupTarget:E: -include:C: -quiet', { user: USERS.svcBackup, integrity: 'high', logonId: lid });
  a.create(p, t + r.int(2_000, 60_000), exe === EXE.robocopy ? 'E:\\Backups\\robocopy.log' : `E:\\WindowsImageBackup\\${host.name.toUpperCase()}\\Backup ${new Date(t).toISOString().slice(0, 10)} 020000\\${r.uuid()}.vhdx`, {});
  a.end(p, t + r.int(3, 50) * MINUTE);
  a.auth(host, t + 55 * MINUTE, { code: 4634, user: USERS.svcBackup, logonType: 5, logonId: lid });
};

const USER_BURSTS: [Burst, number][] = [[browse, 5], [office, 3], [mail, 4], [teams, 2], [sync, 2], [desktopTool, 1], [unlock, 1]];
const SERVICE_BURSTS: [Burst, number][] = [[windowsUpdate, 2], [defender, 1], [scheduled, 3], [kerberos, 4], [serviceConfig, 1], [agentCheckin, 2]];

/** Write benign activity until the actor holds at least `target` events. */
export function generateBackground(a: Actor, target: number): void {
  const sim = a.sim;
  const r = a.rng;
  const hostWeights = HOSTS.map((h) => (h.role === 'workstation' ? 1.4 : h.role === 'dc' ? 1.3 : 1));
  let guard = 0;
  while (a.events.length < target && guard++ < target * 4 + 1000) {
    const host = r.weighted(HOSTS, hostWeights);
    const boot = sim.boot(host);
    const lo = boot.boot + 15 * MINUTE;
    const hi = sim.windowEnd - 70 * MINUTE;
    if (hi <= lo) continue;
    const t = lo + Math.floor(r.next() * (hi - lo));
    const s = host.role === 'workstation' ? sim.sessionAt(host, t, 65 * MINUTE) : undefined;
    let burst: Burst;
    if (s && r.chance(0.7)) {
      const list = host.owner?.name === 'asmith' ? [...USER_BURSTS, [developer, 4] as [Burst, number]] : USER_BURSTS;
      burst = r.weighted(list.map((x) => x[0]), list.map((x) => x[1]));
    } else if (host.role === 'dc' || host.name === 'srv-file-01' || host.name === 'srv-print-01') {
      burst = r.chance(0.55) ? networkLogon : r.weighted(SERVICE_BURSTS.map((x) => x[0]), SERVICE_BURSTS.map((x) => x[1]));
    } else if (host.name === 'srv-app-02') {
      burst = r.chance(0.45) ? appServer : r.chance(0.08) ? backup : r.weighted(SERVICE_BURSTS.map((x) => x[0]), SERVICE_BURSTS.map((x) => x[1]));
    } else {
      burst = r.weighted(SERVICE_BURSTS.map((x) => x[0]), SERVICE_BURSTS.map((x) => x[1]));
    }
    burst(a, host, t, boot, s);
  }
}


