import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../events/embedded/store';
import { main } from './demo-data';
import { captureConsole } from '@/tests/support/console';

let dir: string;
const saved = process.env.GUIDEPOST_DATA_DIR;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'guidepost-demo-cli-'));
  process.env.GUIDEPOST_DATA_DIR = dir;
});

afterAll(() => {
  if (saved === undefined) delete process.env.GUIDEPOST_DATA_DIR;
  else process.env.GUIDEPOST_DATA_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});


describe('guidepost demo-data', () => {
  it('rejects bad arguments with a usage error', async () => {
    for (const argv of [['--events', 'many'], ['--seed', '-3'], ['--now', 'yesterday'], ['--bogus']]) {
      const c = captureConsole();
      const code = await main(argv);
      c.restore();
      expect(code, argv.join(' ')).toBe(2);
      expect(c.err.join('\n')).toMatch(/usage: guidepost demo-data/);
    }
  });

  it('loads the set into the store, prints counts and stories, and reloads without duplicates', async () => {
    const argv = ['--events', '1500', '--seed', '9', '--now', '2026-11-28T00:00:00Z'];
    const c1 = captureConsole();
    expect(await main(argv)).toBe(0);
    c1.restore();
    const text = c1.out.join('\n');
    expect(text).toMatch(/logs-endpoint\.events\.file-demo\s+\d+/);
    expect(text).toMatch(/ALERT\s+lsass-ssp-dll/);
    expect(text).toMatch(/NEAR-MISS\s+no-host-os-type/);
    const store = openEventStore({ dataDir: dir });
    const first = store.count();
    store.close();
    expect(first).toBeGreaterThan(1400);

    const c2 = captureConsole();
    expect(await main(argv)).toBe(0);
    c2.restore();
    expect(c2.out.join('\n')).toContain(`cleared ${first} old demo events`);
    const again = openEventStore({ dataDir: dir });
    expect(again.count()).toBe(first);
    again.close();
  });
});
