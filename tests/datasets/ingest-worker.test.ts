/**
 * The worker-thread writer: an input longer than one batch into an on-disk store is written
 * by a worker (report.writer 'worker'; forced here with `worker: true`, as 'auto' depends on
 * the machine's load); the stored rows (in insertion order) and the report
 * are exactly those of the in-thread path, for a mix of real formats, bad lines, repeats,
 * and _bulk ids given twice across batches. Re-ingest stays idempotent; a failing write in
 * the worker fails the ingest with its reason and keeps the batches before it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { SECONDARY_INDEXES } from '@/lib/events/embedded/db';
import { openEventStore, type EventStore } from '@/lib/events/embedded/store';
import { ingestFile, workerSetting, type IngestOptions, type IngestReport } from '@/lib/events/ingest';
import { ds } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-ingest-worker-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function freshStore(): EventStore {
  return openEventStore({ dataDir: path.join(tmp, `store-${++n}`) });
}

function write(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

const jsonArray = (file: string): unknown[] => JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[];

/** Lines of several real shapes, with bad lines, identical repeats and bulk ids given twice. */
function mixedLines(): string[] {
  const evtx = fs.readFileSync(ds('evtx-attack-samples', 'ppl_bypass_ppldump_knowdll_hijack_sysmon_security.ndjson'), 'utf8').split('\n').filter(Boolean);
  const endgame = jsonArray(ds('endgameinc-eql', 'test_data.json')).slice(0, 40).map((e) => JSON.stringify(e));
  const winlogbeat = jsonArray(ds('elastic-winlogbeat-sysmon/beats-current/x-pack/winlogbeat/module/sysmon/test/testdata/ingest/sysmon-12-processcreate.golden.json')).map((e) => JSON.stringify(e));
  const defendDir = ds('elastic-endpoint-package/schemas/examples/v1');
  const defend = fs.readdirSync(defendDir).filter((f) => f.endsWith('.json')).sort().slice(0, 10)
    .map((f) => JSON.stringify(JSON.parse(fs.readFileSync(path.join(defendDir, f), 'utf8'))));
  const ecs = (i: number) => JSON.stringify({
    '@timestamp': new Date(Date.UTC(2024, 4, 1, 0, 0, i)).toISOString(),
    event: { category: ['process'], type: ['start'] },
    host: { name: `hôst-${i % 5}` }, // not ASCII
    process: { name: `Proc${i}.EXE`, entity_id: `e${i}`, parent: { entity_id: `e${i - 1}` }, executable: `C:\\p\\Proc${i}.exe` },
    message: i % 7 === 0 ? 'emoji 😀 and 漢字' : 'plain',
  });
  const bulk = (id: string, i: number) => [JSON.stringify({ index: { _index: 'bulk-idx', _id: id } }), ecs(1000 + i)];
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) lines.push(ecs(i));
  lines.push('{"@timestamp": "2024-05-01T00:00:00Z", '); // broken
  lines.push(...evtx);
  lines.push(...bulk('b1', 1), ...bulk('b2', 2));
  lines.push(ecs(3), ecs(3)); // identical records: distinct events
  lines.push('garbage');
  lines.push(...endgame);
  lines.push('[1,2,3]');
  lines.push(...winlogbeat, ...defend);
  lines.push('{"@timestamp":"not a date"}');
  for (let i = 60; i < 90; i++) lines.push(ecs(i));
  lines.push(...bulk('b1', 9)); // the same _id again, batches later: replaces, the later source wins
  lines.push(JSON.stringify({ index: { _index: 'bulk-idx', _id: 'b3' } })); // action without its source
  return lines;
}

interface Rows {
  rows: unknown[];
  count: number;
}

function rows(store: EventStore): Rows {
  const all = store.db.prepare(
    `SELECT idx, doc_id, ts, ingested, eff_ts, category, host_name, entity_id, parent_entity_id,
            executable, user_name, pname, doc FROM events ORDER BY rowid`,
  ).all();
  return { rows: all, count: all.length };
}

async function ingestBoth(input: () => string | Readable, opts: IngestOptions): Promise<{ a: IngestReport; b: IngestReport; ra: Rows; rb: Rows }> {
  const sa = freshStore();
  const sb = freshStore();
  try {
    const a = await ingestFile(input(), { ...opts, store: sa, worker: false });
    const b = await ingestFile(input(), { ...opts, store: sb, worker: true });
    return { a, b, ra: rows(sa), rb: rows(sb) };
  } finally {
    sa.close();
    sb.close();
  }
}

describe('ingest through the worker thread', () => {
  it('stores the same rows and reports the same counts and rejected lines as the in-thread path', async () => {
    const lines = mixedLines();
    const file = write('mixed.ndjson', lines.join('\n') + '\n');
    const { a, b, ra, rb } = await ingestBoth(() => file, { batchSize: 7 });
    expect(a.writer).toBe('in-thread');
    expect(b.writer).toBe('worker');
    expect({ ...b, writer: 'in-thread' }).toEqual(a);
    expect(rb).toEqual(ra);
    // the report itself is right, not only equal
    const lineOf = (s: string) => lines.indexOf(s) + 1;
    expect(b.rejected.map((r) => r.line)).toEqual([
      61, lineOf('garbage'), lineOf('[1,2,3]'), lineOf('{"@timestamp":"not a date"}'), lines.length,
    ]);
    expect(b.rejected[4]!.reason).toMatch(/bulk index action without a source line/);
    expect(b.replaced).toBe(1); // b1, given twice
    expect(b.stored).toBe(ra.count);
    expect(b.read).toBe(b.stored + b.replaced + b.rejectedCount);
    expect(Object.keys(b.formats).length).toBeGreaterThanOrEqual(4);
    // the later source of b1 won, in both
    const b1 = (rb.rows as { doc_id: string; doc: string }[]).find((r) => r.doc_id === 'b1');
    expect(b1?.doc).toBe(lines[lines.length - 2]);
  });

  it('same rows for a JSON array input read by the value scanner, and for a stream of split UTF-8 chunks', async () => {
    const docs = mixedLines().filter((l) => l.startsWith('{"@timestamp"') && !l.includes('not a date') && l.endsWith('}'));
    const arrayFile = write('array.json', `[\n${docs.join(',\n')}\n]`);
    const arr = await ingestBoth(() => arrayFile, { batchSize: 5 });
    expect(arr.b.writer).toBe('worker');
    expect({ ...arr.b, writer: 'in-thread' }).toEqual(arr.a);
    expect(arr.rb).toEqual(arr.ra);

    // chunks cut inside multi-byte characters, ASCII-only chunks between them
    const bytes = Buffer.from(docs.join('\n') + '\n', 'utf8');
    const cuts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 97) cuts.push(bytes.subarray(i, Math.min(i + 97, bytes.length)));
    expect(cuts.some((c) => c.every((x) => x < 0x80))).toBe(true);
    const streamed = await ingestBoth(() => Readable.from(cuts), { batchSize: 5 });
    expect({ ...streamed.b, writer: 'in-thread' }).toEqual(streamed.a);
    expect(streamed.rb).toEqual(streamed.ra);
    // the documents were decoded right: an ECS line is stored as its input text
    const mine = (l: string) => l.includes('"hôst-');
    expect((streamed.rb.rows as { doc: string }[]).map((r) => r.doc).filter(mine)).toEqual(docs.filter(mine));
    expect(docs.filter(mine).some((l) => l.includes('😀'))).toBe(true);
    expect(streamed.b.bytes).toBe(bytes.length);
  });

  it('re-ingesting through the worker replaces instead of duplicating', async () => {
    const file = write('again.ndjson', mixedLines().join('\n') + '\n');
    const store = freshStore();
    try {
      const first = await ingestFile(file, { store, batchSize: 9 });
      const before = rows(store);
      const second = await ingestFile(file, { store, batchSize: 9, worker: true });
      expect(second.writer).toBe('worker');
      expect(second.stored).toBe(0);
      expect(second.replaced).toBe(first.stored + first.replaced);
      expect(rows(store)).toEqual(before);
    } finally {
      store.close();
    }
  });

  it('a write failing in the worker fails the ingest with its reason; earlier batches and every index stay', async () => {
    const store = freshStore();
    try {
      store.db.exec(`CREATE TRIGGER no_boom BEFORE INSERT ON events WHEN NEW.doc_id = 'boom'
                     BEGIN SELECT RAISE(ABORT, 'boom refused'); END`);
      const pair = (id: string, i: number) => [
        JSON.stringify({ index: { _index: 'x', _id: id } }),
        JSON.stringify({ '@timestamp': new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(), n: i }),
      ];
      const lines: string[] = [];
      for (let i = 0; i < 40; i++) lines.push(...pair(`ok${i}`, i));
      lines.push(...pair('boom', 99));
      for (let i = 40; i < 50; i++) lines.push(...pair(`ok${i}`, i));
      const file = write('boom.ndjson', lines.join('\n') + '\n');
      await expect(ingestFile(file, { store, batchSize: 10, worker: true })).rejects.toThrow('boom refused');
      expect(store.count()).toBe(40); // four batches of ten before the failing one
      const names = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").all() as { name: string }[]).map((r) => r.name);
      for (const i of SECONDARY_INDEXES) expect(names).toContain(i.name);
    } finally {
      store.close();
    }
  });

  it('an in-memory store, or a single batch, is written in this thread', async () => {
    const mem = openEventStore({ file: ':memory:' });
    const small = freshStore();
    try {
      expect(await mem.openWorkerWriter()).toBeNull();
      const file = write('small.ndjson', mixedLines().slice(0, 30).join('\n') + '\n');
      expect((await ingestFile(file, { store: mem, batchSize: 5 })).writer).toBe('in-thread');
      expect((await ingestFile(file, { store: small })).writer).toBe('in-thread');
    } finally {
      mem.close();
      small.close();
    }
  });
});

describe('GUIDEPOST_INGEST_WORKER', () => {
  it('auto when unset, on/off force it, anything else is an error naming the variable', () => {
    expect(workerSetting({})).toBe('auto');
    expect(workerSetting({ GUIDEPOST_INGEST_WORKER: 'auto' })).toBe('auto');
    expect(workerSetting({ GUIDEPOST_INGEST_WORKER: 'on' })).toBe(true);
    expect(workerSetting({ GUIDEPOST_INGEST_WORKER: 'OFF' })).toBe(false);
    expect(() => workerSetting({ GUIDEPOST_INGEST_WORKER: 'yes' })).toThrow(/GUIDEPOST_INGEST_WORKER must be auto, on or off/);
  });
});
