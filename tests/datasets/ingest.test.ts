/**
 * Ingest robustness: bad lines reported with their line numbers while every good line is
 * kept; bulk and _search exports keep their _index/_id; re-ingest is idempotent; forced
 * formats reject other shapes; progress is reported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventStore } from '@/lib/events/embedded/store';
import { ingestFile, type IngestProgress } from '@/lib/events/ingest';
import { allEvents, ds, ingestInto } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-ingest-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

const ev = (i: number) =>
  JSON.stringify({ '@timestamp': `2024-01-01T00:00:0${i}.000Z`, event: { category: ['file'] }, host: { name: `h${i}` } });

describe('malformed input', () => {
  it('NDJSON: broken lines are rejected with line numbers, the good ones stored', async () => {
    const p = write('bad.ndjson', [ev(1), '{"@timestamp": "2024-01-01T00:00:02Z", ', ev(3), '', 'garbage', '42', ev(7)].join('\r\n'));
    const { store, report } = await ingestInto(p);
    expect(report.stored).toBe(3);
    expect(report.rejected.map((r) => r.line)).toEqual([2, 5, 6]);
    expect(report.rejected[0].reason).toMatch(/invalid JSON/);
    expect(report.rejected[2].reason).toMatch(/expected a JSON object/);
    expect(allEvents(store).map((e) => (e._source.host as { name: string }).name)).toEqual(['h1', 'h3', 'h7']);
  });

  it('NDJSON whose first line is cut off still keeps every following line', async () => {
    const p = write('badfirst.ndjson', ['{"@timestamp": "2024-01-01T00:00:00Z", "event": {', ev(2), ev(3)].join('\n') + '\n');
    const { report } = await ingestInto(p);
    expect(report.stored).toBe(2);
    expect(report.rejected.map((r) => r.line)).toEqual([1]);
  });

  it('short inputs without a final newline: two NDJSON lines, one pretty object', async () => {
    expect((await ingestInto(write('two.ndjson', [ev(1), ev(2)].join('\n')))).report.stored).toBe(2);
    expect((await ingestInto(write('one.json', JSON.stringify(JSON.parse(ev(1)), null, 2)))).report.stored).toBe(1);
    expect((await ingestInto(write('one.ndjson', ev(1)))).report.stored).toBe(1);
  });

  it('a truncated copy of a real EVTX file keeps every complete record', async () => {
    const src = fs.readFileSync(ds('evtx-attack-samples', 'sideloading_wwlib_sysmon_7_1_11.ndjson'), 'utf8');
    const lines = src.split('\n').filter(Boolean);
    const cut = lines.slice(0, 5).join('\n') + '\n' + lines[5].slice(0, 100);
    const { report } = await ingestInto(write('cut.ndjson', cut));
    expect(report.stored).toBe(5);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0].line).toBe(6);
  });

  it('JSON array: a broken element is reported at its line, the others stored', async () => {
    const text = `[\n  {"event_type": "process", "subtype": "create", "timestamp": 131883571822010000, "unique_pid": "{A}", "pid": 1},\n  {"event_type": "process", "timestamp": 1318835718220100 "pid": 2},\n  {"event_type": "file", "timestamp": 131883571822010000, "unique_pid": "{B}", "file_path": "C:\\\\x.dll"}\n]\n`;
    const { report } = await ingestInto(write('arr.json', text));
    expect(report.stored).toBe(2);
    expect(report.rejected.map((r) => r.line)).toEqual([3]);
  });

  it('an event without a usable timestamp is rejected with the reason', async () => {
    const { report } = await ingestInto(write('nots.json', '{"event_type":"file","unique_pid":1,"timestamp":"soon"}\n'));
    expect(report.stored).toBe(0);
    expect(report.rejected[0]).toEqual({ line: 1, reason: expect.stringMatching(/timestamp/) });
  });

  it('a forced format rejects documents of another shape', async () => {
    const { report } = await ingestInto(ds('evtx-attack-samples', 'sideloading_wwlib_sysmon_7_1_11.ndjson'), { format: 'endgame' });
    expect(report.stored).toBe(0);
    expect(report.rejectedCount).toBe(7);
    expect(report.rejected[0].reason).toMatch(/EVTX JSON/);
  });
});

describe('containers: bulk and _search exports', () => {
  it('bulk: _index and _id from the action line; delete actions skipped; update uses doc', async () => {
    const text = [
      '{"index":{"_index":"logs-endpoint.events.file-x","_id":"a1"}}',
      ev(1),
      '{"delete":{"_index":"logs-endpoint.events.file-x","_id":"zz"}}',
      '{"create":{"_index":"winlogbeat-7","_id":"a2"}}',
      ev(2),
      '{"update":{"_index":"winlogbeat-7","_id":"a3"}}',
      `{"doc":${ev(3)}}`,
    ].join('\n');
    const { store, report } = await ingestInto(write('bulk.ndjson', text));
    expect(report.format).toBe('bulk');
    expect(report.stored).toBe(3);
    expect(allEvents(store).map((e) => [e._index, e._id])).toEqual([
      ['logs-endpoint.events.file-x', 'a1'],
      ['winlogbeat-7', 'a2'],
      ['winlogbeat-7', 'a3'],
    ]);
  });

  it('bulk: --index overrides the action index; a missing source line is reported', async () => {
    const text = ['{"index":{"_index":"a","_id":"1"}}', ev(1), '{"index":{"_index":"a","_id":"2"}}'].join('\n');
    const { store, report } = await ingestInto(write('bulk2.ndjson', text), { index: 'mine' });
    expect(allEvents(store).map((e) => e._index)).toEqual(['mine']);
    expect(report.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/without a source/) }]);
  });

  it('_search export (pretty-printed): hits keep _index and _id; sources are normalised', async () => {
    const evtxLine = fs.readFileSync(ds('evtx-attack-samples', 'CA_Mimikatz_Memssp_Default_Logs_Sysmon_11.ndjson'), 'utf8').trim();
    const resp = {
      took: 1,
      hits: {
        total: { value: 2, relation: 'eq' },
        hits: [
          { _index: 'winlogbeat-8', _id: 'x1', _source: JSON.parse(ev(1)) },
          { _index: 'raw', _id: 'x2', _source: JSON.parse(evtxLine) },
        ],
      },
    };
    const { store, report } = await ingestInto(write('search.json', JSON.stringify(resp, null, 2)));
    expect(report.format).toBe('search');
    expect(report.stored).toBe(2);
    const evs = allEvents(store);
    expect(evs.map((e) => e._id).sort()).toEqual(['x1', 'x2']);
    const x2 = evs.find((e) => e._id === 'x2');
    expect((x2?._source.process as { name: string }).name).toBe('lsass.exe');
  });
});

describe('idempotency', () => {
  it('re-ingesting a file replaces instead of duplicating (ids are deterministic)', async () => {
    const store = openEventStore({ file: ':memory:' });
    const file = ds('evtx-attack-samples', 'ppl_bypass_ppldump_knowdll_hijack_sysmon_security.ndjson');
    const first = await ingestFile(file, { store });
    const ids1 = allEvents(store).map((e) => e._id).sort();
    const second = await ingestFile(file, { store });
    expect(first.stored).toBe(20);
    expect(second.stored).toBe(0);
    expect(second.replaced).toBe(20);
    expect(store.count()).toBe(20);
    expect(allEvents(store).map((e) => e._id).sort()).toEqual(ids1);
  });

  it('identical records in one input are distinct events, and stay so on re-ingest', async () => {
    const store = openEventStore({ file: ':memory:' });
    const p = write('dup.ndjson', [ev(1), ev(1), ev(2)].join('\n'));
    expect((await ingestFile(p, { store })).stored).toBe(3);
    expect((await ingestFile(p, { store })).stored).toBe(0);
    expect(store.count()).toBe(3);
  });
});

describe('streams and progress', () => {
  it('reads from a stream (stdin) and reports progress', async () => {
    const store = openEventStore({ file: ':memory:' });
    const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify({ '@timestamp': new Date(1e12 + i).toISOString(), n: i }));
    const seen: IngestProgress[] = [];
    const report = await ingestFile(Readable.from([lines.slice(0, 7).join('\n') + '\n{"@timest', 'amp":"2001-01-01T00:00:00Z"}\n' + lines.slice(7).join('\n')]), {
      store,
      batchSize: 10,
      onProgress: (p) => seen.push(p),
    });
    expect(report.stored).toBe(31);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[seen.length - 1].read).toBe(31);
  });
});
