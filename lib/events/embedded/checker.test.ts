/**
 * The embedded EQL path runs the checker as lib/eql's search() does: a query the checker
 * rejects (QA: comparing two fields) is an EqlError before anything runs, through
 * eqlSearch and through `guidepost eql`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openEventStore, type EventStore } from './store';
import { createEmbeddedSource } from './source';
import { setEventSourceForTesting } from '../index';
import { isEqlError } from '../../eql/errors';
import { main } from '../../cli/eql';
import type { StoredEvent } from '../types';
import { captureConsole } from '@/tests/support/console';

const EVENTS: StoredEvent[] = [
  {
    _index: 'logs-endpoint.events.process-default',
    _id: 'p1',
    _source: {
      '@timestamp': '2024-05-21T10:00:00.000Z',
      event: { category: ['process'], type: ['start'] },
      process: { name: 'cmd.exe', entity_id: 'e1', parent: { name: 'cmd.exe' } },
    },
  },
];
const FIELD_VS_FIELD = 'process where process.name == process.parent.name';

let store: EventStore;
beforeEach(() => {
  store = openEventStore({ file: ':memory:' });
  store.insert(EVENTS);
});
afterEach(() => {
  vi.restoreAllMocks();
  setEventSourceForTesting(undefined);
  store.close();
});

describe('embedded eqlSearch checks the query', () => {
  it('a field compared with a field is rejected with an EqlError, not run', async () => {
    const src = createEmbeddedSource(store);
    const err: unknown = await src.eqlSearch({ index: ['*'], query: FIELD_VS_FIELD, size: 10 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isEqlError(err)).toBe(true);
    expect(err instanceof Error ? err.message : '').not.toBe('');
  });

  it('a valid query still runs', async () => {
    const src = createEmbeddedSource(store);
    const res = await src.eqlSearch({ index: ['*'], query: 'process where process.name == "cmd.exe"', size: 10 });
    expect(res.hits.events?.map((e) => e._id)).toEqual(['p1']);
  });

  it('guidepost eql: exit 1 with the checker message, no hits printed', async () => {
    setEventSourceForTesting(createEmbeddedSource(store));
    const { out, err } = captureConsole();
    expect(await main([FIELD_VS_FIELD])).toBe(1);
    expect(out.join('\n')).not.toContain('p1');
    expect(err.join('\n')).toMatch(/line 1/i);
  });
});
