/**
 * QA: a top-level `[1,2,3]` line was three rejections ("line 6" x3) and counted three
 * reads; `{"@timestamp":"not a date"}` was stored. Now one rejected record with one reason,
 * and an unparseable @timestamp is rejected naming the field and the value.
 */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStore, type EventStore } from './embedded/store';
import { ingestFile } from './ingest';

let store: EventStore | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

const good = (i: number) => JSON.stringify({ '@timestamp': `2024-05-21T10:0${i}:00.000Z`, event: { category: ['process'] }, process: { name: `p${i}.exe` } });

describe('ingest rejections', () => {
  it('a non-object JSON line is one rejected record; an unparseable @timestamp is rejected with field and value', async () => {
    store = openEventStore({ file: ':memory:' });
    const lines = [good(1), good(2), good(3), good(4), good(5), '[1,2,3]', '{"@timestamp":"not a date","event":{"category":["file"]}}'];
    const report = await ingestFile(Readable.from([lines.join('\n') + '\n']), { store });
    expect(report.read).toBe(7);
    expect(report.stored).toBe(5);
    expect(report.rejectedCount).toBe(2);
    expect(report.rejected.map((r) => r.line)).toEqual([6, 7]);
    expect(report.rejected[0]!.reason).toMatch(/expected a JSON object/);
    expect(report.rejected[1]!.reason).toContain('@timestamp');
    expect(report.rejected[1]!.reason).toContain('"not a date"');
  });

  it('an NDJSON line holding an array of documents keeps its objects and rejects the rest once', async () => {
    store = openEventStore({ file: ':memory:' });
    const lines = [good(3), `[${good(1)},7,${good(2)}]`];
    const report = await ingestFile(Readable.from([lines.join('\n') + '\n']), { store });
    expect(report.stored).toBe(3);
    expect(report.rejectedCount).toBe(1);
    expect(report.rejected[0]).toMatchObject({ line: 2 });
    expect(report.rejected[0]!.reason).toMatch(/element 2 is not a JSON object/);
  });
});
