import { describe, expect, it } from 'vitest';
import type { ProcessLookupRequest, StoredEvent } from '../events/types';
import { processLineage } from './lineage';

const ev = (id: string, parent?: unknown): StoredEvent => ({
  _index: 'i',
  _id: id,
  _source: { process: { entity_id: id, ...(parent === undefined ? {} : { parent: { entity_id: parent } }) } },
});

function fake(docs: Record<string, StoredEvent>) {
  const asked: ProcessLookupRequest[] = [];
  return {
    asked,
    async findProcessesByEntityIds(req: ProcessLookupRequest) {
      asked.push(req);
      return new Map(req.entityIds.filter((id) => docs[id]).map((id) => [id, docs[id]!]));
    },
  };
}

describe('processLineage: the one walk over findProcessesByEntityIds', () => {
  const W = { from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z' };

  it('subject first up to the root, one lookup per generation with host and window', async () => {
    const src = fake({ c: ev('c', 'b'), b: ev('b', 'a'), a: ev('a') });
    const r = await processLineage(src, { entityId: 'c', host: 'WS-01', window: W });
    expect(r.items.map((e) => e._id)).toEqual(['c', 'b', 'a']);
    expect(r.truncated).toBe(false);
    expect(src.asked).toEqual([
      { entityIds: ['c'], host: 'WS-01', window: W },
      { entityIds: ['b'], host: 'WS-01', window: W },
      { entityIds: ['a'], host: 'WS-01', window: W },
    ]);
  });

  it('stops after maxDepth ancestors (truncated), at a parent without an event, and at a cycle', async () => {
    const chain = fake({ c: ev('c', 'b'), b: ev('b', 'a'), a: ev('a') });
    const cut = await processLineage(chain, { entityId: 'c', maxDepth: 1 });
    expect(cut.items.map((e) => e._id)).toEqual(['c', 'b']);
    expect(cut.truncated).toBe(true);
    const orphan = await processLineage(fake({ c: ev('c', 'gone') }), { entityId: 'c' });
    expect(orphan.items.map((e) => e._id)).toEqual(['c']);
    expect(orphan.truncated).toBe(false);
    const loop = fake({ a: ev('a', 'b'), b: ev('b', 'a') });
    const r = await processLineage(loop, { entityId: 'a' });
    expect(r.items.map((e) => e._id)).toEqual(['a', 'b']);
    expect(loop.asked).toHaveLength(2);
  });

  it('an empty parent id ends the walk; a numeric one is followed as text', async () => {
    const r = await processLineage(fake({ c: ev('c', ''), '7': ev('7') }), { entityId: 'c' });
    expect(r.items.map((e) => e._id)).toEqual(['c']);
    const n = await processLineage(fake({ c: ev('c', 7), '7': ev('7') }), { entityId: 'c' });
    expect(n.items.map((e) => e._id)).toEqual(['c', '7']);
  });
});
