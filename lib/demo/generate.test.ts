import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../events/types';
import { DEFAULT_DEMO_EVENTS, DEMO_INDEX_NAMES, DEMO_INDICES, type DemoDataSet, generateDemoData, streamDemoData } from './generate';
import { seedRuleClauses, seedRuleWouldMatch } from './rule-fields';

const NOW = new Date('2026-11-28T00:00:00.000Z');
const HOUR = 3_600_000;

function get(ev: StoredEvent, path: string): unknown {
  let cur: unknown = ev._source;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}
const str = (ev: StoredEvent, path: string): string | undefined => {
  const v = get(ev, path);
  return typeof v === 'string' ? v : undefined;
};
const time = (ev: StoredEvent): number => Date.parse(str(ev, '@timestamp') ?? '');
const key = (r: { _index: string; _id: string }) => `${r._index}/${r._id}`;

let data: DemoDataSet;
let byKey: Map<string, StoredEvent>;

beforeAll(() => {
  data = generateDemoData({ now: NOW });
  byKey = new Map(data.events.map((e) => [key(e), e]));
});

describe('determinism', () => {
  it('gives the same documents and ids for the same seed and now', () => {
    const a = generateDemoData({ now: NOW, seed: 7, events: 1500 });
    const b = generateDemoData({ now: NOW, seed: 7, events: 1500 });
    expect(b.events).toEqual(a.events);
    expect(b.stories).toEqual(a.stories);
  });

  it('differs for another seed', () => {
    const a = generateDemoData({ now: NOW, seed: 7, events: 1500 });
    const b = generateDemoData({ now: NOW, seed: 8, events: 1500 });
    const idsA = new Set(a.events.map((e) => e._id));
    expect(b.events.filter((e) => idsA.has(e._id))).toHaveLength(0);
    expect(b.stories.map((s) => s.mustFire[0]?._id)).not.toEqual(a.stories.map((s) => s.mustFire[0]?._id));
  });

  it('keeps story ids when only the background size changes', () => {
    const small = generateDemoData({ now: NOW, seed: 7, events: 1000 });
    const large = generateDemoData({ now: NOW, seed: 7, events: 3000 });
    expect(large.events.length).toBeGreaterThan(small.events.length + 1000);
    expect(large.stories).toEqual(small.stories);
  });

  it('describes story key events the same way for any seed and now (for e2e checks)', () => {
    const other = generateDemoData({ now: new Date('2027-03-01T13:30:00.000Z'), seed: 99, events: 800 });
    const view = (d: DemoDataSet) =>
      d.stories.map((s) => ({
        id: s.id,
        expected: s.expected,
        host: s.host,
        fire: s.mustFire.map((r) => [r.processName, r.filePath]),
        quiet: s.mustNotFire.map((r) => [r.processName, r.filePath]),
      }));
    expect(view(other)).toEqual(view(data));
    const fires = (id: string) => data.stories.find((s) => s.id === id)?.mustFire.map((r) => [r.processName, r.filePath]);
    expect(fires('lsass-ssp-dll')).toEqual([['lsass.exe', 'C:\\Windows\\System32\\mspsync.dll']]);
    expect(fires('logon-script-first-stage')).toEqual([
      ['userinit.exe', 'C:\\Users\\jdoe\\AppData\\Local\\Microsoft\\WindowsApps\\AcroRdUpd.exe'],
      ['userinit.exe', 'C:\\Users\\jdoe\\AppData\\Local\\Microsoft\\WindowsApps\\sqlite3.dll'],
    ]);
    expect(fires('services-lateral-movement')).toEqual([['services.exe', 'C:\\Windows\\fshelper.exe']]);
    expect(fires('services-second-service')).toEqual([['services.exe', 'C:\\Windows\\System32\\wsyncsvc.exe']]);
  });

  it('streams a large set in time-ordered chunks with ids unique across chunks', () => {
    const stream = streamDemoData({ now: NOW, seed: 7, events: 2500, chunkSize: 600 });
    const chunks = [...stream.chunks()];
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const ids = new Set<string>();
    let total = 0;
    for (const chunk of chunks) {
      for (let i = 1; i < chunk.length; i++) expect(time(chunk[i]!)).toBeGreaterThanOrEqual(time(chunk[i - 1]!));
      for (const e of chunk) ids.add(key(e));
      total += chunk.length;
    }
    expect(ids.size).toBe(total);
    expect(Math.abs(total - 2500)).toBeLessThan(150);
    // stories do not depend on how the background is chunked
    expect(stream.stories).toEqual(generateDemoData({ now: NOW, seed: 7, events: 2500 }).stories);
  });

  it('builds every story, true positives within 48 hours, whatever the time of day of now', () => {
    for (let i = 0; i < 12; i++) {
      const now = new Date(Date.UTC(2026, 10, 20) + i * 133 * 60_000 + i * 7_000);
      const d = generateDemoData({ now, events: 0, seed: i });
      expect(d.stories.map((x) => x.id)).toEqual(data.stories.map((x) => x.id));
      for (const st of d.stories.filter((x) => x.expected === 'alert')) {
        expect(Date.parse(st.at), `${st.id} @ ${now.toISOString()}`).toBeGreaterThan(now.getTime() - 48 * HOUR);
      }
      expect(new Set(d.events.filter(seedRuleWouldMatch).map(key))).toEqual(new Set(d.stories.flatMap((x) => x.mustFire.map(key))));
      // related alerts: the SSP write and the second service come after earlier true positives on their host
      const at = (id: string, i = 0) => Date.parse(str(d.events.find((e) => key(e) === key(d.stories.find((x) => x.id === id)!.mustFire[i]!))!, '@timestamp') ?? '');
      expect(at('lsass-ssp-dll') - at('logon-script-first-stage', 1), now.toISOString()).toBeGreaterThan(0);
      expect(at('lsass-ssp-dll') - at('logon-script-first-stage', 0), now.toISOString()).toBeLessThan(48 * HOUR);
      expect(at('services-second-service') - at('services-lateral-movement'), now.toISOString()).toBeGreaterThanOrEqual(20 * 60_000);
    }
  });

  it('rejects bad options with a clear message', () => {
    expect(() => generateDemoData({ now: new Date('nope') })).toThrow(/now/);
    expect(() => generateDemoData({ now: NOW, seed: -1 })).toThrow(/seed/);
    expect(() => generateDemoData({ now: NOW, events: 1.5 })).toThrow(/events/);
  });
});

describe('the data set', () => {
  it('has the default size, unique ids and only demo indices', () => {
    expect(data.events.length).toBeGreaterThanOrEqual(5_000);
    expect(data.events.length).toBeLessThanOrEqual(10_000);
    expect(Math.abs(data.events.length - DEFAULT_DEMO_EVENTS)).toBeLessThan(200);
    expect(byKey.size).toBe(data.events.length);
    for (const e of data.events) expect(DEMO_INDEX_NAMES).toContain(e._index);
    for (const family of ['winlogbeat-demo', 'logs-endpoint.events.file-demo', 'logs-windows.sysmon_operational-demo', 'endgame-demo', 'logs-system.security-demo']) {
      expect(data.counts[family] ?? 0).toBeGreaterThan(50);
    }
  });

  it('spreads timestamps over the ~3 days before now, in order', () => {
    const times = data.events.map(time);
    expect(times.every(Number.isFinite)).toBe(true);
    const min = Math.min(...times);
    const max = Math.max(...times);
    expect(min).toBeGreaterThanOrEqual(NOW.getTime() - 72 * HOUR);
    expect(max).toBeLessThanOrEqual(NOW.getTime() - 5 * 60_000);
    expect(max - min).toBeGreaterThan(60 * HOUR);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    for (const e of data.events) {
      const ing = str(e, 'event.ingested');
      if (ing !== undefined) expect(Date.parse(ing)).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  it('covers 5–8 hosts and several kinds of users', () => {
    const hosts = new Set(data.events.map((e) => str(e, 'host.name')));
    expect(hosts.size).toBeGreaterThanOrEqual(5);
    expect(hosts.size).toBeLessThanOrEqual(8);
    const users = new Set(data.events.map((e) => str(e, 'user.name')).filter(Boolean));
    for (const u of ['jdoe', 'mlopez', 'adm.kwilson', 'svc_backup', 'svc_sql', 'SYSTEM']) expect(users).toContain(u);
  });

  it('has process, file, network, DNS, registry and authentication events', () => {
    const cats = new Set<string>();
    for (const e of data.events) for (const c of [get(e, 'event.category')].flat()) if (typeof c === 'string') cats.add(c);
    for (const c of ['process', 'file', 'network', 'registry', 'authentication', 'library', 'iam']) expect(cats).toContain(c);
    expect(data.events.some((e) => typeof get(e, 'dns.question.name') === 'string')).toBe(true);
    const codes = new Set(data.events.filter((e) => str(e, 'winlog.channel') === 'Security').map((e) => str(e, 'event.code')));
    for (const c of ['4624', '4625', '4634', '4672']) expect(codes).toContain(c);
  });

  it('has event.ingested on some documents and not on others', () => {
    const withIt = data.events.filter((e) => get(e, 'event.ingested') !== undefined);
    expect(withIt.length).toBeGreaterThan(1000);
    expect(data.events.length - withIt.length).toBeGreaterThan(1000);
  });
});

describe('process trees', () => {
  /** entity ids started per (index family, host) */
  function starts(): Map<string, StoredEvent> {
    const m = new Map<string, StoredEvent>();
    for (const e of data.events) {
      const cat = [get(e, 'event.category')].flat();
      const type = [get(e, 'event.type')].flat();
      if (cat.includes('process') && type.includes('start')) {
        const id = str(e, 'process.entity_id');
        expect(id, `process start without entity id: ${key(e)}`).toBeTruthy();
        m.set(`${family(e)}|${str(e, 'host.name')}|${id}`, e);
      }
    }
    return m;
  }
  function family(e: StoredEvent): string {
    if (e._index.startsWith('logs-endpoint.events.')) return 'defend';
    return e._index;
  }

  it('resolves every parent entity id (the only roots are System processes)', () => {
    const m = starts();
    let roots = 0;
    for (const e of m.values()) {
      const parent = str(e, 'process.parent.entity_id');
      if (parent === undefined) {
        roots++;
        expect(str(e, 'process.name') ?? str(e, 'process.executable')).toBe('System');
        continue;
      }
      expect(m.has(`${family(e)}|${str(e, 'host.name')}|${parent}`), `unresolved parent of ${key(e)}`).toBe(true);
    }
    expect(roots).toBeGreaterThanOrEqual(5);
  });

  it('gives every event of a process a start event, with a consistent pid and executable', () => {
    const m = starts();
    for (const e of data.events) {
      const id = str(e, 'process.entity_id');
      if (id === undefined) continue;
      const start = m.get(`${family(e)}|${str(e, 'host.name')}|${id}`);
      expect(start, `no start for ${key(e)}`).toBeDefined();
      expect(get(e, 'process.pid')).toBe(get(start!, 'process.pid'));
      expect(get(e, 'process.executable')).toBe(get(start!, 'process.executable'));
      expect(time(e)).toBeGreaterThanOrEqual(time(start!));
    }
  });

  it("keeps Defend's ancestry in line with the parent link, with hashes and signatures", () => {
    const procs = data.events.filter((e) => e._index === DEMO_INDICES.defendProcess && str(e, 'event.action') === 'start');
    expect(procs.length).toBeGreaterThan(100);
    for (const e of procs) {
      const anc = get(e, 'process.Ext.ancestry');
      expect(Array.isArray(anc)).toBe(true);
      const parent = str(e, 'process.parent.entity_id');
      if (parent) expect((anc as unknown[])[0]).toBe(parent);
      if (str(e, 'process.name') !== 'System') expect(str(e, 'process.hash.sha256')).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof get(e, 'process.code_signature.exists')).toBe('boolean');
      expect(typeof get(e, 'process.command_line')).toBe('string');
    }
  });
});

describe('field shapes per family', () => {
  const sample = (index: string) => data.events.filter((e) => e._index === index);

  it('Elastic Defend', () => {
    for (const index of [DEMO_INDICES.defendFile, DEMO_INDICES.defendProcess, DEMO_INDICES.defendNetwork, DEMO_INDICES.defendRegistry]) {
      const evs = sample(index);
      expect(evs.length).toBeGreaterThan(0);
      for (const e of evs) {
        expect(get(e, 'agent.type')).toBe('endpoint');
        expect(get(e, 'event.module')).toBe('endpoint');
        expect(`logs-${str(e, 'data_stream.dataset')}-${str(e, 'data_stream.namespace')}`).toBe(index);
        expect(Array.isArray(get(e, 'event.category'))).toBe(true);
        expect(Array.isArray(get(e, 'event.type'))).toBe(true);
        expect(get(e, 'host.os.type')).toBe('windows');
        expect(str(e, 'event.ingested')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(str(e, '@timestamp')).toMatch(/\.\d{7}Z$/);
        expect(typeof get(e, 'user.id')).toBe('string');
        expect(typeof get(e, 'process.entity_id')).toBe('string');
        const anc = get(e, 'process.Ext.ancestry');
        if (Array.isArray(anc) && anc.length > 0) expect(get(e, 'process.parent.entity_id')).toBe(anc[0]);
      }
    }
    const peWrites = sample(DEMO_INDICES.defendFile).filter((e) => /^(exe|dll)$/i.test(str(e, 'file.extension') ?? '') && str(e, 'event.action') === 'creation');
    expect(peWrites.length).toBeGreaterThan(3);
    for (const e of peWrites) expect(str(e, 'file.Ext.header_bytes')).toMatch(/^4d5a/);
  });

  it('Winlogbeat (Sysmon and Security)', () => {
    const evs = sample(DEMO_INDICES.winlogbeat);
    for (const e of evs) {
      expect(get(e, 'agent.type')).toBe('winlogbeat');
      expect(get(e, 'event.ingested')).toBeUndefined();
      expect(get(e, 'data_stream')).toBeUndefined();
      expect(typeof get(e, 'winlog.event_id')).toBe('string');
      expect(typeof get(e, 'winlog.record_id')).toBe('string');
      expect(['Microsoft-Windows-Sysmon/Operational', 'Security']).toContain(get(e, 'winlog.channel'));
      expect(['sysmon', 'security']).toContain(get(e, 'event.module'));
      expect(get(e, 'event.code')).toBe(get(e, 'winlog.event_id'));
    }
    const creates = evs.filter((e) => get(e, 'event.code') === '11');
    expect(creates.length).toBeGreaterThan(0);
    for (const e of creates) {
      expect(get(e, 'winlog.event_data.TargetFilename')).toBe(get(e, 'file.path'));
      expect(get(e, 'event.category')).toEqual(['file']);
      expect(get(e, 'event.type')).toEqual(['creation']);
    }
    // one host ships without add_host_metadata
    expect(evs.some((e) => get(e, 'host.os') === undefined)).toBe(true);
    expect(evs.some((e) => get(e, 'host.os.type') === 'windows')).toBe(true);
  });

  it('Windows integration Sysmon', () => {
    const evs = sample(DEMO_INDICES.sysmon);
    expect(evs.length).toBeGreaterThan(0);
    for (const e of evs) {
      expect(get(e, 'data_stream.dataset')).toBe('windows.sysmon_operational');
      expect(get(e, 'event.dataset')).toBe('windows.sysmon_operational');
      expect(typeof get(e, 'event.ingested')).toBe('string');
      expect(get(e, 'winlog.channel')).toBe('Microsoft-Windows-Sysmon/Operational');
      expect(get(e, 'host.os.type')).toBe('windows');
      const id = str(e, 'process.entity_id');
      if (id) expect(id).toMatch(/^\{[0-9A-F-]+\}$/);
    }
  });

  it('Endgame', () => {
    const evs = sample(DEMO_INDICES.endgame);
    expect(evs.length).toBeGreaterThan(0);
    let prev = 0;
    for (const e of evs) {
      expect(get(e, 'event.module')).toBe('endgame');
      expect(get(e, 'agent.type')).toBe('endgame');
      expect(typeof get(e, 'event.category')).toBe('string');
      expect(get(e, 'event.ingested')).toBeUndefined();
      expect(typeof get(e, 'endgame.event_subtype_full')).toBe('string');
      expect(typeof get(e, 'endgame.unique_pid')).toBe('number');
      const serial = get(e, 'endgame.serial_event_id');
      expect(typeof serial).toBe('number');
      expect(serial as number).toBeGreaterThan(prev);
      prev = serial as number;
      expect(get(e, 'host.os.type')).toBe('windows');
    }
  });

  it('System integration security', () => {
    const evs = sample(DEMO_INDICES.security);
    for (const e of evs) {
      expect(get(e, 'data_stream.dataset')).toBe('system.security');
      expect(['4624', '4625', '4634', '4672']).toContain(get(e, 'event.code'));
      expect(get(e, 'winlog.channel')).toBe('Security');
      expect(typeof get(e, 'event.ingested')).toBe('string');
      if (get(e, 'event.code') === '4624') expect(typeof get(e, 'winlog.logon.type')).toBe('string');
    }
  });
});

describe('stories', () => {
  it('has at least three true positives and several near misses', () => {
    expect(data.stories.filter((s) => s.expected === 'alert').length).toBeGreaterThanOrEqual(3);
    expect(data.stories.filter((s) => s.expected === 'near-miss').length).toBeGreaterThanOrEqual(4);
    for (const s of data.stories) {
      if (s.expected === 'alert') expect(s.mustFire.length).toBeGreaterThan(0);
      else expect(s.mustFire).toHaveLength(0);
      expect(s.mustNotFire.length + s.mustFire.length).toBeGreaterThan(0);
      for (const r of [...s.mustFire, ...s.mustNotFire, ...s.events]) expect(byKey.has(key(r)), `${s.id}: ${key(r)}`).toBe(true);
      for (const r of s.mustFire) expect(str(byKey.get(key(r))!, 'host.name')).toBe(s.host);
    }
  });

  it('puts a true positive in every index family of the rule', () => {
    const fired = data.stories.flatMap((s) => s.mustFire.map((r) => r._index));
    for (const index of [DEMO_INDICES.winlogbeat, DEMO_INDICES.defendFile, DEMO_INDICES.sysmon, DEMO_INDICES.endgame]) expect(fired).toContain(index);
  });

  it('places the true positives within the last 48 hours', () => {
    for (const s of data.stories.filter((x) => x.expected === 'alert')) {
      const at = Date.parse(s.at);
      expect(at).toBeGreaterThan(NOW.getTime() - 48 * HOUR);
      expect(at).toBeLessThan(NOW.getTime());
    }
  });

  it('sets every field the rule tests on the true positives', () => {
    for (const s of data.stories) {
      for (const r of s.mustFire) {
        expect(seedRuleClauses(byKey.get(key(r))!), `${s.id} ${key(r)}`).toEqual({
          index: true, category: true, hostOsType: true, notDeletion: true, extension: true, processName: true,
        });
      }
    }
  });

  it('has true positives both with and without event.ingested', () => {
    const fires = data.stories.flatMap((s) => s.mustFire.map((r) => byKey.get(key(r))!));
    expect(fires.some((e) => get(e, 'event.ingested') === undefined)).toBe(true);
    expect(fires.some((e) => typeof get(e, 'event.ingested') === 'string')).toBe(true);
  });

  it('makes each near miss fail the rule for its stated reason', () => {
    const reason = (id: string) => {
      const s = data.stories.find((x) => x.id === id);
      expect(s, id).toBeDefined();
      return s!.mustNotFire.map((r) => seedRuleClauses(byKey.get(key(r))!));
    };
    for (const c of reason('ppldump-services-dmp')) expect(c).toMatchObject({ processName: true, extension: false, hostOsType: true });
    for (const c of reason('python-writes-system-names')) expect(c).toMatchObject({ processName: false, category: true, hostOsType: true });
    for (const c of reason('no-host-os-type')) expect(c).toEqual({ index: true, category: true, hostOsType: false, notDeletion: true, extension: true, processName: true });
    for (const c of reason('lsass-image-load-sysmon')) expect(c).toMatchObject({ category: false, processName: true, extension: true });
    const psexec = reason('admin-psexec-dc');
    expect(psexec.some((c) => !c.notDeletion && c.processName && c.extension && c.category)).toBe(true);
    expect(psexec.some((c) => !c.processName && c.extension && c.notDeletion)).toBe(true);
  });

  it('lists exactly the events the rule clauses select (the background never fires)', () => {
    const expected = new Set(data.stories.flatMap((s) => s.mustFire.map(key)));
    const matched = new Set(data.events.filter(seedRuleWouldMatch).map(key));
    expect(matched).toEqual(expected);
    for (const s of data.stories) for (const r of s.mustNotFire) expect(matched.has(key(r))).toBe(false);
  });

  it('precedes the lateral-movement write with a network logon from the first victim', () => {
    const s = data.stories.find((x) => x.id === 'services-lateral-movement')!;
    const fire = byKey.get(key(s.mustFire[0]!))!;
    const logons = data.events.filter(
      (e) => str(e, 'host.name') === 'srv-file-01' && get(e, 'event.code') === '4624' && get(e, 'winlog.logon.type') === 'Network' && get(e, 'source.ip') === '10.20.1.21',
    );
    expect(logons.some((e) => time(e) < time(fire) && time(fire) - time(e) < 60_000)).toBe(true);
    expect(logons.some((e) => str(e, 'user.name') === 'adm.kwilson')).toBe(true);
    // logons after the alert on the same host
    expect(data.events.some((e) => str(e, 'host.name') === 'srv-file-01' && get(e, 'event.code') === '4624' && time(e) > time(fire) + HOUR)).toBe(true);
  });

  it('surrounds each true positive with network, DNS, registry and child-process activity on the same host', () => {
    for (const s of data.stories.filter((x) => x.expected === 'alert' && x.id !== 'smss-wpbbin-boot')) {
      const evs = s.events.map((r) => byKey.get(key(r))!);
      const cats = new Set(evs.flatMap((e) => [get(e, 'event.category')].flat()));
      expect(cats, s.id).toContain('network');
      expect(cats, s.id).toContain('registry');
      expect(cats, s.id).toContain('process');
      expect(evs.some((e) => typeof get(e, 'dns.question.name') === 'string'), s.id).toBe(true);
    }
  });

  it('gives true positives earlier true positives on the same host, user or process within 48 hours (related alerts)', () => {
    const fireEvents = (id: string) => data.stories.find((s) => s.id === id)!.mustFire.map((r) => byKey.get(key(r))!);
    const [fshelper] = fireEvents('services-lateral-movement');
    const [wsync] = fireEvents('services-second-service');
    // same host, same services.exe process entity, 20-40 minutes later
    expect(str(wsync!, 'host.name')).toBe('srv-file-01');
    expect(str(wsync!, 'process.entity_id')).toBeTruthy();
    expect(str(wsync!, 'process.entity_id')).toBe(str(fshelper!, 'process.entity_id'));
    expect(time(wsync!) - time(fshelper!)).toBeGreaterThanOrEqual(20 * 60_000);
    expect(time(wsync!) - time(fshelper!)).toBeLessThanOrEqual(41 * 60_000);
    // the first stage: two userinit.exe writes as jdoe, then lsass.exe's SSP on the same host
    const [loader, sqlite] = fireEvents('logon-script-first-stage');
    const [ssp] = fireEvents('lsass-ssp-dll');
    for (const e of [loader!, sqlite!]) {
      expect(str(e, 'host.name')).toBe('ws-fin-01');
      expect(str(e, 'user.name')).toBe('jdoe');
      expect(str(e, 'process.entity_id')).toBe(str(loader!, 'process.entity_id'));
      expect(time(e)).toBeLessThan(time(ssp!));
      expect(time(e)).toBeGreaterThan(time(ssp!) - 48 * HOUR);
    }
    expect(time(sqlite!)).toBeGreaterThan(time(loader!));
    expect(str(ssp!, 'user.name')).toBe('SYSTEM');
    // at least three true positives have an earlier true positive on their host in the 48 hours before
    const all = data.stories.filter((s) => s.expected === 'alert').flatMap((s) => s.mustFire.map((r) => byKey.get(key(r))!));
    const withRelated = all.filter((e) => all.some((o) => o !== e && str(o, 'host.name') === str(e, 'host.name') && time(o) <= time(e) && time(o) > time(e) - 48 * HOUR));
    expect(withRelated.map((e) => str(e, 'file.path')).sort()).toEqual([
      'C:\\Users\\jdoe\\AppData\\Local\\Microsoft\\WindowsApps\\sqlite3.dll',
      'C:\\Windows\\System32\\mspsync.dll',
      'C:\\Windows\\System32\\wsyncsvc.exe',
    ]);
  });

  it('hashes the written DLLs in the family\'s own fields, and the later load of the same DLL', () => {
    const HEX64 = /^[0-9a-f]{64}$/;
    const s1 = data.stories.find((s) => s.id === 'lsass-ssp-dll')!;
    const ssp = byKey.get(key(s1.mustFire[0]!))!;
    const sha = str(ssp, 'file.hash.sha256');
    expect(sha).toMatch(HEX64);
    expect(str(ssp, 'file.hash.md5')).toMatch(/^[0-9a-f]{32}$/);
    const sspLoad = s1.events.map((r) => byKey.get(key(r))!).find((e) => str(e, 'dll.path') === 'C:\\Windows\\System32\\mspsync.dll');
    expect(sspLoad && str(sspLoad, 'dll.hash.sha256')).toBe(sha);
    expect(sspLoad && get(sspLoad, 'dll.code_signature.exists')).toBe(false);

    const s4 = data.stories.find((s) => s.id === 'userinit-sideload-dll')!;
    const dll = byKey.get(key(s4.mustFire[0]!))!;
    expect(dll._index).toBe(DEMO_INDICES.endgame);
    const sha4 = str(dll, 'file.hash.sha256');
    expect(sha4).toMatch(HEX64);
    expect(sha4).not.toBe(sha);
    expect(get(dll, 'endgame.sha256')).toBe(sha4);
    const evs4 = s4.events.map((r) => byKey.get(key(r))!);
    // the staged copy and OneDrive's side-load carry the same content hash
    expect(evs4.filter((e) => str(e, 'file.hash.sha256') === sha4 || str(e, 'dll.hash.sha256') === sha4).length).toBeGreaterThanOrEqual(2);
    // deletions carry no hash
    for (const e of data.events) if (get(e, 'event.type') === 'deletion' || (Array.isArray(get(e, 'event.type')) && (get(e, 'event.type') as unknown[]).includes('deletion'))) expect(get(e, 'file.hash')).toBeUndefined();
  });

  it('gives the analyst related activity the day before and logons after the alert', () => {
    const s1 = data.stories.find((x) => x.id === 'lsass-ssp-dll')!;
    const fire = time(byKey.get(key(s1.mustFire[0]!))!);
    const evs = s1.events.map((r) => byKey.get(key(r))!);
    expect(evs.some((e) => time(e) < fire - 12 * HOUR && time(e) > fire - 48 * HOUR && get(e, 'dns.question.name') === 'cdn.invoice-portal.example')).toBe(true);
    for (const id of ['lsass-ssp-dll', 'services-lateral-movement', 'winlogon-drops-exe']) {
      const s = data.stories.find((x) => x.id === id)!;
      const f = time(byKey.get(key(s.mustFire[0]!))!);
      const after = data.events.filter((e) => str(e, 'host.name') === s.host && get(e, 'event.code') === '4624' && time(e) > f);
      expect(after.length, id).toBeGreaterThan(0);
    }
  });
});
