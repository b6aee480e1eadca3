/**
 * Contract tests of the Elasticsearch source against @elastic/elasticsearch-mock:
 * the exact requests we send, the parsing of response shapes documented for
 * Elasticsearch, and the error kinds and retry behaviour of each failure.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { errors } from '@elastic/elasticsearch';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventSourceError } from '../errors';
import type { EqlSearchRequest, ExceptionItem } from '../types';
import { clusterError, mockedCluster } from './testing';

const SHARED = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');

const seedRuleSchema = z.object({
  rule: z.object({
    rule_id: z.string(),
    index: z.array(z.string()),
    query: z.string(),
    timestamp_override: z.string().optional(),
    max_signals: z.number().optional(),
  }),
});

function loadSeedRule() {
  const text = readFileSync(path.join(SHARED, 'rules', 'seed-rule.v2024-05.toml'), 'utf8');
  return seedRuleSchema.parse(parseToml(text)).rule;
}

const EQL_PATH = '/:index/_eql/search';
const WINDOW = { from: '2024-05-21T10:00:00.000Z', to: '2024-05-21T10:09:00.000Z' };

const EXCEPTIONS: ExceptionItem[] = [
  {
    id: 'ex-1',
    entries: [
      { field: 'host.name', operator: 'is', values: ['build-01'] },
      { field: 'file.path', operator: 'matches', values: ['C:\\Windows\\SoftwareDistribution\\*'] },
    ],
  },
  {
    id: 'ex-2',
    entries: [
      { field: 'user.name', operator: 'is_one_of', values: ['svc-backup', 'svc-deploy'] },
      { field: 'process.code_signature.trusted', operator: 'exists', values: [], negate: true },
    ],
  },
];

function seedRequest(over: Partial<EqlSearchRequest> = {}): EqlSearchRequest {
  const rule = loadSeedRule();
  return {
    index: rule.index,
    query: rule.query,
    window: WINDOW,
    timestampField: rule.timestamp_override,
    size: rule.max_signals ?? 100,
    tiebreakerField: 'event.sequence',
    exceptions: EXCEPTIONS,
    ...over,
  };
}

/** A mocked cluster whose EQL search endpoint answers with `resolve`. */
function clusterAnswering(resolve: Parameters<ReturnType<typeof mockedCluster>['route']>[2]) {
  const c = mockedCluster();
  c.route('POST', EQL_PATH, resolve);
  return c;
}

const emptyEqlResponse = {
  is_partial: false,
  is_running: false,
  took: 3,
  timed_out: false,
  hits: { total: { value: 0, relation: 'eq' }, events: [] },
};

/** The cluster's answer holding these events or sequences (the total counts them), `extra` over the empty answer's other fields. */
const eqlAnswer = (hits: { events?: unknown[]; sequences?: unknown[] }, extra: Record<string, unknown> = {}) => ({
  ...emptyEqlResponse,
  ...extra,
  hits: { total: { value: (hits.events ?? hits.sequences ?? []).length, relation: 'eq' }, ...hits },
});

describe('EQL search: the request for a seed-rule run', () => {
  it('sends the rule indices, query, window with @timestamp fallback, size, tiebreaker and exceptions', async () => {
    const c = clusterAnswering(() => emptyEqlResponse);
    const rule = loadSeedRule();
    expect(rule.timestamp_override).toBe('event.ingested');
    await c.source.eqlSearch(seedRequest());

    expect(c.sent).toHaveLength(1);
    const [req] = c.sent;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(
      '/winlogbeat-*,logs-endpoint.events.file-*,logs-windows.sysmon_operational-*,endgame-*/_eql/search',
    );
    expect(req.querystring).toEqual({ ignore_unavailable: 'true', allow_no_indices: 'true' });
    expect(req.body).toEqual({
      query: rule.query,
      size: 100,
      timestamp_field: '@timestamp',
      tiebreaker_field: 'event.sequence',
      result_position: 'head',
      filter: {
        bool: {
          filter: [
            {
              bool: {
                minimum_should_match: 1,
                should: [
                  {
                    range: {
                      'event.ingested': {
                        gte: '2024-05-21T10:00:00.000Z',
                        lte: '2024-05-21T10:09:00.000Z',
                        format: 'strict_date_optional_time',
                      },
                    },
                  },
                  {
                    bool: {
                      filter: [
                        {
                          range: {
                            '@timestamp': {
                              gte: '2024-05-21T10:00:00.000Z',
                              lte: '2024-05-21T10:09:00.000Z',
                              format: 'strict_date_optional_time',
                            },
                          },
                        },
                        { bool: { must_not: { exists: { field: 'event.ingested' } } } },
                      ],
                    },
                  },
                ],
              },
            },
          ],
          must_not: [
            {
              bool: {
                filter: [
                  { match_phrase: { 'host.name': 'build-01' } },
                  {
                    wildcard: {
                      // backslashes escaped: `\` is the escape character of a wildcard query
                      'file.path': { value: 'C:\\\\Windows\\\\SoftwareDistribution\\\\*', case_insensitive: true },
                    },
                  },
                ],
              },
            },
            {
              bool: {
                filter: [
                  { terms: { 'user.name': ['svc-backup', 'svc-deploy'] } },
                  { bool: { must_not: [{ exists: { field: 'process.code_signature.trusted' } }] } },
                ],
              },
            },
          ],
        },
      },
      fields: [
        { field: 'event.ingested', format: 'strict_date_optional_time' },
        { field: '@timestamp', format: 'strict_date_optional_time' },
      ],
      allow_partial_search_results: true,
      allow_partial_sequence_results: false,
    });
  });

  it('uses a plain range on the override when fallback is off, and on @timestamp by default', async () => {
    const c = clusterAnswering(() => emptyEqlResponse);
    await c.source.eqlSearch(seedRequest({ fallbackToTimestamp: false, exceptions: [] }));
    await c.source.eqlSearch(seedRequest({ timestampField: undefined, exceptions: undefined, tiebreakerField: undefined }));
    const range = (f: string) => ({
      range: { [f]: { gte: WINDOW.from, lte: WINDOW.to, format: 'strict_date_optional_time' } },
    });
    expect(c.sent[0].body).toMatchObject({ filter: { bool: { filter: [range('event.ingested')] } } });
    expect(c.sent[0].body).not.toHaveProperty('filter.bool.must_not');
    expect(c.sent[1].body).toMatchObject({ filter: { bool: { filter: [range('@timestamp')] } } });
    expect(c.sent[1].body).not.toHaveProperty('tiebreaker_field');
    expect(c.sent[1].body).toHaveProperty('fields', [{ field: '@timestamp', format: 'strict_date_optional_time' }]);
  });

  it('asks for caller fields after the date fields and passes result_position', async () => {
    const c = clusterAnswering(() => emptyEqlResponse);
    await c.source.eqlSearch(seedRequest({ fields: ['host.name', '@timestamp'], resultPosition: 'tail', size: 7 }));
    expect(c.sent[0].body).toMatchObject({
      size: 7,
      result_position: 'tail',
      fields: [
        { field: 'event.ingested', format: 'strict_date_optional_time' },
        { field: '@timestamp', format: 'strict_date_optional_time' },
        'host.name',
      ],
    });
  });
});

describe('EQL search: response shapes', () => {
  it('parses an event response (documented shape) into hits', async () => {
    const c = clusterAnswering(() =>
      eqlAnswer(
        {
          events: [
            {
              _index: '.ds-logs-endpoint.events.file-default-2024.05.21-000001',
              _id: 'OQmfCaduce8zoHT93o4H',
              _source: {
                '@timestamp': '2024-05-21T10:01:02.000Z',
                event: { category: ['file'], type: ['creation'] },
                process: { name: 'lsass.exe', pid: 612 },
                file: { extension: 'dll', path: 'C:\\Windows\\Temp\\x.dll' },
              },
            },
            {
              _index: 'winlogbeat-8.13.0-2024.05.21',
              _id: 'xLkCaj4EujzdNSxfYLbO',
              _source: { '@timestamp': '2024-05-21T10:03:00.000Z', 'process.name': 'services.exe' },
              fields: { '@timestamp': ['2024-05-21T10:03:00.000Z'] },
            },
          ],
        },
        { took: 6 },
      ),
    );
    const r = await c.source.eqlSearch(seedRequest());
    expect(r.isPartial).toBe(false);
    expect(r.took).toBe(6);
    expect(r.shardFailures).toEqual([]);
    expect(r.hits.total).toEqual({ value: 2, relation: 'eq' });
    expect(r.hits.events?.map((e) => [e._index, e._id])).toEqual([
      ['.ds-logs-endpoint.events.file-default-2024.05.21-000001', 'OQmfCaduce8zoHT93o4H'],
      ['winlogbeat-8.13.0-2024.05.21', 'xLkCaj4EujzdNSxfYLbO'],
    ]);
    // `fields` are dropped unless the caller asked for fields
    expect(r.hits.events?.[1]).toEqual({
      _index: 'winlogbeat-8.13.0-2024.05.21',
      _id: 'xLkCaj4EujzdNSxfYLbO',
      _source: { '@timestamp': '2024-05-21T10:03:00.000Z', 'process.name': 'services.exe' },
    });
    expect(r.hits.sequences).toBeUndefined();
  });

  it('keeps the `fields` of each event when the caller asked for fields', async () => {
    const c = clusterAnswering(() =>
      eqlAnswer({ events: [{ _index: 'w', _id: '1', _source: { a: 1 }, fields: { 'host.name': ['ws-01'], '@timestamp': ['2024-05-21T10:03:00.000Z'] } }] }),
    );
    const r = await c.source.eqlSearch(seedRequest({ fields: ['host.name'] }));
    expect(r.hits.events?.[0]).toEqual({
      _index: 'w',
      _id: '1',
      _source: { a: 1 },
      fields: { 'host.name': ['ws-01'], '@timestamp': ['2024-05-21T10:03:00.000Z'] },
    });
  });

  it('parses a sequence response with join keys and a missing-event placeholder', async () => {
    const c = clusterAnswering(() =>
      eqlAnswer(
        {
          sequences: [
            {
              join_keys: [2012],
              events: [
                { _index: '.ds-my-data-stream-2099.12.07-000001', _id: 'AtOJ4UjUBAAx3XR5kcCM', _source: { process: { pid: 2012 } } },
                { _index: '', _id: '', _source: null, missing: true },
                { _index: '.ds-my-data-stream-2099.12.07-000001', _id: 'OQmfCaduce8zoHT93o4H', _source: { process: { pid: 2012 } } },
              ],
            },
          ],
        },
        { took: 60 },
      ),
    );
    const r = await c.source.eqlSearch(seedRequest({ query: 'sequence by process.pid [process where true] ![file where true] [file where true]' }));
    expect(r.hits.events).toBeUndefined();
    expect(r.hits.sequences).toEqual([
      {
        join_keys: [2012],
        events: [
          { _index: '.ds-my-data-stream-2099.12.07-000001', _id: 'AtOJ4UjUBAAx3XR5kcCM', _source: { process: { pid: 2012 } } },
          { _index: '', _id: '', missing: true },
          { _index: '.ds-my-data-stream-2099.12.07-000001', _id: 'OQmfCaduce8zoHT93o4H', _source: { process: { pid: 2012 } } },
        ],
      },
    ]);
  });

  it('reports is_partial and shard failures in the result', async () => {
    const c = clusterAnswering(() => ({
      ...eqlAnswer({ events: [{ _index: 'winlogbeat-1', _id: 'a', _source: {} }] }, { is_partial: true, took: 12 }),
      shard_failures: [
        {
          shard: 0,
          index: 'endgame-2024.05',
          node: 'n1',
          reason: { type: 'query_shard_exception', reason: 'failed to create query: field [file.extension] of type [long]' },
        },
      ],
    }));
    const r = await c.source.eqlSearch(seedRequest());
    expect(r.isPartial).toBe(true);
    expect(r.shardFailures).toEqual([
      { index: 'endgame-2024.05', reason: 'query_shard_exception: failed to create query: field [file.extension] of type [long]' },
    ]);
    expect(r.hits.events).toHaveLength(1);
  });

  it('an answer still running or timed out is partial too', async () => {
    const c = mockedCluster();
    let n = 0;
    c.route('POST', EQL_PATH, () => (++n === 1 ? { ...emptyEqlResponse, id: 'FmNJRUZ1YWZCU3dHY1BIOUhaenVSRkEaaXFlZ3h4c1RTWFNocDdnY2FSaERnUTozNDE=', is_running: true } : { ...emptyEqlResponse, timed_out: true }));
    expect((await c.source.eqlSearch(seedRequest())).isPartial).toBe(true);
    expect((await c.source.eqlSearch(seedRequest())).isPartial).toBe(true);
  });

  it('turns partial results into a retryable "partial" error when partial results are refused', async () => {
    const c = mockedCluster({ allowPartialResults: false });
    c.route('POST', EQL_PATH, () => ({ ...emptyEqlResponse, is_partial: true, shard_failures: [{ shard: 1, reason: { type: 'x', reason: 'boom' } }] }));
    const err = await c.source.eqlSearch(seedRequest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventSourceError);
    expect(err).toMatchObject({ kind: 'partial', retryable: true });
    expect(c.sent[0].body).toMatchObject({ allow_partial_search_results: false });
  });

  it('rejects a malformed response with the path of the bad field', async () => {
    const c = clusterAnswering(() => ({ hits: { events: [{ _index: 'a', _source: {} }] } }));
    await expect(c.source.eqlSearch(seedRequest())).rejects.toThrow(/hits\.events\.0\._id/);
  });
});

describe('EQL search: failures, error kinds and retries', () => {
  /** An Elasticsearch error answer: the cause as `error` and as its one root cause (which may say more, `rootOnly`). */
  const esError = (status: number, cause: { type: string; reason: string } & Record<string, unknown>, rootOnly: Record<string, unknown> = {}) => ({
    error: { root_cause: [{ ...cause, ...rootOnly }], ...cause },
    status,
  });
  const cases: { name: string; status: number; body: unknown; kind: string; reason: RegExp }[] = [
    {
      name: 'verification_exception (unknown field)',
      status: 400,
      body: esError(400, { type: 'verification_exception', reason: 'Found 1 problem\nline 1:7: Unknown column [file.extenssion]' }),
      kind: 'query_error',
      reason: /verification_exception: Found 1 problem\nline 1:7: Unknown column \[file\.extenssion\]/,
    },
    {
      name: 'parsing_exception',
      status: 400,
      body: esError(400, { type: 'parsing_exception', reason: "line 1:11: mismatched input 'wher' expecting 'where'" }),
      kind: 'query_error',
      reason: /parsing_exception: line 1:11: mismatched input 'wher'/,
    },
    {
      name: 'index_not_found_exception',
      status: 404,
      body: esError(404, {
        type: 'index_not_found_exception',
        reason: 'no such index [endgame-x]',
        'resource.type': 'index_or_alias',
        'resource.id': 'endgame-x',
        index_uuid: '_na_',
        index: 'endgame-x',
      }),
      kind: 'index_not_found',
      reason: /index not found \[endgame-x\]/,
    },
    {
      name: 'security_exception 401',
      status: 401,
      body: esError(
        401,
        { type: 'security_exception', reason: 'unable to authenticate with provided credentials and anonymous access is not allowed for this request' },
        { additional_unsuccessful_credentials: 'API key: invalid ApiKey value', header: { 'WWW-Authenticate': ['Basic realm="security" charset="UTF-8"', 'ApiKey'] } },
      ),
      kind: 'unauthorized',
      reason: /401 security_exception: unable to authenticate/,
    },
    {
      name: 'security_exception 403',
      status: 403,
      body: esError(403, {
        type: 'security_exception',
        reason:
          'action [indices:data/read/eql] is unauthorized for API key id [k1] of user [guidepost] on indices [winlogbeat-2024.05.21], this action is granted by the index privileges [read,all]',
      }),
      kind: 'forbidden',
      reason: /403 security_exception: action \[indices:data\/read\/eql\] is unauthorized/,
    },
  ];

  for (const tc of cases) {
    it(`${tc.name} → ${tc.kind}, not retried`, async () => {
      const c = clusterAnswering(() => clusterError(tc.status, tc.body));
      const err = await c.source.eqlSearch(seedRequest()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventSourceError);
      const e = err as EventSourceError;
      expect(e.kind).toBe(tc.kind);
      expect(e.retryable).toBe(false);
      expect(e.status).toBe(tc.status);
      expect(e.message).toMatch(tc.reason);
      expect(c.sent).toHaveLength(1);
      expect(c.sleeps).toEqual([]);
      expect(e.attempts).toBe(1);
    });
  }

  it('search_phase_execution_exception shows the underlying cause', async () => {
    const c = clusterAnswering(() =>
      clusterError(400, {
        error: {
          root_cause: [{ type: 'query_shard_exception', reason: 'failed to create query: For input string: "abc"' }],
          type: 'search_phase_execution_exception',
          reason: 'all shards failed',
          phase: 'query',
          grouped: true,
          failed_shards: [],
          caused_by: { type: 'number_format_exception', reason: 'For input string: "abc"' },
        },
        status: 400,
      }),
    );
    const e = (await c.source.eqlSearch(seedRequest()).catch((x: unknown) => x)) as EventSourceError;
    expect(e.kind).toBe('query_error');
    expect(e.reasonType).toBe('number_format_exception');
    expect(e.message).toContain('For input string: "abc"');
  });

  it('retries 503 with growing backoff, then succeeds', async () => {
    const c = mockedCluster();
    let n = 0;
    c.route('POST', EQL_PATH, () => {
      n++;
      if (n <= 2) {
        return clusterError(503, {
          error: { root_cause: [], type: 'cluster_block_exception', reason: 'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];' },
          status: 503,
        });
      }
      return emptyEqlResponse;
    });
    const r = await c.source.eqlSearch(seedRequest());
    expect(r.hits.total.value).toBe(0);
    expect(c.sent).toHaveLength(3);
    // full jitter with random()=0.5 → 3/4 of the doubled ceiling
    expect(c.sleeps).toEqual([188, 375]);
  });

  it('retries 429, 502 and 504 as well', async () => {
    for (const status of [429, 502, 504]) {
      const c = mockedCluster();
      let n = 0;
      c.route('POST', EQL_PATH, () => (++n === 1 ? clusterError(status, { error: { type: 'x', reason: 'busy' }, status }) : emptyEqlResponse));
      await c.source.eqlSearch(seedRequest());
      expect(c.sent, `status ${status}`).toHaveLength(2);
    }
  });

  it('an unreachable cluster is retried 3 times, then fails as unreachable', async () => {
    const c = clusterAnswering(() => new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'));
    const e = (await c.source.eqlSearch(seedRequest()).catch((x: unknown) => x)) as EventSourceError;
    expect(e).toBeInstanceOf(EventSourceError);
    expect(e.kind).toBe('unreachable');
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/cannot reach the cluster.*ECONNREFUSED/);
    expect(c.sent).toHaveLength(4);
    expect(e.attempts).toBe(4);
    expect(c.sleeps).toEqual([188, 375, 750]);
  });

  it('a client-side timeout is retried, then fails as timeout', async () => {
    const c = mockedCluster({ retry: { retries: 1 } });
    c.route('POST', EQL_PATH, () => new errors.TimeoutError('Request timed out'));
    const e = (await c.source.eqlSearch(seedRequest()).catch((x: unknown) => x)) as EventSourceError;
    expect(e.kind).toBe('timeout');
    expect(c.sent).toHaveLength(2);
  });

  it('resends without the fields a cluster older than 8.18 does not know, and remembers', async () => {
    const c = clusterAnswering((req) => {
      const body = req.body as Record<string, unknown>;
      // like 8.17: the body parser stops at the first unknown field
      const unknown = ['allow_partial_search_results', 'allow_partial_sequence_results'].find((f) => f in body);
      if (unknown) {
        return clusterError(400, {
          error: {
            root_cause: [{ type: 'x_content_parse_exception', reason: `[1:321] [eql/search] unknown field [${unknown}]` }],
            type: 'x_content_parse_exception',
            reason: `[1:321] [eql/search] unknown field [${unknown}]`,
          },
          status: 400,
        });
      }
      return emptyEqlResponse;
    });
    await c.source.eqlSearch(seedRequest());
    await c.source.eqlSearch(seedRequest());
    expect(c.sent).toHaveLength(4);
    expect(c.sent[1].body).not.toHaveProperty('allow_partial_search_results');
    expect(c.sent[1].body).toHaveProperty('allow_partial_sequence_results', false);
    expect(c.sent[2].body).not.toHaveProperty('allow_partial_sequence_results');
    expect(c.sent[2].body).toHaveProperty('result_position', 'head');
    expect(c.sent[3].body).not.toHaveProperty('allow_partial_search_results');
    expect(c.sent[3].body).not.toHaveProperty('allow_partial_sequence_results');
  });

  it('an unknown field that is not optional is a query error, not resent', async () => {
    const c = clusterAnswering(() =>
      clusterError(400, { error: { type: 'x_content_parse_exception', reason: '[1:9] [eql/search] unknown field [tiebreaker_field]' }, status: 400 }),
    );
    await expect(c.source.eqlSearch(seedRequest())).rejects.toMatchObject({ kind: 'query_error' });
    expect(c.sent).toHaveLength(1);
  });

  it('a caller abort stops at once: not retried, no backoff', async () => {
    const c = clusterAnswering(() => new errors.ConnectionError('socket hang up'));
    const ac = new AbortController();
    ac.abort();
    const e = (await c.source.eqlSearch(seedRequest({ signal: ac.signal })).catch((x: unknown) => x)) as EventSourceError;
    expect(e).toBeInstanceOf(EventSourceError);
    expect(c.sleeps).toEqual([]);
    expect(c.sent.length).toBeLessThanOrEqual(1);
    expect(e).toMatchObject({ kind: 'unknown', retryable: false });
    expect(e.message).toMatch(/aborted/);
  });

  it('an index list without patterns is refused before any request', async () => {
    const c = clusterAnswering(() => emptyEqlResponse);
    await expect(c.source.eqlSearch(seedRequest({ index: [] }))).rejects.toMatchObject({ kind: 'query_error' });
    expect(c.sent).toHaveLength(0);
  });
});
