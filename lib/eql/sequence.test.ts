import { describe, expect, it } from 'vitest';
import { search } from './search';
import { schemaFromMappings } from './schema';
import type { EqlEvent, EqlHits, SearchOptions } from './types';

function ev(id: number, ts: number | string, source: Record<string, unknown>): EqlEvent {
  return { _index: 'test', _id: String(id), _source: { id, '@timestamp': ts, ...source } };
}
function seqIds(h: EqlHits): number[][] {
  return (h.sequences ?? []).map((s) => s.events.map((e) => ('missing' in e ? -1 : (e._source.id as number))));
}
const opts: SearchOptions = { size: 100, tiebreakerField: 'id' };
const MIN = 60_000;

describe('sequences', () => {
  it('one event serves several stages of different partial sequences ([a][true][true])', () => {
    const events = [1, 2, 3, 4, 5].map((i) => ev(i, i, { event: { category: 'process' } }));
    const h = search(events, 'sequence [process where true] [process where true] [process where true]', opts);
    expect(seqIds(h)).toEqual([
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 5],
    ]);
  });
  it('joins by key, newest partial overwrites, completion order', () => {
    const events = [
      ev(1, 1, { event: { category: 'a' }, k: 'x' }),
      ev(2, 2, { event: { category: 'a' }, k: 'y' }),
      ev(3, 3, { event: { category: 'a' }, k: 'x' }),
      ev(4, 4, { event: { category: 'b' }, k: 'y' }),
      ev(5, 5, { event: { category: 'b' }, k: 'x' }),
      ev(6, 6, { event: { category: 'b' } }),
    ];
    const h = search(events, 'sequence by k [a where true] [b where true]', opts);
    expect(seqIds(h)).toEqual([
      [2, 4],
      [3, 5],
    ]);
    expect(h.sequences?.map((s) => s.join_keys)).toEqual([['y'], ['x']]);
  });
  it('maxspan is measured from the first event (inclusive bound)', () => {
    const events = [ev(1, 0, { event: { category: 'a' } }), ev(2, 1000, { event: { category: 'b' } }), ev(3, 5000, { event: { category: 'a' } }), ev(4, 7001, { event: { category: 'b' } })];
    const h = search(events, 'sequence with maxspan=2s [a where true] [b where true]', opts);
    expect(seqIds(h)).toEqual([[1, 2]]);
    const h2 = search(events, 'sequence with maxspan=2001ms [a where true] [b where true]', opts);
    expect(seqIds(h2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
  it('until ends pending sequences of its key', () => {
    const events = [
      ev(1, 1, { event: { category: 'a' }, k: 1 }),
      ev(2, 2, { event: { category: 'stop' }, k: 1 }),
      ev(3, 3, { event: { category: 'b' }, k: 1 }),
      ev(4, 4, { event: { category: 'a' }, k: 2 }),
      ev(5, 5, { event: { category: 'stop' }, k: 1 }),
      ev(6, 6, { event: { category: 'b' }, k: 2 }),
    ];
    const h = search(events, 'sequence by k [a where true] [b where true] until [stop where true]', opts);
    expect(seqIds(h)).toEqual([[4, 6]]);
  });
  it('with runs=N repeats a stage', () => {
    const events = [1, 2, 3, 4].map((i) => ev(i, i, { event: { category: i === 4 ? 'b' : 'a' } }));
    expect(seqIds(search(events, 'sequence [a where true] with runs=2 [b where true]', opts))).toEqual([[2, 3, 4]]);
  });
  it('multi-valued keys: each distinct value is a key; optional null keys are values', () => {
    const events = [
      ev(1, 1, { event: { category: 'a' }, k: [1, 2, 2] }),
      ev(2, 2, { event: { category: 'b' }, k: 2 }),
      ev(3, 3, { event: { category: 'a' } }),
      ev(4, 4, { event: { category: 'b' } }),
    ];
    expect(seqIds(search(events, 'sequence by k [a where true] [b where true]', opts))).toEqual([[1, 2]]);
    const h = search(events, 'sequence by ?k [a where true] [b where true]', opts);
    expect(seqIds(h)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(h.sequences?.map((s) => s.join_keys)).toEqual([[2], [null]]);
  });
  it('date join keys are reported as ISO strings', () => {
    const schema = schemaFromMappings({ properties: { d: { type: 'date' } } });
    const events = [ev(1, 1, { event: { category: 'a' }, d: 0 }), ev(2, 2, { event: { category: 'b' }, d: '1970-01-01T00:00:00Z' })];
    const h = search(events, 'sequence by d [a where true] [b where true]', { ...opts, schema });
    expect(h.sequences?.[0]?.join_keys).toEqual(['1970-01-01T00:00:00.000Z']);
  });
  it('missing events: leading and trailing judged together against maxspan (§6.6)', () => {
    const events = [ev(1, 0, { event: { category: 'm' } }), ev(2, 10 * MIN, { event: { category: 'n' } }), ev(3, 20 * MIN, { event: { category: 'm' } })];
    expect(seqIds(search(events, 'sequence with maxspan=19m ![m where true] [n where true] ![m where true]', opts))).toEqual([[-1, 2, -1]]);
    expect(seqIds(search(events, 'sequence with maxspan=21m ![m where true] [n where true] ![m where true]', opts))).toEqual([]);
    const onlyBefore = events.slice(0, 2);
    expect(seqIds(search(onlyBefore, 'sequence with maxspan=21m ![m where true] [n where true] ![m where true]', opts))).toEqual([[-1, 2, -1]]);
  });
  it('missing events: a middle event between the neighbours rejects the candidate', () => {
    const events = [
      ev(1, 1, { event: { category: 'a' }, k: 1 }),
      ev(2, 2, { event: { category: 'm' }, k: 1 }),
      ev(3, 3, { event: { category: 'b' }, k: 1 }),
      ev(4, 4, { event: { category: 'a' }, k: 2 }),
      ev(5, 5, { event: { category: 'm' }, k: 1 }),
      ev(6, 6, { event: { category: 'b' }, k: 2 }),
    ];
    const h = search(events, 'sequence by k with maxspan=1h [a where true] ![m where true] [b where true]', opts);
    expect(seqIds(h)).toEqual([[4, -1, 6]]);
  });
  it('head and tail select whole sequences', () => {
    const events = [1, 2, 3, 4, 5].map((i) => ev(i, i, { event: { category: 'a' } }));
    expect(seqIds(search(events, 'sequence [a where true] [a where true] | tail 2', opts))).toEqual([
      [3, 4],
      [4, 5],
    ]);
    expect(seqIds(search(events, 'sequence [a where true] [a where true] | head 1', opts))).toEqual([[1, 2]]);
  });
});

describe('samples', () => {
  const events = [
    ev(1, 1, { event: { category: 'a' }, os: 'win' }),
    ev(2, 2, { event: { category: 'a' }, os: 'win' }),
    ev(3, 3, { event: { category: 'b' }, os: 'win' }),
    ev(4, 4, { event: { category: 'b' }, os: 'GTA' }),
    ev(5, 5, { event: { category: 'a' }, os: 'GTA' }),
    ev(6, 6, { event: { category: 'a' } }),
    ev(7, 7, { event: { category: 'b' } }),
  ];
  it('one event per filter, samples ordered by key (null first, byte order)', () => {
    const h = search(events, 'sample by os [a where true] [b where true]', opts);
    expect(seqIds(h)).toEqual([
      [5, 4],
      [1, 3],
    ]);
    expect(h.sequences?.map((s) => s.join_keys)).toEqual([['GTA'], ['win']]);
    const h2 = search(events, 'sample by ?os [a where true] [b where true]', opts);
    expect(h2.sequences?.map((s) => s.join_keys)).toEqual([[null], ['GTA'], ['win']]);
  });
  it('max_samples_per_key and size', () => {
    const h = search(events, 'sample by os [a where true] [b where true]', { ...opts, maxSamplesPerKey: 2 });
    expect(seqIds(h)).toEqual([
      [5, 4],
      [1, 3],
      [2, 3],
    ]);
    expect(seqIds(search(events, 'sample by os [a where true] [b where true]', { ...opts, size: 1 }))).toEqual([[5, 4]]);
    expect(seqIds(search(events, 'sample by os [a where true] [b where true]', { ...opts, size: 0 }))).toEqual([]);
  });
  it('an event does not fill two filters of one sample', () => {
    const xs = [ev(1, 1, { event: { category: 'a' }, os: 'x' })];
    expect(seqIds(search(xs, 'sample by os [any where true] [any where true]', opts))).toEqual([]);
  });
});
