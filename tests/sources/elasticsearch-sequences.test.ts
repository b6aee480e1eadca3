/**
 * Elasticsearch side of the sequence case the shared suite runs on both sources: EQL orders
 * by @timestamp and the rule's timestamp override only places the window, so a sequence
 * whose first event lacks event.ingested is still found.
 */
import { describe, expect, it } from 'vitest';
import { mockedCluster } from '@/lib/events/elasticsearch/testing';
import type { EqlSearchRequest, StoredEvent } from '@/lib/events/types';
import { simulateCluster } from './cluster-sim';

const W = { from: '2024-05-21T10:00:00.000Z', to: '2024-05-21T10:09:00.000Z' };

const EVENTS: StoredEvent[] = [
  {
    _index: 'logs-endpoint.events.process-default',
    _id: 'start',
    _source: { '@timestamp': '2024-05-21T10:02:30.000Z', event: { category: ['process'], type: ['start'] }, process: { entity_id: 'e1' } },
  },
  {
    _index: 'logs-endpoint.events.file-default',
    _id: 'dll',
    _source: {
      '@timestamp': '2024-05-21T10:04:30.000Z',
      event: { category: ['file'], type: ['creation'], ingested: '2024-05-21T10:04:31.000Z' },
      process: { entity_id: 'e1' },
      file: { extension: 'dll' },
    },
  },
];

/** The start → dll sequence searched over EVENTS in the window, with the event.ingested override. */
async function searchSequence(over: Partial<EqlSearchRequest>) {
  const c = mockedCluster();
  simulateCluster(c, EVENTS);
  return c.source.eqlSearch({
    index: ['logs-endpoint.events.*'],
    query: 'sequence by process.entity_id [process where event.type == "start"] [file where file.extension : "dll"]',
    window: W,
    timestampField: 'event.ingested',
    size: 100,
    ...over,
  });
}

describe('elasticsearch: sequences with the timestamp override', () => {
  it('finds a sequence whose first event has no event.ingested (judged by @timestamp)', async () => {
    const r = await searchSequence({});
    expect(r.hits.sequences?.map((s) => s.events.map((e) => e._id))).toEqual([['start', 'dll']]);
    expect(r.hits.sequences?.[0].join_keys).toEqual(['e1']);
  });

  it('without the fallback, the event lacking event.ingested is outside the window', async () => {
    const r = await searchSequence({ fallbackToTimestamp: false });
    expect(r.hits.sequences ?? []).toEqual([]);
  });
});
