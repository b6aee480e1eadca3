import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useMemoryDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { main } from '@/lib/cli/incidents';
import { splitAlerts } from '@/lib/incidents/manual';
import { incidentIdFor } from '@/lib/incidents/grouping';
import { alertOf } from './helpers';

let db: AppDb;
let out: string[];
beforeEach(() => {
  db = useMemoryDb();
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe('guidepost incidents', () => {
  it('groups new alerts and prints one line per incident: ids by time, one reason per alert after the first, status', async () => {
    insertAlerts(db, [alertOf({ id: 'b', min: 10, host: 'h1' }), alertOf({ id: 'a', min: 0, host: 'H1' }), alertOf({ id: 'c', min: 500, host: 'h9', user: 'eve' })]);
    expect(await main(['--json'])).toBe(0);
    expect(out.map((l) => JSON.parse(l) as unknown)).toEqual([
      { incident_id: incidentIdFor('a'), alert_ids: ['a', 'b'], reasons: [{ alert_id: 'b', key: 'host', value: 'h1' }], status: 'open' },
      { incident_id: incidentIdFor('c'), alert_ids: ['c'], reasons: [], status: 'open' },
    ]);
  });

  it('prints text lines, names manual reasons, filters by time and refuses bad dates', async () => {
    insertAlerts(db, [alertOf({ id: 'a', min: 0, host: 'h1' }), alertOf({ id: 'b', min: 10, host: 'h1' }), alertOf({ id: 'c', min: 20, host: 'h1' })]);
    await main([]);
    out = [];
    const split = splitAlerts(incidentIdFor('a'), ['c'], { actor: 'ana' });
    expect(await main(['--from', '2026-11-02T08:15:00Z', '--to', '2026-11-02T09:00:00Z'])).toBe(0);
    expect(out).toEqual([`${split.id}\topen\tc\t-\n`]);
    out = [];
    await main([]);
    expect(out[0]).toBe(`${incidentIdFor('a')}\topen\ta,b\tb:host=h1\n`);
    expect(await main(['--from', 'yesterdayish'])).toBe(2);
  });
});
