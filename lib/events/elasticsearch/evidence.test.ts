/**
 * Contract tests of the evidence queries, getEvents and health against the client mock.
 */
import { describe, expect, it } from 'vitest';
import { EventSourceError } from '../errors';
import { processLineage } from '../../investigation/lineage';
import { clusterError, mockedCluster, type SentRequest } from './testing';

const SEARCH = '/:index/_search';
const EVIDENCE_PATH = '/logs-*,winlogbeat-*,endgame-*/_search';
const EVIDENCE_QS = { ignore_unavailable: 'true', allow_no_indices: 'true' };
const TIME_SORT = [{ '@timestamp': { order: 'asc', unmapped_type: 'date' } }];
const W = { from: '2024-05-19T10:00:00.000Z', to: '2024-05-21T10:00:00.000Z' };
const W_RANGE = { range: { '@timestamp': { gte: W.from, lte: W.to, format: 'strict_date_optional_time' } } };

function searchResponse(hits: { _index: string; _id: string; _source: Record<string, unknown> }[], total = hits.length, relation = 'eq') {
  return {
    took: 2,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: { total: { value: total, relation }, max_score: null, hits: hits.map((h) => ({ ...h, _score: null, sort: [0] })) },
  };
}

/** the querystring sent (values as strings) */
function qs(r: SentRequest) {
  return r.querystring;
}

describe('evidence queries: exact requests and truncation', () => {
  it('child processes: one generation by parent entity id, process start events, time-sorted', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, () => searchResponse([{ _index: 'logs-endpoint.events.process-default', _id: 'c1', _source: {} }], 57, 'eq'));
    const r = await c.source.childProcesses({ parentEntityIds: ['p-1', 'p-2'], window: W, size: 50 });
    expect(c.sent).toHaveLength(1);
    expect(c.sent[0].path).toBe(EVIDENCE_PATH);
    expect(qs(c.sent[0])).toEqual(EVIDENCE_QS);
    expect(c.sent[0].body).toEqual({
      size: 50,
      query: {
        bool: {
          filter: [
            { terms: { 'process.parent.entity_id': ['p-1', 'p-2'] } },
            { term: { 'event.category': 'process' } },
            { term: { 'event.type': 'start' } },
            W_RANGE,
          ],
        },
      },
      sort: TIME_SORT,
      timeout: '10s',
      track_total_hits: true,
    });
    expect(r).toEqual({ items: [{ _index: 'logs-endpoint.events.process-default', _id: 'c1', _source: {} }], truncated: true, total: 57 });
  });

  it('entity events: terms on process.entity_id and categories, time-sorted; relation gte is truncation', async () => {
    const c = mockedCluster({ evidenceIndex: ['logs-endpoint.events.*'] });
    c.route('POST', SEARCH, () => searchResponse([], 10000, 'gte'));
    const r = await c.source.entityEvents({ entityIds: ['e-1'], categories: ['network', 'dns'], window: W, size: 200 });
    expect(c.sent[0].path).toBe('/logs-endpoint.events.*/_search');
    expect(c.sent[0].body).toEqual({
      size: 200,
      query: {
        bool: {
          filter: [{ terms: { 'process.entity_id': ['e-1'] } }, { terms: { 'event.category': ['network', 'dns'] } }, W_RANGE],
        },
      },
      sort: TIME_SORT,
      timeout: '10s',
      track_total_hits: true,
    });
    expect(r.truncated).toBe(true);
    expect(r.total).toBe(10000);
  });

  it('entity events with no ids sends nothing', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, () => searchResponse([]));
    expect(await c.source.entityEvents({ entityIds: [], size: 10 })).toEqual({ items: [], truncated: false, total: 0 });
    expect(c.sent).toHaveLength(0);
  });

  it('authentication events on a host after a time', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, () =>
      searchResponse([{ _index: 'winlogbeat-1', _id: 'l1', _source: { event: { code: '4624' } } }]),
    );
    const r = await c.source.authenticationEvents({ host: 'WS-01', after: '2024-05-21T10:01:02.000Z', size: 100 });
    expect(c.sent[0].body).toEqual({
      size: 100,
      query: {
        bool: {
          filter: [
            {
              bool: {
                minimum_should_match: 1,
                should: [
                  { term: { 'host.name': { value: 'WS-01', case_insensitive: true } } },
                  { prefix: { 'host.name': { value: 'WS-01.', case_insensitive: true } } },
                ],
              },
            },
            { term: { 'event.category': 'authentication' } },
            { range: { '@timestamp': { gte: '2024-05-21T10:01:02.000Z', format: 'strict_date_optional_time' } } },
          ],
        },
      },
      sort: TIME_SORT,
      timeout: '10s',
      track_total_hits: true,
    });
    expect(r).toEqual({ items: [{ _index: 'winlogbeat-1', _id: 'l1', _source: { event: { code: '4624' } } }], truncated: false, total: 1 });
  });

  it('a timed-out or shard-failed evidence search is reported as truncated', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, () => ({ ...searchResponse([]), timed_out: true }));
    expect((await c.source.authenticationEvents({ host: 'h', after: W.from, size: 5 })).truncated).toBe(true);
    const d = mockedCluster();
    d.route('POST', SEARCH, () => ({
      ...searchResponse([]),
      _shards: { total: 2, successful: 1, failed: 1, failures: [{ shard: 0, index: 'x', reason: { type: 't', reason: 'r' } }] },
    }));
    expect((await d.source.authenticationEvents({ host: 'h', after: W.from, size: 5 })).truncated).toBe(true);
  });

  it('prevalence: terms + cardinality of host.name per executable, absent executables count 0', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, () => ({
      took: 4,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: { total: { value: 120, relation: 'eq' }, max_score: null, hits: [] },
      aggregations: {
        executables: {
          buckets: {
            '0': { doc_count: 118, hosts: { value: 41 } },
            '1': { doc_count: 0, hosts: { value: 0 } },
          },
        },
      },
    }));
    const r = await c.source.executablePrevalence({
      executables: ['C:\\Windows\\System32\\lsass.exe', 'C:\\Users\\x\\evil.exe'],
      window: W,
    });
    expect(r).toEqual({ 'C:\\Windows\\System32\\lsass.exe': 41, 'C:\\Users\\x\\evil.exe': 0 });
    expect(c.sent[0].querystring).toEqual({ ignore_unavailable: 'true', allow_no_indices: 'true' });
    const lsass = { term: { 'process.executable': { value: 'C:\\Windows\\System32\\lsass.exe', case_insensitive: true } } };
    const evil = { term: { 'process.executable': { value: 'C:\\Users\\x\\evil.exe', case_insensitive: true } } };
    expect(c.sent[0].body).toEqual({
      size: 0,
      timeout: '10s',
      query: {
        bool: {
          filter: [{ bool: { minimum_should_match: 1, should: [lsass, evil] } }, { exists: { field: 'host.name' } }, W_RANGE],
        },
      },
      aggs: {
        executables: {
          filters: { filters: { '0': lsass, '1': evil } },
          aggs: { hosts: { cardinality: { field: 'host.name', precision_threshold: 3000 } } },
        },
      },
    });
  });

  it('evidence failures map to kinds too (403 not retried, 503 retried)', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, () => clusterError(403, { error: { type: 'security_exception', reason: 'action [indices:data/read/search] is unauthorized' }, status: 403 }));
    await expect(c.source.entityEvents({ entityIds: ['a'], size: 1 })).rejects.toMatchObject({ kind: 'forbidden' });
    expect(c.sent).toHaveLength(1);
    const d = mockedCluster({ retry: { retries: 2 } });
    d.route('POST', SEARCH, () => clusterError(503, { error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' }, status: 503 }));
    await expect(d.source.entityEvents({ entityIds: ['a'], size: 1 })).rejects.toMatchObject({ kind: 'unreachable', retryable: true });
    expect(d.sent).toHaveLength(3);
  });
});

describe('process lineage: iterative parent lookups', () => {
  /** a chain c → p → g → root, keyed by entity id */
  const docs: Record<string, { _index: string; _id: string; _source: Record<string, unknown> }> = {
    c: { _index: 'logs-1', _id: '1', _source: { process: { entity_id: 'c', parent: { entity_id: 'p' }, name: 'lsass.exe' } } },
    p: { _index: 'logs-1', _id: '2', _source: { process: { entity_id: 'p', parent: { entity_id: 'g' }, name: 'wininit.exe' } } },
    // dotted keys are followed as well
    g: { _index: 'logs-1', _id: '3', _source: { 'process.entity_id': 'g', 'process.parent.entity_id': 'root', 'process.name': 'smss.exe' } },
    root: { _index: 'logs-1', _id: '4', _source: { process: { entity_id: 'root', name: 'System' } } },
  };
  function entityOf(req: SentRequest): string {
    const body = req.body as { query: { bool: { filter: { term?: Record<string, string> }[] } } };
    const t = body.query.bool.filter.find((f) => f.term && 'process.entity_id' in f.term);
    return t?.term?.['process.entity_id'] ?? '';
  }

  it('walks to the root, subject first, one request per ancestor with the exact step query', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, (req) => {
      const d = docs[entityOf(req)];
      return searchResponse(d ? [d] : []);
    });
    const r = await processLineage(c.source, { entityId: 'c', host: 'WS-01', window: W });
    expect(r.items.map((e) => e._id)).toEqual(['1', '2', '3', '4']);
    expect(r.truncated).toBe(false);
    expect(c.sent).toHaveLength(4);
    expect(c.sent[0].body).toEqual({
      size: 1,
      query: {
        bool: {
          filter: [
            { term: { 'process.entity_id': 'c' } },
            { term: { 'host.name': { value: 'WS-01', case_insensitive: true } } },
            { range: { '@timestamp': { lte: W.to, format: 'strict_date_optional_time' } } },
          ],
          should: [
            {
              constant_score: {
                filter: { bool: { filter: [{ term: { 'event.category': 'process' } }, { term: { 'event.type': 'start' } }] } },
                boost: 2,
              },
            },
            { constant_score: { filter: { term: { 'event.category': 'process' } }, boost: 1 } },
          ],
        },
      },
      sort: [{ _score: { order: 'desc' } }, { '@timestamp': { order: 'asc', unmapped_type: 'date' } }],
      timeout: '10s',
      track_total_hits: true,
    });
  });

  it('stops at maxDepth ancestors and says it was truncated', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, (req) => {
      const d = docs[entityOf(req)];
      return searchResponse(d ? [d] : []);
    });
    const r = await processLineage(c.source, { entityId: 'c', maxDepth: 1 });
    expect(r.items.map((e) => e._id)).toEqual(['1', '2']);
    expect(r.truncated).toBe(true);
    expect(c.sent).toHaveLength(2);
  });

  it('findProcessesByEntityIds: one step query per distinct id, the found ones by id', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, (req) => {
      const d = docs[entityOf(req)];
      return searchResponse(d ? [d] : []);
    });
    const ids = ['c', 'p', 'g', 'root', 'nope', 'c', 'x1', 'x2', 'x3', 'x4'];
    const found = await c.source.findProcessesByEntityIds({ entityIds: ids });
    expect([...found.keys()].sort()).toEqual(['c', 'g', 'p', 'root']);
    expect(found.get('g')?._id).toBe('3');
    expect(c.sent).toHaveLength(9);
  });

  it('survives a parent cycle', async () => {
    const c = mockedCluster();
    const loop: Record<string, { _index: string; _id: string; _source: Record<string, unknown> }> = {
      a: { _index: 'i', _id: 'a', _source: { process: { entity_id: 'a', parent: { entity_id: 'b' } } } },
      b: { _index: 'i', _id: 'b', _source: { process: { entity_id: 'b', parent: { entity_id: 'a' } } } },
    };
    c.route('POST', SEARCH, (req) => searchResponse(loop[entityOf(req)] ? [loop[entityOf(req)]] : []));
    const r = await processLineage(c.source, { entityId: 'a' });
    expect(r.items.map((e) => e._id)).toEqual(['a', 'b']);
    expect(c.sent).toHaveLength(2);
  });
});

describe('getEvents and health', () => {
  it('getEvents uses _mget and leaves out missing documents and per-document errors', async () => {
    const c = mockedCluster();
    c.route('POST', '/_mget', () => ({
      docs: [
        { _index: 'winlogbeat-1', _id: 'a', _version: 1, _seq_no: 0, _primary_term: 1, found: true, _source: { x: 1 } },
        { _index: 'winlogbeat-1', _id: 'gone', found: false },
        {
          _index: 'nope',
          _id: 'b',
          error: { root_cause: [], type: 'index_not_found_exception', reason: 'no such index [nope]', index: 'nope' },
        },
      ],
    }));
    const r = await c.source.getEvents([
      { _index: 'winlogbeat-1', _id: 'a' },
      { _index: 'winlogbeat-1', _id: 'gone' },
      { _index: 'nope', _id: 'b' },
    ]);
    expect(c.sent[0].body).toEqual({
      docs: [
        { _index: 'winlogbeat-1', _id: 'a' },
        { _index: 'winlogbeat-1', _id: 'gone' },
        { _index: 'nope', _id: 'b' },
      ],
    });
    expect(r).toEqual([{ _index: 'winlogbeat-1', _id: 'a', _source: { x: 1 } }]);
    expect(await c.source.getEvents([])).toEqual([]);
    expect(c.sent).toHaveLength(1);
  });

  it('getEvents splits long id lists into _mget requests of 500', async () => {
    const c = mockedCluster();
    c.route('POST', '/_mget', (req) => ({
      docs: (req.body as { docs: { _index: string; _id: string }[] }).docs.map((d) => ({ ...d, found: true, _source: {} })),
    }));
    const refs = Array.from({ length: 1203 }, (_, i) => ({ _index: 'w', _id: String(i) }));
    const r = await c.source.getEvents(refs);
    expect(r).toHaveLength(1203);
    expect(r[1202]._id).toBe('1202');
    expect(c.sent.map((s) => (s.body as { docs: unknown[] }).docs.length)).toEqual([500, 500, 203]);
  });

  it('health reports cluster name and version from GET /', async () => {
    const c = mockedCluster();
    c.route('GET', '/', () => ({
      name: 'node-1',
      cluster_name: 'soc-prod',
      cluster_uuid: 'AT69_T_DTp-1qgIJlatQqA',
      version: {
        number: '8.15.3',
        build_flavor: 'default',
        build_type: 'docker',
        build_hash: 'f97532e680b555c3a05e73a74c28afb666923018',
        build_date: '2024-10-09T22:08:00.328917561Z',
        build_snapshot: false,
        lucene_version: '9.11.1',
        minimum_wire_compatibility_version: '7.17.0',
        minimum_index_compatibility_version: '7.0.0',
      },
      tagline: 'You Know, for Search',
    }));
    expect(await c.source.health()).toEqual({ kind: 'elasticsearch', ok: true, detail: 'cluster "soc-prod", Elasticsearch 8.15.3' });
    expect(c.sent).toHaveLength(1);
  });

  it('health does not throw: a 401 or a dead cluster is ok=false with the reason, without retry', async () => {
    const c = mockedCluster();
    c.route('GET', '/', () => clusterError(401, { error: { type: 'security_exception', reason: 'missing authentication credentials for REST request [/]' }, status: 401 }));
    const h = await c.source.health();
    expect(h.ok).toBe(false);
    expect(h.detail).toMatch(/^unauthorized: .*missing authentication credentials/);
    expect(c.sent).toHaveLength(1);
  });

  it('errors are EventSourceError with a JSON form for run records', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, () => clusterError(401, { error: { type: 'security_exception', reason: 'bad key' }, status: 401 }));
    const e = (await c.source.authenticationEvents({ host: 'h', after: W.from, size: 1 }).catch((x: unknown) => x)) as EventSourceError;
    expect(e).toBeInstanceOf(EventSourceError);
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      kind: 'unauthorized',
      message: e.message,
      retryable: false,
      status: 401,
      reasonType: 'security_exception',
      attempts: 1,
    });
  });
});

describe('test harness', () => {
  it('a throwing mock resolver fails the call with its message instead of hanging', async () => {
    const c = mockedCluster();
    c.route('POST', SEARCH, () => {
      throw new Error('simulator: unsupported query foo');
    });
    await expect(c.source.entityEvents({ entityIds: ['a'], size: 1 })).rejects.toThrow(/mock_resolver_exception: simulator: unsupported query foo/);
  });
});
