/**
 * `guidepost eql` goes through getEventSource(): the embedded store by default, the cluster
 * when one is configured. Output: the `hits` of an `_eql/search` answer; a bad query gives
 * line, column and a caret on stderr and a non-zero exit.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setEventSourceForTesting } from '../events';
import { createEmbeddedSource } from '../events/embedded/source';
import { openEventStore, type EventStore } from '../events/embedded/store';
import { clusterError, mockedCluster } from '../events/elasticsearch/testing';
import type { StoredEvent } from '../events/types';
import { clusterCaret, main } from './eql';
import { captureConsole } from '@/tests/support/console';

const EVENTS: StoredEvent[] = [
  {
    _index: 'logs-endpoint.events.process-default',
    _id: 'p1',
    _source: { '@timestamp': '2024-05-21T10:00:00.000Z', event: { category: ['process'], type: ['start'] }, process: { name: 'cmd.exe', entity_id: 'e1' } },
  },
  {
    _index: 'logs-endpoint.events.process-default',
    _id: 'p2',
    _source: { '@timestamp': '2024-05-21T10:01:00.000Z', event: { category: ['process'], type: ['start'] }, process: { name: 'calc.exe', entity_id: 'e2' } },
  },
];

let out: string[];
let err: string[];
let store: EventStore | undefined;

beforeEach(() => {
  ({ out, err } = captureConsole());
});

afterEach(() => {
  vi.restoreAllMocks();
  setEventSourceForTesting(undefined);
  store?.close();
  store = undefined;
});

describe('guidepost eql on the embedded store', () => {
  beforeEach(() => {
    store = openEventStore({ file: ':memory:' });
    store.insert(EVENTS);
    setEventSourceForTesting(createEmbeddedSource(store));
  });

  it('prints the hits as JSON shaped like _eql/search', async () => {
    expect(await main(['process where process.name : "CMD.EXE"', '--index', 'logs-*'])).toBe(0);
    const hits = JSON.parse(out.join('\n')) as { total: { value: number }; events: StoredEvent[] };
    expect(hits.events.map((e) => [e._index, e._id])).toEqual([['logs-endpoint.events.process-default', 'p1']]);
    expect(hits.events[0]!._source).toEqual(EVENTS[0]!._source);
    expect(hits.total.value).toBe(1);
  });

  it('a bad query: line, column and a caret, exit 1', async () => {
    expect(await main(['process wher true'])).toBe(1);
    const text = err.join('\n');
    expect(text).toMatch(/line 1, column 9/);
    expect(text).toContain('process wher true\n        ^');
    expect(out).toEqual([]);
  });

  it('bad arguments exit 2 with the usage', async () => {
    expect(await main(['any where true', '--size', 'zero'])).toBe(2);
    expect(err.join('\n')).toMatch(/size/);
  });
});

describe('guidepost eql on Elasticsearch', () => {
  it('sends the query to the cluster and prints its hits', async () => {
    const c = mockedCluster();
    c.route('POST', '/:index/_eql/search', () => ({
      is_partial: false,
      is_running: false,
      took: 3,
      timed_out: false,
      hits: { total: { value: 1, relation: 'eq' }, events: [{ _index: 'remote-1', _id: 'r1', _source: { '@timestamp': '2024-05-21T10:00:00.000Z', process: { name: 'cmd.exe' } } }] },
    }));
    setEventSourceForTesting(c.source);
    expect(await main(['process where process.name : "cmd.exe"', '--index', 'remote-*', '--size', '5'])).toBe(0);
    expect(c.sent).toHaveLength(1);
    expect(c.sent[0]!.path).toBe('/remote-*/_eql/search');
    expect(c.sent[0]!.body).toMatchObject({ query: 'process where process.name : "cmd.exe"', size: 5, result_position: 'tail' });
    const hits = JSON.parse(out.join('\n')) as { events: StoredEvent[] };
    expect(hits.events.map((e) => e._id)).toEqual(['r1']);
  });

  it('a syntax error is reported with its caret before any request', async () => {
    const c = mockedCluster();
    c.route('POST', '/:index/_eql/search', () => ({ hits: { total: { value: 0, relation: 'eq' }, events: [] } }));
    setEventSourceForTesting(c.source);
    expect(await main(['process wher true'])).toBe(1);
    expect(c.sent).toEqual([]);
    expect(err.join('\n')).toMatch(/line 1, column 9/);
  });

  it("the cluster's rejection is printed with a caret at the position it names", async () => {
    const c = mockedCluster();
    const reason = 'Found 1 problem\nline 1:15: Unknown column [proces.name]';
    c.route('POST', '/:index/_eql/search', () =>
      clusterError(400, { error: { type: 'verification_exception', reason, root_cause: [{ type: 'verification_exception', reason }] }, status: 400 }),
    );
    setEventSourceForTesting(c.source);
    expect(await main(['process where proces.name == "x"'])).toBe(1);
    const text = err.join('\n');
    expect(text).toContain('Unknown column [proces.name]');
    expect(text).toContain('process where proces.name == "x"\n              ^');
  });
});

describe('clusterCaret', () => {
  it('points at line and column of a multi-line query', () => {
    expect(clusterCaret('any where\n  foo ==', 'line 2:3: bad')).toBe('\n  foo ==\n  ^');
    expect(clusterCaret('any where true', 'no position')).toBe('');
    expect(clusterCaret('any where true', 'line 4:1: beyond')).toBe('');
  });
});
