/**
 * The simulated estate: per-host process tables built at boot, interactive sessions,
 * and an `Actor` that performs operations on it, writing each as a document of the
 * host's own index family.
 */
import type { StoredEvent } from '../events/types';
import { defend } from './family-defend';
import { endgame } from './family-endgame';
import { authEvent } from './family-security';
import { integrationSysmon, winlogbeatSysmon } from './family-sysmon';
import {
  type AuthOp,
  type FamilyEmitter,
  type FileOp,
  type HostState,
  logonId,
  makeProc,
  type NetOp,
  type Proc,
  Recorder,
  type RegOp,
  type SpawnSpec,
} from './model';
import type { Rng } from './rng';
import { type DemoHost, type DemoUser, EXE, type Executable, HOSTS, USERS } from './world';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function emitterFor(host: DemoHost): FamilyEmitter {
  switch (host.family) {
    case 'defend':
      return defend;
    case 'winlogbeat':
      return winlogbeatSysmon;
    case 'sysmon':
      return integrationSysmon;
    case 'endgame':
      return endgame;
  }
}

export interface BootTree {
  boot: number;
  system: Proc;
  smss: Proc;
  csrss: Proc;
  wininit: Proc;
  services: Proc;
  lsass: Proc;
  winlogon: Proc;
  logonui: Proc;
  /** svchost instances by group */
  svchost: Record<string, Proc>;
  /** long-running services (spoolsv, MsMpEng, agents, role services) by short name */
  daemons: Record<string, Proc>;
}

export interface Session {
  host: DemoHost;
  user: DemoUser;
  start: number;
  /** null while still logged on at the end of the window */
  end: number | null;
  logonId: string;
  userinit: Proc;
  explorer: Proc;
  /** apps started at logon (outlook, teams, onedrive) by short name */
  apps: Record<string, Proc>;
}

export class Sim {
  readonly states = new Map<string, HostState>();
  readonly boots = new Map<string, BootTree>();
  readonly sessions = new Map<string, Session[]>();

  constructor(
    readonly now: number,
    /** first instant of the demo window */
    readonly windowStart: number,
    /** last instant any event may have */
    readonly windowEnd: number,
  ) {
    for (const h of HOSTS) {
      this.states.set(h.name, { host: h, nextUniquePid: 1000 + h.ip.length * 37 });
      this.sessions.set(h.name, []);
    }
  }

  state(host: DemoHost): HostState {
    const s = this.states.get(host.name);
    if (!s) throw new Error(`demo: no state for ${host.name}`);
    return s;
  }

  boot(host: DemoHost): BootTree {
    const b = this.boots.get(host.name);
    if (!b) throw new Error(`demo: ${host.name} has not booted`);
    return b;
  }

  sessionsOf(host: DemoHost): Session[] {
    return this.sessions.get(host.name) ?? [];
  }

  /** the session active at t (with margins), if any */
  sessionAt(host: DemoHost, t: number, margin = 2 * MINUTE): Session | undefined {
    return this.sessionsOf(host).find((s) => s.start + margin <= t && (s.end === null ? this.windowEnd : s.end) - margin >= t);
  }

  /**
   * A time inside one of the host's sessions and inside [from, to], preferring the
   * latest session; `lead` is how long after logon the time may start, `room` how long
   * the session must still last.
   */
  sessionTime(host: DemoHost, from: number, to: number, lead: number, room: number, rng: Rng): { session: Session; t: number } | undefined {
    const list = [...this.sessionsOf(host)].reverse();
    for (const s of list) {
      const end = s.end ?? this.windowEnd;
      const lo = Math.max(s.start + lead, from);
      const hi = Math.min(end - room, to);
      if (hi >= lo) return { session: s, t: lo + Math.floor(rng.next() * Math.min(hi - lo, 2 * HOUR)) };
    }
    return undefined;
  }
}

/** Performs operations for one stream (its own Rng and Recorder). */
export class Actor {
  readonly rec: Recorder;

  constructor(
    readonly sim: Sim,
    readonly rng: Rng,
    idRng: Rng,
  ) {
    this.rec = new Recorder(idRng);
  }

  get events(): StoredEvent[] {
    return this.rec.events;
  }

  private em(host: DemoHost): FamilyEmitter {
    return emitterFor(host);
  }

  /** start a process under `parent` (or as a root on `host`) and record its start event */
  spawn(host: DemoHost, parent: Proc | null, t: number, spec: SpawnSpec): { proc: Proc; ev: StoredEvent } {
    const proc = makeProc(this.rng, this.em(host), this.sim.state(host), parent, t, spec);
    const ev = this.rec.add(this.em(host).processStart(this.rng, proc, t));
    return { proc, ev };
  }

  /** shorthand: spawn and return the process */
  run(parent: Proc, t: number, exe: Executable, commandLine?: string, extra: Omit<SpawnSpec, 'exe' | 'commandLine'> = {}): Proc {
    return this.spawn(parent.host, parent, t, { exe, commandLine, ...extra }).proc;
  }

  end(p: Proc, t: number): StoredEvent {
    return this.rec.add(this.em(p.host).processEnd(this.rng, p, t));
  }

  file(p: Proc, t: number, op: FileOp): StoredEvent {
    return this.rec.add(this.em(p.host).file(this.rng, p, t, op));
  }

  create(p: Proc, t: number, path: string, extra: Omit<FileOp, 'path' | 'action'> = {}): StoredEvent {
    return this.file(p, t, { path, action: 'creation', size: extra.size ?? this.rng.int(800, 900_000), ...extra });
  }

  remove(p: Proc, t: number, path: string): StoredEvent {
    return this.file(p, t, { path, action: 'deletion' });
  }

  net(p: Proc, t: number, op: Omit<NetOp, 'srcIp' | 'srcPort'> & { srcIp?: string; srcPort?: number }): StoredEvent {
    return this.rec.add(
      this.em(p.host).network(this.rng, p, t, {
        srcIp: op.srcIp ?? p.host.ip,
        srcPort: op.srcPort ?? this.rng.int(49152, 65535),
        ...op,
      }),
    );
  }

  /** outbound TCP connection */
  connect(p: Proc, t: number, dstIp: string, dstPort: number): StoredEvent {
    return this.net(p, t, { dstIp, dstPort, transport: 'tcp', direction: 'egress' });
  }

  dns(p: Proc, t: number, name: string, answers: string[]): StoredEvent {
    return this.rec.add(this.em(p.host).dns(this.rng, p, t, { name, answers }));
  }

  reg(p: Proc, t: number, op: RegOp): StoredEvent {
    return this.rec.add(this.em(p.host).registry(this.rng, p, t, op));
  }

  load(p: Proc, t: number, dllPath: string): StoredEvent {
    return this.rec.add(this.em(p.host).imageLoad(this.rng, p, t, dllPath));
  }

  auth(host: DemoHost, t: number, op: AuthOp): StoredEvent {
    return this.rec.add(authEvent(this.rng, host, t, op));
  }
}

const SVCHOST_GROUPS: [string, DemoUser][] = [
  ['DcomLaunch -p', USERS.system],
  ['RPCSS -p', USERS.networkService],
  ['netsvcs -p', USERS.system],
  ['LocalServiceNetworkRestricted -p', USERS.localService],
  ['NetworkService -p', USERS.networkService],
  ['Schedule -p', USERS.system],
];

/** Boot a host: the Windows start-up process tree plus its services and agents. */
export function bootHost(a: Actor, host: DemoHost, t0: number): BootTree {
  const r = a.rng;
  const step = () => r.int(150, 1400);
  // processes started at boot get the low pids Windows hands out first
  let lowPid = 260 + r.int(0, 20) * 4;
  const pid = () => (lowPid += r.int(1, 30) * 4);
  let t = t0;
  const system = a.spawn(host, null, t, { exe: EXE.system, commandLine: '', pid: 4, user: USERS.system }).proc;
  const smss = a.spawn(host, system, (t += step()), { exe: EXE.smss, commandLine: '\\SystemRoot\\System32\\smss.exe', pid: pid() }).proc;
  const autochk = a.run(smss, (t += step()), EXE.autochk, '\\??\\C:\\Windows\\system32\\autochk.exe *', { pid: pid() });
  a.end(autochk, (t += 2500 + step()));
  a.create(smss, (t += step()), 'C:\\pagefile.sys', { size: 4_294_967_296 });
  if (host.role === 'workstation') a.create(smss, (t += step()), 'C:\\swapfile.sys', { size: 268_435_456 });

  const smss0 = a.run(smss, (t += step()), EXE.smss, '\\SystemRoot\\System32\\smss.exe 000000b0 00000084', { pid: pid() });
  const csrss = a.run(smss0, (t += step()), EXE.csrss,
    '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16', { pid: pid() });
  const wininit = a.run(smss0, (t += step()), EXE.wininit, 'wininit.exe', { pid: pid() });
  a.end(smss0, (t += step()));
  const smss1 = a.run(smss, (t += step()), EXE.smss, '\\SystemRoot\\System32\\smss.exe 000000c4 00000084', { sessionId: 1, pid: pid() });
  a.run(smss1, (t += step()), EXE.csrss, csrss.commandLine, { sessionId: 1, pid: pid() });
  const winlogon = a.run(smss1, (t += step()), EXE.winlogon, 'winlogon.exe', { sessionId: 1, pid: pid() });
  a.end(smss1, (t += step()));

  const services = a.run(wininit, (t += step()), EXE.services, 'C:\\Windows\\system32\\services.exe', { pid: pid() });
  const lsass = a.run(wininit, (t += step()), EXE.lsass, 'C:\\Windows\\system32\\lsass.exe', { pid: pid() });
  a.run(wininit, (t += step()), EXE.fontdrvhost, '"fontdrvhost.exe"', { user: { ...USERS.system, name: 'UMFD-0', domain: 'Font Driver Host', id: 'S-1-5-96-0-0' }, integrity: 'low' });
  const logonui = a.run(winlogon, (t += step()), EXE.logonui, '"LogonUI.exe" /flags:0x2 /state0:0xa3b92855 /state1:0x41c64e6d', { sessionId: 1 });
  a.run(winlogon, (t += step()), EXE.dwm, '"dwm.exe"', { user: USERS.dwm, sessionId: 1 });
  a.create(logonui, (t += step()), `C:\\ProgramData\\Microsoft\\Windows\\Caches\\{17A6A947-B905-4BCC-B73E-0DCE8A9B1A2E}.3.ver0x000000000000000${r.int(1, 9)}.db`, { size: 4096 });

  const svchost: Record<string, Proc> = {};
  for (const [group, user] of SVCHOST_GROUPS) {
    svchost[group.split(' ')[0] ?? group] = a.run(services, (t += step()), EXE.svchost, `C:\\Windows\\system32\\svchost.exe -k ${group}`, { user, pid: pid() });
  }
  const daemons: Record<string, Proc> = {};
  daemons.msmpeng = a.run(services, (t += step()), EXE.msmpeng, `"${EXE.msmpeng.path}"`);
  if (host.role !== 'dc') daemons.spoolsv = a.run(services, (t += step()), EXE.spoolsv, 'C:\\Windows\\System32\\spoolsv.exe');
  switch (host.family) {
    case 'defend': {
      daemons.agent = a.run(services, (t += step()), EXE.elasticAgent, `"${EXE.elasticAgent.path}"`);
      daemons.endpoint = a.run(services, (t += step()), EXE.elasticEndpoint, `"${EXE.elasticEndpoint.path}"`);
      break;
    }
    case 'sysmon': {
      daemons.agent = a.run(services, (t += step()), EXE.elasticAgent, `"${EXE.elasticAgent.path}"`);
      daemons.sysmon = a.run(services, (t += step()), EXE.sysmon, 'C:\\Windows\\Sysmon64.exe');
      break;
    }
    case 'winlogbeat': {
      daemons.sysmon = a.run(services, (t += step()), EXE.sysmon, 'C:\\Windows\\Sysmon64.exe');
      daemons.agent = a.run(services, (t += step()), EXE.winlogbeat, `"${EXE.winlogbeat.path}" --environment=windows_service -c "C:\\ProgramData\\Winlogbeat\\winlogbeat.yml" --path.home "C:\\Program Files\\Winlogbeat" --path.data "C:\\ProgramData\\Winlogbeat"`);
      break;
    }
    case 'endgame': {
      daemons.agent = a.run(services, (t += step()), EXE.esensor, `"${EXE.esensor.path}" -k esensor`);
      break;
    }
  }
  if (host.role === 'dc') {
    daemons.dns = a.run(services, (t += step()), EXE.dns, 'C:\\Windows\\system32\\dns.exe');
    daemons.dfsrs = a.run(services, (t += step()), EXE.dfsrs, 'C:\\Windows\\system32\\DFSRs.exe');
  }
  if (host.name === 'srv-app-02') {
    daemons.sqlservr = a.run(services, (t += step()), EXE.sqlservr, `"${EXE.sqlservr.path}" -sMSSQLSERVER`, { user: USERS.svcSql, integrity: 'high', logonId: logonId(r) });
    a.auth(host, t + 40, { code: 4624, user: USERS.svcSql, logonType: 5, logonId: daemons.sqlservr.logonId, process: services });
    daemons.w3wp = a.run(svchost.netsvcs!, (t += step()), EXE.w3wp, 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "AcmePortal" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm5c0e1f2a -h "C:\\inetpub\\temp\\apppools\\AcmePortal\\AcmePortal.config" -w "" -m 0', { user: { name: 'AcmePortal', domain: 'IIS APPPOOL', id: 'S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415', fullName: 'AcmePortal', kind: 'service' }, integrity: 'high' });
  }
  daemons.searchIndexer = a.run(services, (t += step()), EXE.searchIndexer, 'C:\\Windows\\system32\\SearchIndexer.exe /Embedding');
  a.auth(host, t0 + 9000, { code: 4624, user: USERS.system, logonType: 5, logonId: '0x3e7', process: services });
  a.auth(host, t0 + 9050, { code: 4672, user: USERS.system, logonType: 5, logonId: '0x3e7' });
  const tree: BootTree = { boot: t0, system, smss, csrss, wininit, services, lsass, winlogon, logonui, svchost, daemons };
  a.sim.boots.set(host.name, tree);
  return tree;
}

/** An interactive logon on a workstation (or RDP on a server) with its start-up apps. */
export function logOn(a: Actor, host: DemoHost, user: DemoUser, start: number, end: number | null, logonType = 2): Session {
  const r = a.rng;
  const boot = a.sim.boot(host);
  const lid = logonId(r);
  let t = start;
  a.auth(host, t, { code: 4624, user, logonType, logonId: lid, process: boot.winlogon, authPackage: 'Kerberos' });
  if (user.kind === 'admin') a.auth(host, t + 5, { code: 4672, user, logonType, logonId: lid });
  const userinit = a.run(boot.winlogon, (t += r.int(900, 2500)), EXE.userinit, 'C:\\Windows\\system32\\userinit.exe', {
    user,
    integrity: 'medium',
    logonId: lid,
    sessionId: 1,
    workingDirectory: `C:\\Users\\${user.name}\\`,
  });
  const explorer = a.run(userinit, (t += r.int(400, 1500)), EXE.explorer, 'C:\\Windows\\Explorer.EXE');
  a.end(userinit, start + 8_000 + r.int(0, 2_000));
  const apps: Record<string, Proc> = {};
  if (host.role === 'workstation') {
    apps.onedrive = a.run(explorer, (t += r.int(3000, 9000)), EXE.onedrive, `"${EXE.onedrive.path}" /background`);
    apps.teams = a.run(explorer, (t += r.int(2000, 9000)), EXE.teams, `"${EXE.teams.path}" msteams:system-initiated`);
    apps.outlook = a.run(explorer, (t += r.int(20_000, 300_000)), EXE.outlook, `"${EXE.outlook.path}" `);
    a.reg(apps.onedrive, t + r.int(1000, 5000), {
      path: `HKU\\${user.id}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDrive`,
      data: `"${EXE.onedrive.path}" /background`,
      dataType: 'REG_SZ',
    });
  }
  const session: Session = { host, user, start, end, logonId: lid, userinit, explorer, apps };
  a.sim.sessionsOf(host).push(session);
  if (end !== null) {
    let te = end - 20_000;
    for (const p of Object.values(apps)) a.end(p, (te += r.int(200, 3000)));
    a.end(explorer, (te += r.int(500, 3000)));
    a.auth(host, end, { code: 4634, user, logonType, logonId: lid });
  }
  return session;
}

/** Boot every host and log the workstation owners on for each working day of the window. */
export function buildBase(a: Actor): void {
  const sim = a.sim;
  const r = a.rng;
  for (const host of HOSTS) {
    const t0 = sim.windowStart + Math.round(host.bootAfterHours * HOUR) + r.int(0, 120_000);
    bootHost(a, host, t0);
  }
  for (const host of HOSTS) {
    if (host.role !== 'workstation' || !host.owner) continue;
    const boot = sim.boot(host);
    const firstDay = Math.floor(sim.windowStart / DAY) * DAY;
    for (let day = firstDay; day < sim.windowEnd; day += DAY) {
      let start = day + 8 * HOUR + r.int(-45, 60) * MINUTE;
      let end: number | null = day + 17 * HOUR + r.int(0, 120) * MINUTE;
      if (end <= boot.boot + 30 * MINUTE) continue;
      if (start < boot.boot + 3 * MINUTE) start = boot.boot + 3 * MINUTE + r.int(0, 600_000);
      if (start >= sim.windowEnd - 30 * MINUTE) continue;
      if (end >= sim.windowEnd) end = null;
      logOn(a, host, host.owner, start, end, 2);
    }
  }
}
