import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../events/types';
import { alertEvent, at, events, makeAlert, T0 } from './testing/fixture';
import { MemorySource } from './testing/memory-source';
import { processNode } from './testing/process-node';
import { alertWriterCandidate, countByKind, fileWriters, filterTimeline, formatOffset, mergeTimeline, readTimeline, sliceAround, type TimelineEntry } from './timeline';

const alert = makeAlert();
const S = 'logs-system.security-default';
const F = 'logs-endpoint.events.file-default';
const N = 'logs-endpoint.events.network-default';
const P = 'logs-endpoint.events.process-default';

describe('readTimeline', () => {
  it('lists the tree and the host logons of ±15 min in time order, the alert once, each tied to its process', async () => {
    const tl = await readTimeline(new MemorySource(events), alert, { seconds: 15 * 60 });
    expect(tl.window).toEqual({ from: '2026-11-20T09:45:00.000Z', to: '2026-11-20T10:15:00.000Z' });
    expect(tl.entityIds).toEqual(['E2', 'E3', 'E4']);
    expect(tl.entries.map((e) => [e.key, e.kind, e.offsetMs, e.entityId])).toEqual([
      [`${S}/a-before`, 'logon', -600_000, null],
      [`${F}/f-alert`, 'alert', 0, 'E2'],
      ['logs-endpoint.events.library-default/l-1', 'library', 30_000, 'E2'],
      [`${F}/f-later`, 'file', 60_000, 'E2'],
      [`${N}/d-1`, 'dns', 90_000, 'E2'],
      [`${N}/n-1`, 'network', 120_000, 'E2'],
      [`${P}/p-rundll`, 'process', 180_000, 'E3'],
      ['logs-endpoint.events.registry-default/r-1', 'registry', 240_000, 'E3'],
      [`${P}/p-cmd`, 'process', 300_000, 'E4'],
      [`${S}/a-1`, 'logon', 600_000, null],
    ]);
    const byKey = new Map(tl.entries.map((e) => [e.key, e]));
    expect(byKey.get(`${S}/a-before`)?.summary).toBe('4624: CORP\\alice, type 2 (Interactive)');
    expect(byKey.get(`${S}/a-1`)?.summary).toBe('4624: CORP\\admin, type 3 (Network), from 10.0.0.9');
    expect(byKey.get(`${P}/p-rundll`)).toMatchObject({ action: 'start', summary: 'start: rundll32.exe C:\\Windows\\System32\\evil.dll,Start', processName: 'rundll32.exe', pid: 700 });
    expect(byKey.get(`${F}/f-alert`)).toMatchObject({ action: 'creation', time: '2026-11-20T10:00:00.000Z', summary: 'creation: C:\\Windows\\System32\\evil.dll' });
    expect(tl.truncated).toBe(false);
    expect(tl.untimed).toBe(0);
  });

  it('narrows to ±90 s (the edges count) and says when a read stopped at its limit', async () => {
    const narrow = await readTimeline(new MemorySource(events), alert, { seconds: 90 });
    expect(narrow.entries.map((e) => e.key)).toEqual([`${F}/f-alert`, 'logs-endpoint.events.library-default/l-1', `${F}/f-later`, `${N}/d-1`]);
    const capped = await readTimeline(new MemorySource(events), alert, { seconds: 15 * 60, limit: 2 });
    expect(capped.truncated).toBe(true);
  });
});

const node = processNode;

describe('mergeTimeline', () => {
  const window = { from: at(-2), to: at(2) };
  it('adds starts known only from the tree, keeps each event once, and orders a same-millisecond start before its act', () => {
    const start: StoredEvent = { _index: P, _id: 'start-x', _source: { '@timestamp': at(-1), event: { category: ['process'], type: ['start'] }, process: { entity_id: 'X', name: 'x.exe', pid: 9 } } };
    const act: StoredEvent = { _index: N, _id: 'net-x', _source: { '@timestamp': at(-1), event: { category: ['network'], action: 'connect' }, process: { entity_id: 'X' }, destination: { ip: '192.0.2.1' } } };
    const untimed: StoredEvent = { _index: N, _id: 'no-time', _source: { event: { category: ['network'] } } };
    const { entries, untimed: n } = mergeTimeline({
      alertTime: at(0),
      window,
      alertEvent,
      // the network event first and twice, the alert's own event among the tree's
      events: [act, start, act, alertEvent, untimed],
      nodes: [
        node({ entityId: 'X', startTime: at(-1), event: { _index: P, _id: 'start-x' } }),
        node({ entityId: 'PARENT', name: 'explorer.exe', pid: 4, commandLine: 'explorer.exe', startTime: at(-1.5), stub: true }),
        node({ entityId: 'OLD', startTime: at(-30) }),
      ],
      logons: [],
    });
    expect(entries.map((e) => [e.key, e.kind, e.offsetMs])).toEqual([
      ['node:PARENT', 'process', -90_000],
      [`${P}/start-x`, 'process', -60_000],
      [`${N}/net-x`, 'network', -60_000],
      [`${F}/f-alert`, 'alert', 0],
    ]);
    expect(entries[0]).toMatchObject({ summary: 'start: explorer.exe', processName: 'explorer.exe', pid: 4, event: null });
    expect(n).toBe(1);
  });

  it('lists the alert even when its time is outside the window', () => {
    const { entries } = mergeTimeline({ alertTime: at(0), window: { from: at(5), to: at(6) }, alertEvent, events: [], nodes: [], logons: [] });
    expect(entries.map((e) => e.kind)).toEqual(['alert']);
  });
});

const entry = (key: string, kind: TimelineEntry['kind'], entityId: string | null): TimelineEntry => ({
  key,
  kind,
  time: new Date(T0).toISOString(),
  offsetMs: 0,
  action: null,
  summary: key,
  entityId,
  processName: null,
  pid: null,
  fields: {},
  event: null,
});

describe('timeline views', () => {
  const list = [entry('a', 'dns', 'E2'), entry('b', 'alert', 'E2'), entry('c', 'file', 'E3'), entry('d', 'dns', 'E3'), entry('e', 'logon', null)];
  it('counts per kind', () => {
    expect(countByKind(list)).toEqual({ dns: 2, alert: 1, file: 1, logon: 1 });
  });
  it('filters by kind and process, keeping the alert', () => {
    expect(filterTimeline(list, new Set(['dns'])).map((e) => e.key)).toEqual(['a', 'b', 'd']);
    expect(filterTimeline(list, new Set(['dns', 'file', 'logon']), 'E3').map((e) => e.key)).toEqual(['b', 'c', 'd']);
    expect(filterTimeline(list, new Set()).map((e) => e.key)).toEqual(['b']);
  });
  it('slices around the anchor, clamped', () => {
    expect(sliceAround(1000, 500, 50, 50)).toEqual({ start: 450, end: 550 });
    expect(sliceAround(1000, 10, 50, 50)).toEqual({ start: 0, end: 60 });
    expect(sliceAround(1000, 990, 50, 50)).toEqual({ start: 940, end: 1000 });
    expect(sliceAround(3, -1, 50, 50)).toEqual({ start: 0, end: 3 });
    expect(sliceAround(0, 0, 50, 50)).toEqual({ start: 0, end: 0 });
  });
  it('writes offsets short', () => {
    expect(formatOffset(0)).toBe('0 s');
    expect(formatOffset(-3_240)).toBe('−3.2 s');
    expect(formatOffset(65_000)).toBe('+1 min 5 s');
    expect(formatOffset(-3_600_000)).toBe('−1 h');
    expect(formatOffset(45_000)).toBe('+45 s');
  });
});

describe('fileWriters', () => {
  const path = 'C:\\Windows\\System32\\evil.dll';
  it('finds the processes that created or changed the file, case-insensitively, each once', () => {
    expect(
      fileWriters(path, [
        { entityId: 'E9', kind: 'library', action: 'load', fields: { 'file.path': path } },
        { entityId: 'E2', kind: 'alert', action: 'creation', fields: { 'file.path': path } },
        { entityId: 'E7', kind: 'file', action: 'deletion', fields: { 'file.path': path } },
        { entityId: 'E3', kind: 'file', action: 'change/deletion', fields: { 'file.path': 'c:\\windows\\system32\\EVIL.DLL' } },
        { entityId: 'E2', kind: 'file', action: 'overwrite', fields: { 'file.path': path } },
        { entityId: 'E4', kind: 'file', action: 'creation', fields: { 'file.path': 'C:\\other.dll' } },
        { entityId: null, kind: 'file', action: 'creation', fields: { 'file.path': path } },
      ]),
    ).toEqual(['E2', 'E3']);
    expect(fileWriters(null, [{ entityId: 'E2', kind: 'alert', action: 'creation', fields: { 'file.path': path } }])).toEqual([]);
  });
});

describe('alertWriterCandidate', () => {
  it('reads the process, the action (else the type) and the path of the alert event', () => {
    expect(alertWriterCandidate(alertEvent._source)).toEqual({ entityId: 'E2', kind: 'alert', action: 'creation', fields: { 'file.path': 'C:\\Windows\\System32\\evil.dll' } });
    expect(alertWriterCandidate({ event: { type: ['change', 'info'] }, process: { entity_id: 'Z' }, file: { path: 'C:\\a.txt' } })).toEqual({
      entityId: 'Z',
      kind: 'alert',
      action: 'change/info',
      fields: { 'file.path': 'C:\\a.txt' },
    });
    expect(alertWriterCandidate({ process: {} })).toEqual({ entityId: null, kind: 'alert', action: null, fields: {} });
  });
});
