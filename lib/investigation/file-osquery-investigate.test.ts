import { describe, expect, it } from 'vitest';
import type { InvestigateBlock } from '../rules/guide';
import { eqlString } from './eql-text';
import { fileEvidence, getFileHashCommand, mergeFileHashes, reputationLinks } from './file-evidence';
import { planInvestigate, relativeWindow, runInvestigate } from './investigate';
import { fillOsquery } from './osquery';
import { alertEvent, at, events, makeAlert } from './testing/fixture';
import { MemorySource } from './testing/memory-source';

describe('fileEvidence', () => {
  it('finds the hashes of the written file in other events of the path', async () => {
    const f = await fileEvidence(new MemorySource(events), alertEvent, at(0));
    expect(f.path).toBe('C:\\Windows\\System32\\evil.dll');
    expect(f.hashes.map((h) => [h.algorithm, h.value, h.source._id])).toEqual([
      ['sha256', 'd'.repeat(64), 'f-later'],
      ['sha1', 'e'.repeat(40), 'f-later'],
    ]);
    expect(f.signature).toEqual({ subjectName: null, trusted: null, exists: false, status: null });
    expect(f.getFileHashCommand).toBe("Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\\Windows\\System32\\evil.dll'");
    expect(f.links.map((l) => l.url)).toEqual([
      `https://www.virustotal.com/gui/file/${'d'.repeat(64)}`,
      `https://www.hybrid-analysis.com/search?query=${'d'.repeat(64)}`,
      `https://talosintelligence.com/talos_file_reputation?s=${'d'.repeat(64)}`,
      `https://app.any.run/submissions/#filehash:${'d'.repeat(64)}`,
    ]);
  });
  it("reads the writer's own later events even with the path search off", async () => {
    const src = new MemorySource(events);
    const f = await fileEvidence(src, alertEvent, at(0), { windowMinutes: 0 });
    expect(f.hashes.map((h) => h.source._id)).toEqual(['f-later', 'f-later']);
    expect(src.calls.map((c) => c.method)).toEqual(['entityEvents']);
  });
  it('with the path search on, finds the file executed by another process', async () => {
    const exec = {
      _index: 'logs-endpoint.events.process-default',
      _id: 'p-exec',
      _source: {
        '@timestamp': at(2),
        event: { category: ['process'], type: ['start'] },
        host: { name: 'ws-01.corp.example' },
        process: { entity_id: 'E9', executable: 'c:\\windows\\system32\\EVIL.dll', hash: { sha256: 'f'.repeat(64) } },
      },
    };
    const f = await fileEvidence(new MemorySource([...events, exec]), alertEvent, at(0), { windowMinutes: 15 });
    expect(f.hashes.map((h) => [h.value[0], h.source._id, h.source.field])).toEqual([
      ['d', 'f-later', 'file.hash.sha256'],
      ['e', 'f-later', 'file.hash.sha1'],
      ['f', 'p-exec', 'process.hash.sha256'],
    ]);
  });
  it('takes hashes the tree or the activity already hold for the same path', async () => {
    const bare = { ...alertEvent, _id: 'x', _source: { ...alertEvent._source, process: { name: 'lsass.exe' } } };
    const f = await fileEvidence(new MemorySource([]), bare, at(0));
    expect(f.hashes).toEqual([]);
    expect(f.links).toEqual([]);
    const merged = mergeFileHashes(f, [
      { path: 'C:\\other.exe', hashes: { sha256: '1'.repeat(64) }, event: { _index: 'i', _id: 'a' }, field: 'process.hash', time: null },
      { path: 'c:\\windows\\system32\\EVIL.DLL', hashes: { sha256: '2'.repeat(64), md5: 'not-hex' }, event: { _index: 'i', _id: 'b' }, field: 'dll.hash', time: at(1) },
    ]);
    expect(merged.hashes).toEqual([{ algorithm: 'sha256', value: '2'.repeat(64), source: { _index: 'i', _id: 'b', field: 'dll.hash.sha256', time: at(1) } }]);
    expect(merged.links[0].url).toBe(`https://www.virustotal.com/gui/file/${'2'.repeat(64)}`);
  });
  it('quotes paths for PowerShell and refuses non-hash text in links', () => {
    expect(getFileHashCommand("C:\\Users\\o'brien\\a.exe")).toBe("Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\\Users\\o''brien\\a.exe'");
    expect(reputationLinks('"><script>')).toEqual([]);
  });
  it('escapes EQL strings', () => {
    expect(eqlString('C:\\a "b"\n')).toBe('"C:\\\\a \\"b\\"\\n"');
  });
});

describe('fillOsquery', () => {
  it('fills {{field}} from the alert event, quoting outside quotes, and reports the rest', () => {
    const q = fillOsquery('L', "SELECT * FROM users WHERE username = {{user.name}} AND x = '{{file.name}}' AND pid = {{process.pid}} AND y = {{ nope.field }}", alertEvent);
    expect(q.query).toBe("SELECT * FROM users WHERE username = 'SYSTEM' AND x = 'evil.dll' AND pid = 640 AND y = {{ nope.field }}");
    expect(q.unresolved).toEqual(['nope.field']);
    expect(q.ready).toBe(false);
    expect(q.filled.map((f) => f.field)).toEqual(['user.name', 'file.name', 'process.pid']);
  });
  it('a value cannot break out of its quotes', () => {
    const ev = { ...alertEvent, _source: { user: { name: "x' OR '1'='1" } } };
    expect(fillOsquery('L', 'WHERE u = {{user.name}}', ev).query).toBe("WHERE u = 'x'' OR ''1''=''1'");
  });
});

const block = (over: Partial<InvestigateBlock>): InvestigateBlock => ({
  kind: 'investigate',
  label: 'L',
  description: '',
  providers: [],
  relativeFrom: 'now-1h',
  relativeTo: 'now',
  raw: '',
  ...over,
});
const p = (field: string, value: string, excluded = false) => ({ excluded, field, queryType: 'phrase' as const, value, valueType: 'string' as const });

describe('investigate', () => {
  it('turns providers into EQL with the window relative to the alert', () => {
    const plan = planInvestigate(
      block({ providers: [[p('process.entity_id', '{{process.entity_id}}'), p('host.name', '{{host.name}}')], [p('process.pid', '{{process.pid}}'), p('event.category', 'file', true)]] }),
      alertEvent,
      at(0),
    );
    expect(plan.query).toBe('any where (process.entity_id == "E2" and host.name == "ws-01.corp.example") or (process.pid == 640 and not (event.category == "file"))');
    expect(plan.window).toEqual({ from: at(-60), to: at(0) });
  });
  it('rounds date math like Kibana and skips the range without both ends', () => {
    expect(relativeWindow('now-48h/h', 'now', '2026-11-20T10:30:00.000Z')).toEqual({ from: '2026-11-18T10:00:00.000Z', to: '2026-11-20T10:30:00.000Z' });
    expect(relativeWindow('now-1h', null, at(0))).toBeNull();
  });
  it('drops a group whose template has no value and says which', () => {
    const plan = planInvestigate(block({ providers: [[p('user.id', '{{user.id}}')], [p('host.name', '{{host.name}}')]] }), alertEvent, at(0));
    expect(plan.droppedGroups).toBe(1);
    expect(plan.unresolved).toEqual(['user.id']);
    expect(plan.query).toBe('any where host.name == "ws-01.corp.example"');
  });
  it('runs the query and counts hits; signal groups go to the alerts', async () => {
    const src = new MemorySource(events);
    const plan = planInvestigate(block({ providers: [[p('process.entity_id', '{{process.entity_id}}'), p('event.category', 'network')]] }), alertEvent, at(0));
    plan.window = { from: at(-60), to: at(60) };
    const res = await runInvestigate(plan, { source: src });
    expect(res.error).toBeNull();
    expect(res.eventTotal).toBe(2);
    expect(res.events.map((e) => e._id).sort()).toEqual(['d-1', 'n-1']);
    const alerts = [makeAlert(), makeAlert({ id: 'other', event: { _index: 'x', _id: 'y', _source: { host: { name: 'other' } } } })];
    const sig = planInvestigate(block({ providers: [[p('event.kind', 'signal'), p('host.name', '{{host.name}}')]], relativeFrom: 'now-48h/h' }), alertEvent, at(0));
    expect(sig.query).toBeNull();
    const r2 = await runInvestigate(sig, { source: src, listAlerts: async () => alerts });
    expect(r2.alerts.map((a) => a.id)).toEqual(['alert-1']);
    expect(r2.count).toBe(1);
  });
});

describe('investigate: contains on text fields', () => {
  it('a command line holding * ? and \\ matches only itself, in any case', async () => {
    const cmd = 'C:\\Tools\\x.exe -p "a*b?c"';
    const doc = (id: string, commandLine: string) => ({ _index: 'logs-x', _id: id, _source: { '@timestamp': at(0), event: { category: 'process' }, process: { command_line: commandLine } } });
    const src = new MemorySource([doc('same', cmd.toUpperCase()), doc('wider', 'C:\\Tools\\x.exe -p "aXXbYc"'), doc('dropped', 'C:Toolsx.exe -p "abc"')]);
    const plan = planInvestigate(block({ providers: [[p('process.command_line', cmd)]] }), alertEvent, at(0));
    expect(plan.query).toContain('stringContains~(process.command_line, ');
    plan.window = { from: at(-60), to: at(60) };
    const res = await runInvestigate(plan, { source: src });
    expect(res.error).toBeNull();
    expect(res.events.map((e) => e._id)).toEqual(['same']);
  });
});
