/**
 * Zone-less timestamps are UTC whatever the server's time zone: this file runs the document
 * reader, the detection run over the embedded store and the evidence helpers under
 * TZ=Asia/Shanghai (UTC+8). Before lib/eql/document, the detection run read
 * `2024-05-21T10:00:00` with Date.parse, i.e. as 02:00Z here, while the store read 10:00Z.
 */
process.env.TZ = 'Asia/Shanghai';

import { beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb } from '@/lib/store/db';
import { runRule } from '@/lib/detection/run';
import { toIso } from '@/lib/detection/fields';
import { eventTime, toMs } from '@/lib/investigation/fields';
import { openEventStore } from '@/lib/events/embedded/store';
import { createEmbeddedSource } from '@/lib/events/embedded/source';
import { toEpochMs } from '@/lib/events/embedded/fields';
import { parseTimestamp } from '@/lib/eql';
import { makeRule } from '../detection/helpers';

const ZONELESS = '2024-05-21T10:00:00';
const UTC_MS = Date.UTC(2024, 4, 21, 10, 0, 0);

beforeEach(() => {
  useMemoryDb();
});

describe('under TZ=Asia/Shanghai', () => {
  it('the process really runs in UTC+8 (so this file can fail)', () => {
    expect(new Date(2024, 4, 21, 10).toISOString()).toBe('2024-05-21T02:00:00.000Z');
    expect(Date.parse(ZONELESS)).toBe(UTC_MS - 8 * 3_600_000);
  });

  it('every timestamp reader reads a zone-less time as UTC', () => {
    expect(parseTimestamp(ZONELESS)).toBe(UTC_MS);
    expect(toIso(ZONELESS)).toBe('2024-05-21T10:00:00.000Z');
    expect(toMs(ZONELESS)).toBe(UTC_MS);
    expect(toEpochMs(ZONELESS)).toBe(UTC_MS);
    expect(eventTime({ _index: 'i', _id: '1', _source: { '@timestamp': ZONELESS } })).toBe('2024-05-21T10:00:00.000Z');
  });

  it("an alert's time is the time of the window it matched in", async () => {
    const store = openEventStore({ file: ':memory:' });
    store.insert([
      {
        _index: 'logs-endpoint.events.file-default',
        _id: 'zoneless',
        _source: {
          '@timestamp': ZONELESS,
          event: { category: 'file', type: 'creation', ingested: ZONELESS },
          host: { name: 'ws-01' },
          process: { name: 'lsass.exe', entity_id: 'p1' },
          file: { path: 'C:\\Windows\\Temp\\x.dll', extension: 'dll' },
        },
      },
    ]);
    const source = createEmbeddedSource(store);
    // a window of 09:59–10:01 UTC: the store finds the event in it
    const out = await runRule(makeRule(), { from: '2024-05-21T09:59:00.000Z', to: '2024-05-21T10:01:00.000Z' }, { source, trigger: 'manual' });
    expect(out.created).toHaveLength(1);
    expect(out.created[0]!.timestamp).toBe('2024-05-21T10:00:00.000Z');
  });
});
