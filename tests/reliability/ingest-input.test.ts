/**
 * Ingest of bad input (issue 13, reliability probe): a string element of a JSON array no
 * longer swallows the next good record; invalid UTF-8 is counted and reported; binary and
 * compressed files give one clear error; UTF-16 with a BOM is decoded; an empty file ends
 * with a clear message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventStore } from '@/lib/events/embedded/store';
import { ingestFile, IngestInputError } from '@/lib/events/ingest';
import { allEvents } from '@/tests/datasets/helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-rel-ingest-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, data: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, data);
  return p;
}

const good = (i: number, extra: Record<string, unknown> = {}) => ({
  '@timestamp': `2024-01-01T00:00:0${i}.000Z`,
  event: { category: ['file'] },
  host: { name: `h${i}` },
  ...extra,
});

async function ingest(input: string | Readable) {
  const store = openEventStore({ file: ':memory:' });
  const report = await ingestFile(input, { store });
  return { store, report };
}

async function refusal(input: string | Readable): Promise<IngestInputError> {
  try {
    await ingest(input);
  } catch (e) {
    expect(e).toBeInstanceOf(IngestInputError);
    return e as IngestInputError;
  }
  throw new Error('expected the ingest to be refused');
}

describe('JSON arrays with non-object elements', () => {
  it('[{good},"a string",{good},{good}]: three stored, the string rejected as one record', async () => {
    const text = `[${JSON.stringify(good(1))},"a string",${JSON.stringify(good(2))},${JSON.stringify(good(3))}]`;
    const { store, report } = await ingest(write('string.json', text));
    expect(report.stored).toBe(3);
    expect(report.read).toBe(4);
    expect(report.rejectedCount).toBe(1);
    expect(report.rejected[0]!.reason).toMatch(/expected a JSON object, got string/);
    expect(allEvents(store).map((e) => (e._source.host as { name: string }).name)).toEqual(['h1', 'h2', 'h3']);
  });

  it('strings holding brackets, commas and escaped quotes, pretty-printed, in any position', async () => {
    const text = ['[', '  "a, [b] {c}",', `  ${JSON.stringify(good(1))},`, '  "say \\"]\\"",', `  ${JSON.stringify(good(2))},`, '  "last"', ']'].join('\n');
    const { report } = await ingest(write('strings.json', text));
    expect(report.stored).toBe(2);
    expect(report.rejectedCount).toBe(3);
    expect(report.rejected.map((r) => r.line)).toEqual([2, 4, 6]);
  });
});

describe('encodings', () => {
  it('counts invalid UTF-8 and reports it; a U+FFFD written in the input is not counted', async () => {
    const line1 = Buffer.concat([Buffer.from('{"@timestamp":"2024-01-01T00:00:01Z","host":{"name":"h1"},"message":"bad '), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]);
    const line2 = Buffer.from(`${JSON.stringify(good(2, { message: 'real \ufffd kept' }))}\n`);
    const line3 = Buffer.concat([Buffer.from([0xff]), Buffer.from(`${JSON.stringify(good(3))}\n`)]);
    const { report } = await ingest(write('invalid.ndjson', Buffer.concat([line1, line2, line3])));
    expect(report.invalidUtf8).toBe(2);
    expect(report.warnings.join(' ')).toMatch(/2 invalid UTF-8 byte sequences/);
    expect(report.stored).toBe(2); // the line starting with FF is not JSON: rejected, the others kept
    expect(report.rejected.map((r) => r.line)).toEqual([3]);
  });

  it('counts invalid UTF-8 split across chunks of a stream', async () => {
    const text = Buffer.from(`${JSON.stringify(good(1, { message: 'é ok' }))}\n`);
    const bad = Buffer.from(`${JSON.stringify(good(2, { message: 'AB' }))}\n`);
    bad[bad.indexOf('AB')] = 0xe2; // E2 then a non-continuation: invalid
    const all = Buffer.concat([text, Buffer.alloc(5000, 0x20), Buffer.from('\n'), bad]);
    const chunks = [all.subarray(0, 4100), all.subarray(4100, all.length - 20), all.subarray(all.length - 20)];
    const { report } = await ingest(Readable.from(chunks));
    expect(report.stored).toBe(2);
    expect(report.invalidUtf8).toBe(1);
  });

  it('UTF-16 with a byte order mark is decoded (LE and BE), with no rejection', async () => {
    const text = [JSON.stringify(good(1, { message: 'ünïcödé' })), JSON.stringify(good(2))].join('\r\n');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const r1 = await ingest(write('le.ndjson', le));
    expect(r1.report).toMatchObject({ stored: 2, rejectedCount: 0, encoding: 'utf-16le' });
    expect((allEvents(r1.store)[0]!._source as { message: string }).message).toBe('ünïcödé');
    const be = Buffer.from(le);
    be.swap16();
    const r2 = await ingest(write('be.ndjson', be));
    expect(r2.report).toMatchObject({ stored: 2, rejectedCount: 0, encoding: 'utf-16be' });
  });

  it('binary and compressed files: one clear error, nothing stored', async () => {
    const bin = Buffer.alloc(20000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 256;
    expect((await refusal(write('bin.dat', bin))).message).toMatch(/not UTF-8 NDJSON\/JSON: the file looks binary/);
    const gz = gzipSync(Buffer.from(`${JSON.stringify(good(1))}\n`));
    expect((await refusal(write('x.ndjson.gz', gz))).message).toMatch(/gzip-compressed/);
  });
});

describe('empty input', () => {
  it('an empty file ends with a clear message, not "done, read 0"', async () => {
    expect((await refusal(write('empty.ndjson', ''))).message).toMatch(/the file is empty/);
    expect((await refusal(write('blank.ndjson', '\n  \n\n'))).message).toMatch(/no JSON records/);
    expect((await refusal(Readable.from([]))).message).toMatch(/empty/);
  });
});
