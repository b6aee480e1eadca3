/** `guidepost ingest` on bad input (issue 13): one clear error for empty and binary files, invalid UTF-8 reported. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { captureConsole } from '@/tests/support/console';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-rel-cli-'));
process.env.GUIDEPOST_DATA_DIR = dir;
process.env.GUIDEPOST_INGEST_WORKER = 'off';
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const { main } = await import('@/lib/cli/ingest');


function write(name: string, data: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

describe('guidepost ingest', () => {
  it('an empty file: exit 1 with "the file is empty", not "read: 0"', async () => {
    const { out, err } = captureConsole();
    expect(await main([write('empty.ndjson', '')])).toBe(1);
    expect(err.join('\n')).toMatch(/guidepost ingest: the file is empty/);
    expect(out.join('\n')).not.toMatch(/read: 0/);
  });

  it('a binary file: one error, no rejection per line', async () => {
    const bin = Buffer.alloc(8192);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 31 + 7) % 256;
    const { out, err } = captureConsole();
    expect(await main([write('x.bin', bin)])).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/not UTF-8 NDJSON\/JSON/);
    expect(out).toEqual([]);
  });

  it('invalid UTF-8: stored, counted on stdout and warned about on stderr', async () => {
    const line = Buffer.concat([Buffer.from('{"@timestamp":"2024-01-01T00:00:00Z","host":{"name":"cli"},"message":"a'), Buffer.from([0xfe]), Buffer.from('b"}\n')]);
    const { out, err } = captureConsole();
    expect(await main([write('bad-utf8.ndjson', line)])).toBe(0);
    expect(out.join('\n')).toMatch(/stored: 1/);
    expect(out.join('\n')).toMatch(/1 invalid UTF-8 sequences read as U\+FFFD/);
    expect(err.join('\n')).toMatch(/warning: 1 invalid UTF-8 byte sequence was read as U\+FFFD/);
  });
});
