/**
 * The seed rule over the real datasets (README §1): it fires on none of them; a test-only
 * variant without the extension clause finds the README's near misses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEmbeddedSource, openEventStore } from '@/lib/events/embedded/store';
import { ingestFile } from '@/lib/events/ingest';
import { ds, SHARED } from './helpers';

const Rule = z.object({ rule: z.object({ query: z.string(), index: z.array(z.string()), timestamp_override: z.string() }) });
const rule = Rule.parse(parseToml(fs.readFileSync(path.join(SHARED, 'rules', 'seed-rule.v2024-05.toml'), 'utf8'))).rule;

const store = openEventStore({ file: ':memory:' });
const source = createEmbeddedSource(store);

beforeAll(async () => {
  const dirs = ['evtx-attack-samples', 'endgameinc-eql', 'elastic-winlogbeat-sysmon/beats-current/x-pack/winlogbeat/module/sysmon/test/testdata/ingest'];
  for (const d of dirs) {
    for (const f of fs.readdirSync(ds(d))) {
      if (/\.(nd)?json$/.test(f)) await ingestFile(ds(d, f), { store });
    }
  }
});

const window = { from: '2000-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' };

describe('seed rule v2024-05 over the datasets', () => {
  it('fires on nothing (no public dataset has the behaviour)', async () => {
    const res = await source.eqlSearch({ index: rule.index, query: rule.query, window, timestampField: rule.timestamp_override, size: 100 });
    expect(res.hits.events).toEqual([]);
  });

  it('without the extension clause, finds the near misses of README §1', async () => {
    const variant = rule.query.replace(/file\.extension\s*:\s*\("exe",\s*"dll"\)\s*and/, '');
    expect(variant).not.toBe(rule.query);
    const res = await source.eqlSearch({ index: ['*'], query: variant, window, timestampField: rule.timestamp_override, size: 100 });
    const paths = (res.hits.events ?? []).map((e) => (e._source.file as { path?: string } | undefined)?.path);
    expect(paths).toEqual(expect.arrayContaining([
      'C:\\Users\\IEUser\\Desktop\\lsass.dmp',
      'C:\\Windows\\System32\\mimilsa.log',
      'C:\\pagefile.sys',
      'C:\\swapfile.sys',
    ]));
    // python.exe writing files *named* lsass.exe etc. (endgame test_data) never counts
    expect(paths.some((p) => p?.startsWith('C:\\workspace\\red_ttp\\'))).toBe(false);
  });
});
