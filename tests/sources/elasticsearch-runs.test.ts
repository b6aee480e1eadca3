/**
 * Rule runs of the seed rule against Elasticsearch (client mock): what each cluster
 * failure leaves on the run record, and how often the cluster was asked.
 */
import path from 'node:path';
import { errors } from '@elastic/elasticsearch';
import { beforeEach, describe, expect, it } from 'vitest';
import { runRule } from '@/lib/detection/run';
import { clusterError, mockedCluster } from '@/lib/events/elasticsearch/testing';
import { loadRuleFile } from '@/lib/rules/load';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { countAlerts } from '@/lib/store/alerts';
import { simulateCluster } from './cluster-sim';

const SHARED = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
const rule = loadRuleFile(path.join(SHARED, 'rules', 'seed-rule.v2024-05.toml'));
const W = { from: '2024-05-21T10:00:00.000Z', to: '2024-05-21T10:09:00.000Z' };
const EQL_PATH = '/:index/_eql/search';
const noSleep = async () => {};

beforeEach(() => {
  useMemoryDb();
});

describe('seed-rule runs on Elasticsearch', () => {
  it('a good answer creates one alert per event, and none again for the same window', async () => {
    const c = mockedCluster();
    simulateCluster(c, [
      {
        _index: 'logs-endpoint.events.file-default',
        _id: 'f1',
        _source: {
          '@timestamp': '2024-05-21T10:01:00.000Z',
          event: { category: ['file'], type: ['creation'], ingested: '2024-05-21T10:01:02.000Z' },
          host: { name: 'ws-01', os: { type: 'windows' } },
          process: { name: 'lsass.exe', entity_id: 'e1' },
          file: { extension: 'dll', path: 'C:\\Windows\\Temp\\a.dll' },
        },
      },
      {
        _index: 'winlogbeat-2024.05.21',
        _id: 'f2',
        _source: {
          '@timestamp': '2024-05-21T10:02:00.000Z',
          event: { category: ['file'], type: ['creation'] },
          host: { name: 'ws-01', os: { type: 'windows' } },
          process: { name: 'services.exe', entity_id: 'e2' },
          file: { extension: 'exe', path: 'C:\\Windows\\Temp\\b.exe' },
        },
      },
    ]);
    const first = await runRule(rule, W, { source: c.source, trigger: 'manual' });
    expect(first.error).toBeNull();
    expect(first.run).toMatchObject({ status: 'succeeded', hits: 2, alertsCreated: 2, error: null });
    expect(first.created.map((a) => [a.event._index, a.event._id, a.hostName, a.processName])).toEqual([
      ['logs-endpoint.events.file-default', 'f1', 'ws-01', 'lsass.exe'],
      ['winlogbeat-2024.05.21', 'f2', 'ws-01', 'services.exe'],
    ]);
    const again = await runRule(rule, W, { source: c.source, trigger: 'manual' });
    expect(again.run).toMatchObject({ status: 'succeeded', hits: 2, alertsCreated: 0 });
    expect(countAlerts(getDb())).toBe(2);
  });

  it('an EQL error from the cluster fails the run with the cluster’s reason, asked once', async () => {
    const c = mockedCluster();
    c.route('POST', EQL_PATH, () =>
      clusterError(400, {
        error: {
          root_cause: [{ type: 'verification_exception', reason: 'Found 1 problem\nline 1:12: Unknown column [host.os.type]' }],
          type: 'verification_exception',
          reason: 'Found 1 problem\nline 1:12: Unknown column [host.os.type]',
        },
        status: 400,
      }),
    );
    const r = await runRule(rule, W, { source: c.source, trigger: 'scheduled', attempts: 3, sleep: noSleep });
    expect(r.run?.status).toBe('failed');
    expect(r.run?.error).toMatch(/^query_error: .*verification_exception: Found 1 problem\nline 1:12: Unknown column \[host\.os\.type\]/);
    expect(r.error).toMatchObject({ kind: 'query_error', retryable: false });
    expect(c.sent).toHaveLength(1);
    expect(countAlerts(getDb())).toBe(0);
  });

  it('401 and 403 fail the run at once with what to check', async () => {
    for (const [status, kind, hint] of [
      [401, 'unauthorized', /ELASTICSEARCH_API_KEY/],
      [403, 'forbidden', /read and view_index_metadata/],
    ] as const) {
      const c = mockedCluster();
      c.route('POST', EQL_PATH, () => clusterError(status, { error: { type: 'security_exception', reason: 'denied' }, status }));
      const r = await runRule(rule, W, { source: c.source, trigger: 'scheduled', attempts: 3, sleep: noSleep });
      expect(r.run?.status).toBe('failed');
      expect(r.run?.error).toMatch(hint);
      expect(r.error).toMatchObject({ kind, retryable: false });
      expect(c.sent).toHaveLength(1);
    }
  });

  it('an unreachable cluster: the source retries with backoff (4 calls), the run fails as retryable', async () => {
    const c = mockedCluster();
    c.route('POST', EQL_PATH, () => new errors.ConnectionError('connect ECONNREFUSED 10.0.0.5:9200'));
    const r = await runRule(rule, W, { source: c.source, trigger: 'scheduled', attempts: 3, sleep: noSleep });
    expect(r.run?.status).toBe('failed');
    expect(r.run?.error).toMatch(/^unreachable: .*ECONNREFUSED 10\.0\.0\.5:9200/);
    expect(r.error).toMatchObject({ kind: 'unreachable', retryable: true });
    // the source's own retries, not multiplied by the run's attempts
    expect(c.sent).toHaveLength(4);
    expect(c.sleeps).toHaveLength(3);
  });

  it('a cluster back after one 503 gives a normal run', async () => {
    const c = mockedCluster();
    let n = 0;
    c.route('POST', EQL_PATH, () =>
      ++n === 1
        ? clusterError(503, { error: { type: 'no_shard_available_action_exception', reason: 'No shard available' }, status: 503 })
        : { is_partial: false, is_running: false, took: 1, timed_out: false, hits: { total: { value: 0, relation: 'eq' }, events: [] } },
    );
    const r = await runRule(rule, W, { source: c.source, trigger: 'scheduled' });
    expect(r.run?.status).toBe('succeeded');
    expect(c.sent).toHaveLength(2);
  });

  it('partial results are kept and the run says which shards failed', async () => {
    const c = mockedCluster();
    c.route('POST', EQL_PATH, () => ({
      is_partial: true,
      is_running: false,
      took: 5,
      timed_out: false,
      shard_failures: [{ shard: 0, index: 'endgame-2024.05', reason: { type: 'node_disconnected_exception', reason: '[node-3] disconnected' } }],
      hits: {
        total: { value: 1, relation: 'eq' },
        events: [{ _index: 'winlogbeat-1', _id: 'p1', _source: { '@timestamp': '2024-05-21T10:03:00.000Z', host: { name: 'ws-09' } } }],
      },
    }));
    const r = await runRule(rule, W, { source: c.source, trigger: 'scheduled' });
    expect(r.run?.status).toBe('partial');
    expect(r.run?.error).toMatch(/endgame-2024\.05: node_disconnected_exception: \[node-3\] disconnected/);
    expect(r.run?.shardFailures).toEqual([{ index: 'endgame-2024.05', reason: 'node_disconnected_exception: [node-3] disconnected' }]);
    expect(r.created.map((a) => a.event._id)).toEqual(['p1']);
  });
});
