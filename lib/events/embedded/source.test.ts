/**
 * The embedded EventSource over a small hand-made store: the detection window on a
 * timestamp override with its fallback to @timestamp, exceptions, index patterns, size and
 * result position, sequences, and the bounded evidence queries.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openEventStore, type EventStore } from './store';
import { createEmbeddedSource } from './source';
import type { EventSource, StoredEvent } from '../types';
import { processLineage } from '../../investigation/lineage';

const T0 = Date.parse('2024-03-01T10:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

function fileEvent(id: string, s: number, extra: Record<string, unknown> = {}): StoredEvent {
  return {
    _index: 'logs-endpoint.events.file-default',
    _id: id,
    _source: {
      '@timestamp': iso(s),
      event: { category: ['file'], type: ['creation'] },
      host: { name: 'ws1', os: { type: 'windows' } },
      process: { name: 'lsass.exe', entity_id: 'p-lsass', executable: 'C:\\Windows\\System32\\lsass.exe' },
      file: { path: `C:\\Windows\\${id}.dll`, extension: 'dll' },
      ...extra,
    },
  };
}

function proc(id: string, s: number, entity: string, parent: string | null, name: string, host = 'ws1', index = 'winlogbeat-1'): StoredEvent {
  return {
    _index: index,
    _id: id,
    _source: {
      '@timestamp': iso(s),
      event: { category: ['process'], type: ['start'] },
      host: { name: host },
      process: {
        entity_id: entity,
        name,
        executable: `C:\\Windows\\System32\\${name}`,
        ...(parent ? { parent: { entity_id: parent } } : {}),
      },
    },
  };
}

let store: EventStore;
let src: EventSource;
const rule = 'file where event.type != "deletion" and file.extension : ("exe", "dll") and process.name : "LSASS.exe"';

beforeEach(() => {
  store = openEventStore({ file: ':memory:' });
  src = createEmbeddedSource(store);
  store.insert([
    // f1: ingested late (inside window), @timestamp early (outside)
    fileEvent('f1', -3600, { event: { category: ['file'], type: ['creation'], ingested: iso(30) } }),
    // f2: no event.ingested: the fallback to @timestamp puts it inside
    fileEvent('f2', 20),
    // f3: outside by both clocks
    fileEvent('f3', 5000),
    // f4: a deletion
    fileEvent('f4', 25, { event: { category: ['file'], type: ['deletion'] } }),
    // f5: another index family
    { ...fileEvent('f5', 40), _index: 'endgame-default' },
    proc('p1', -100, 'p-wininit', 'p-root', 'wininit.exe'),
    proc('p2', -90, 'p-lsass', 'p-wininit', 'lsass.exe'),
    proc('p3', 10, 'p-child1', 'p-lsass', 'cmd.exe'),
    proc('p4', 11, 'p-child2', 'p-lsass', 'rundll32.exe'),
    proc('p5', 12, 'p-other', 'p-wininit', 'lsass.exe', 'WS2.corp.local'),
    {
      _index: 'logs-system.security-default',
      _id: 'a1',
      _source: { '@timestamp': iso(50), event: { category: ['authentication'], outcome: 'success' }, host: { name: 'WS1.corp.local' }, user: { name: 'bob' } },
    },
  ]);
});

describe('eqlSearch', () => {
  const window = { from: iso(0), to: iso(60) };

  it('windows on event.ingested, falling back to @timestamp when it is missing', async () => {
    const res = await src.eqlSearch({ index: ['logs-endpoint.events.file-*'], query: rule, window, timestampField: 'event.ingested', size: 10 });
    // in the window by event.ingested (or @timestamp), ordered by @timestamp as Elasticsearch does
    expect(res.hits.events?.map((e) => e._id)).toEqual(['f1', 'f2']);
    const noFallback = await src.eqlSearch({ index: ['logs-endpoint.events.file-*'], query: rule, window, timestampField: 'event.ingested', fallbackToTimestamp: false, size: 10 });
    expect(noFallback.hits.events?.map((e) => e._id)).toEqual(['f1']);
    const onTimestamp = await src.eqlSearch({ index: ['logs-endpoint.events.file-*'], query: rule, window, size: 10 });
    expect(onTimestamp.hits.events?.map((e) => e._id)).toEqual(['f2']);
  });

  it('index patterns: wildcards, comma lists, missing indices ignored', async () => {
    const q = { query: rule, window, timestampField: 'event.ingested', size: 10 };
    const both = await src.eqlSearch({ ...q, index: ['winlogbeat-*', 'logs-endpoint.events.file-*,endgame-*', 'nope-*', 'missing'] });
    expect(both.hits.events?.map((e) => e._id)).toEqual(['f1', 'f2', 'f5']);
    const none = await src.eqlSearch({ ...q, index: ['nothing-*'] });
    expect(none.hits.events).toEqual([]);
    expect(none.hits.total.value).toBe(0);
  });

  it('exceptions: is / is_one_of / matches / exists, with negate', async () => {
    const q = { index: ['*'], query: rule, window, timestampField: 'event.ingested', size: 10 };
    const run = async (entries: Parameters<EventSource['eqlSearch']>[0]['exceptions']) =>
      (await src.eqlSearch({ ...q, exceptions: entries })).hits.events?.map((e) => e._id);
    expect(await run([{ id: 'x', entries: [{ field: 'file.path', operator: 'is', values: ['C:\\Windows\\f2.dll'] }] }])).toEqual(['f1', 'f5']);
    expect(await run([{ id: 'x', entries: [{ field: '_index_unused', operator: 'exists', values: [] }] }])).toEqual(['f1', 'f2', 'f5']);
    expect(await run([{ id: 'x', entries: [{ field: 'event.ingested', operator: 'exists', values: [] }] }])).toEqual(['f2', 'f5']);
    expect(await run([{ id: 'x', entries: [{ field: 'file.path', operator: 'matches', values: ['c:\\windows\\F?.DLL'] }] }])).toEqual([]);
    expect(await run([{ id: 'x', entries: [{ field: 'file.path', operator: 'is_one_of', values: ['C:\\Windows\\f1.dll', 'C:\\Windows\\f5.dll'] }] }])).toEqual(['f2']);
    // all entries of an item must match; negate inverts one entry
    expect(
      await run([{ id: 'x', entries: [
        { field: 'process.name', operator: 'is', values: ['lsass.exe'] },
        { field: 'file.path', operator: 'is', values: ['C:\\Windows\\f1.dll'], negate: true },
      ] }]),
    ).toEqual(['f1']);
  });

  it('size with head and tail', async () => {
    const q = { index: ['*'], query: rule, window, timestampField: 'event.ingested', size: 2 };
    expect((await src.eqlSearch({ ...q, resultPosition: 'head' })).hits.events?.map((e) => e._id)).toEqual(['f1', 'f2']);
    expect((await src.eqlSearch({ ...q, resultPosition: 'tail' })).hits.events?.map((e) => e._id)).toEqual(['f2', 'f5']);
  });

  it('sequences by entity id', async () => {
    const res = await src.eqlSearch({
      index: ['*'],
      query: 'sequence by process.entity_id [process where process.name == "lsass.exe"] [file where true]',
      window: { from: iso(-200), to: iso(60) },
      size: 10,
    });
    expect(res.hits.sequences).toHaveLength(1);
    expect(res.hits.sequences?.[0].join_keys).toEqual(['p-lsass']);
    expect(res.hits.sequences?.[0].events.map((e) => e._id)).toEqual(['p2', 'f2']);
  });

  it('sequences on event.ingested fall back to @timestamp for events lacking it, and return the stored documents', async () => {
    const res = await src.eqlSearch({
      index: ['*'],
      query: 'sequence by process.entity_id with maxspan=5m [process where process.name == "lsass.exe"] [file where true]',
      window: { from: iso(-200), to: iso(60) },
      timestampField: 'event.ingested',
      size: 10,
    });
    // p2 (no event.ingested, @timestamp −90 s) then f2 (no event.ingested, @timestamp 20 s)
    expect(res.hits.sequences?.map((sq) => sq.events.map((e) => e._id))).toEqual([['p2', 'f2']]);
    const first = res.hits.sequences?.[0]?.events[0];
    expect(first && 'missing' in first).toBe(false);
    expect(first && '_source' in first ? (first._source.event as Record<string, unknown>).ingested : 'x').toBeUndefined();
  });

  it('a tiebreaker orders events of the same time (and the fallback still applies)', async () => {
    const same = (id: string, seq: number, ingested: boolean): StoredEvent => ({
      _index: 'endgame-tb',
      _id: id,
      _source: {
        '@timestamp': iso(5),
        event: { category: ['file'], sequence: seq, ...(ingested ? { ingested: iso(5) } : {}) },
      },
    });
    store.insert([same('t3', 3, true), same('t1', 1, false), same('t2', 2, true)]);
    const res = await src.eqlSearch({
      index: ['endgame-tb'],
      query: 'file where true',
      window,
      timestampField: 'event.ingested',
      tiebreakerField: 'event.sequence',
      size: 10,
    });
    expect(res.hits.events?.map((e) => e._id)).toEqual(['t1', 't2', 't3']);
  });

  it('a bad query throws with line and column', async () => {
    await expect(src.eqlSearch({ index: ['*'], query: 'file where\n  process.name == ', size: 1 })).rejects.toMatchObject({ line: 2 });
  });
});

describe('longs beyond 2^53 (lib/eql/SEMANTICS.md §8)', () => {
  it('the stored text is read exactly by the engine: 9007199254740993 is not 9007199254740992', async () => {
    // as ingest stores an ECS document: the parsed source for the columns, the text as it came
    const doc = (id: string, n: string) => {
      const json = `{"@timestamp": "${iso(5)}", "event": {"category": ["process"]}, "n": ${n}}`;
      return { _index: 'logs-long-default', _id: id, _source: JSON.parse(json) as Record<string, unknown>, json };
    };
    store.insert([doc('n993', '9007199254740993'), doc('n992', '9007199254740992')]);
    const res = await src.eqlSearch({ index: ['logs-long-*'], query: 'process where n == 9007199254740993', size: 10 });
    expect((res.hits.events ?? []).map((e) => e._id)).toEqual(['n993']);
    // what leaves the engine serialises as before (a number)
    expect(JSON.stringify(res.hits.events?.[0]?._source)).toContain('"n":9007199254740992');
  });
});

describe('evidence queries', () => {
  it('processLineage walks parents, subject first, and stops where the tree leaves the data', async () => {
    const res = await processLineage(src, { entityId: 'p-child1' });
    expect(res.items.map((e) => e._id)).toEqual(['p3', 'p2', 'p1']);
    expect(res.truncated).toBe(false);
    const cut = await processLineage(src, { entityId: 'p-child1', maxDepth: 1 });
    expect(cut.items.map((e) => e._id)).toEqual(['p3', 'p2']);
    expect(cut.truncated).toBe(true);
  });

  it('childProcesses, bounded', async () => {
    const res = await src.childProcesses({ parentEntityIds: ['p-lsass'], size: 5 });
    expect(res.items.map((e) => e._id)).toEqual(['p3', 'p4']);
    const one = await src.childProcesses({ parentEntityIds: ['p-lsass'], size: 1 });
    expect(one.items.map((e) => e._id)).toEqual(['p3']);
    expect(one.truncated).toBe(true);
  });

  it('entityEvents by category and window', async () => {
    const all = await src.entityEvents({ entityIds: ['p-lsass'], size: 50 });
    expect(all.items.map((e) => e._id)).toEqual(['f1', 'p2', 'f2', 'f4', 'f5', 'f3']);
    const files = await src.entityEvents({ entityIds: ['p-lsass'], categories: ['file'], window: { from: iso(0), to: iso(100) }, size: 2 });
    expect(files.items.map((e) => e._id)).toEqual(['f2', 'f4']);
    expect(files.truncated).toBe(true);
  });

  it('authenticationEvents match the host by short name, case-insensitively', async () => {
    const res = await src.authenticationEvents({ host: 'ws1', after: iso(0), size: 10 });
    expect(res.items.map((e) => e._id)).toEqual(['a1']);
    expect((await src.authenticationEvents({ host: 'ws1', after: iso(51), size: 10 })).items).toEqual([]);
  });

  it('executablePrevalence counts distinct hosts, path case-insensitive', async () => {
    const res = await src.executablePrevalence({ executables: ['c:\\windows\\system32\\LSASS.exe', 'C:\\nope.exe'] });
    expect(res).toEqual({ 'c:\\windows\\system32\\LSASS.exe': 2, 'C:\\nope.exe': 0 });
  });

  it('getEvents returns the stored documents, skipping missing ones', async () => {
    const evs = await src.getEvents([{ _index: 'winlogbeat-1', _id: 'p2' }, { _index: 'winlogbeat-1', _id: 'zzz' }]);
    expect(evs.map((e) => e._id)).toEqual(['p2']);
    expect((evs[0]._source.process as { name: string }).name).toBe('lsass.exe');
  });

  it('health reports the store', async () => {
    const h = await src.health();
    expect(h).toMatchObject({ kind: 'embedded', ok: true });
    expect(h.detail).toMatch(/11 events/);
  });
});

describe('store', () => {
  it('listIndices, clear by pattern, count', () => {
    expect(store.listIndices().map((i) => i.name)).toEqual([
      'endgame-default',
      'logs-endpoint.events.file-default',
      'logs-system.security-default',
      'winlogbeat-1',
    ]);
    expect(store.clear(['winlogbeat-*'])).toBe(5);
    expect(store.count()).toBe(6);
  });

  it('never writes event.ingested into documents; keeps its own ingest time apart', () => {
    const row = store.db.prepare("SELECT doc, stored_at FROM events WHERE doc_id = 'f2'").get() as { doc: string; stored_at: number };
    expect(JSON.parse(row.doc).event.ingested).toBeUndefined();
    expect(row.stored_at).toBeGreaterThan(T0);
  });
});
