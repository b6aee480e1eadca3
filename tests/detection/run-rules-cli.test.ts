/** `guidepost run-rules` over a temp data dir with the bundled seed rule and the embedded store. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEventStore } from '@/lib/events/embedded/store';
import { closeDb } from '@/lib/store/db';
import { main } from '@/lib/cli/run-rules';
import { RULE_ID, exeWrite } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guidepost-runrules-'));
const saved = process.env.GUIDEPOST_DATA_DIR;

async function run(argv: string[]): Promise<{ code: number; lines: string[]; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const w = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const e = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.map(String).join(' ')));
  try {
    const code = await main(argv);
    return { code, lines: out.join('').split('\n').filter(Boolean), stderr: err.join('\n') };
  } finally {
    w.mockRestore();
    e.mockRestore();
  }
}

const savedEs = process.env.ELASTICSEARCH_URL;

beforeAll(() => {
  process.env.GUIDEPOST_DATA_DIR = dir;
  delete process.env.ELASTICSEARCH_URL; // the embedded store, whatever the environment says
  const store = openEventStore({ dataDir: dir });
  store.insert([
    exeWrite('hit-1', '2026-02-01T10:00:00.000Z', 'services.exe'),
    exeWrite('hit-2', '2026-02-01T11:30:00.000Z', 'winlogon.exe'),
    exeWrite('quiet', '2026-02-01T11:00:00.000Z', 'python.exe'),
  ]);
  store.close();
});

afterAll(() => {
  closeDb();
  if (saved === undefined) delete process.env.GUIDEPOST_DATA_DIR;
  else process.env.GUIDEPOST_DATA_DIR = saved;
  if (savedEs !== undefined) process.env.ELASTICSEARCH_URL = savedEs;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('run-rules CLI', () => {
  it('prints one JSON line per created alert, and nothing the second time', async () => {
    const first = await run(['--rule', RULE_ID, '--from', '2026-02-01T00:00:00Z', '--to', '2026-02-02T00:00:00Z']);
    expect(first.code).toBe(0);
    const parsed = first.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p._id)).toEqual(['hit-1', 'hit-2']);
    for (const p of parsed) {
      expect(Object.keys(p).sort()).toEqual(['_id', '_index', 'alert_id', 'rule_id']);
      expect(p.rule_id).toBe(RULE_ID);
      expect(p._index).toBe('logs-endpoint.events.file-default');
      expect(p.alert_id).toMatch(/^[0-9a-f]{40}$/);
    }
    const second = await run(['--from', '2026-02-01T00:00:00Z', '--to', '2026-02-02T00:00:00Z']);
    expect(second.code).toBe(0);
    expect(second.lines).toEqual([]);
  });

  it('runs as the scheduler would without a range', async () => {
    const res = await run([]);
    expect(res.code).toBe(0);
    expect(res.lines).toEqual([]);
    expect(res.stderr).toMatch(/1 window\(s\) run, 0 alert\(s\) created, 0 failed/);
  });

  it('without a range the cycle runs in the detection worker and its new alerts are printed here', async () => {
    const store = openEventStore({ dataDir: dir });
    store.insert([exeWrite('recent', new Date(Date.now() - 60_000).toISOString(), 'services.exe')]);
    store.close();
    const res = await run(['--rule', RULE_ID]);
    expect(res.code).toBe(0);
    expect(res.lines.map((l) => (JSON.parse(l) as { _id: string })._id)).toEqual(['recent']);
    expect(res.stderr).toMatch(/1 alert\(s\) created, 0 failed/);
  });

  it('refuses bad arguments with the reason', async () => {
    expect((await run(['--from', 'now-1d'])).stderr).toMatch(/--from and --to go together/);
    expect((await run(['--from', 'soon', '--to', 'now'])).stderr).toMatch(/--from: "soon" is not an ISO date/);
    const unknown = await run(['--rule', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown rule id nope/);
    expect((await run(['--bogus'])).code).toBe(2);
  });
});
