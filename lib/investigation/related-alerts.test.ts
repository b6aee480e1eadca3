import { describe, expect, it } from 'vitest';
import type { TimeWindow } from '../events/types';
import { relatedAlerts } from './related-alerts';
import { alertEvent, at, makeAlert } from './testing/fixture';

const other = (id: string, minutes: number, over: Parameters<typeof makeAlert>[0] = {}) =>
  makeAlert({ id, timestamp: at(minutes), hostName: 'elsewhere', userName: 'nobody', processEntityId: 'Z', event: { _index: 'x', _id: id, _source: {} }, ...over });

describe('relatedAlerts', () => {
  const alert = makeAlert({ userName: 'CORP\\alice' });
  const store = [
    alert,
    other('same-host', -60, { hostName: 'WS-01' }),
    other('same-user', -120, { userName: 'alice' }),
    other('same-tree', -30, { hostName: 'ws-01.corp.example', processEntityId: 'E3' }),
    other('too-old', -49 * 60, { hostName: 'ws-01.corp.example' }),
    other('unrelated', -10),
    other('after', 10, { hostName: 'ws-01.corp.example' }),
  ];
  const seen: TimeWindow[] = [];
  const list = async (range: TimeWindow) => {
    seen.push(range);
    return store;
  };

  it('finds alerts of the 48 hours before and after, each with its reasons, closest first', async () => {
    const r = await relatedAlerts(alert, list, { treeEntityIds: ['E1', 'E2', 'E3'] });
    expect(seen[0]).toEqual({ from: at(-48 * 60), to: at(48 * 60) });
    expect(r.hours).toBe(48);
    expect(r.items.map((i) => [i.id, i.reasons, i.later])).toEqual([
      ['after', ['same_host'], true],
      ['same-tree', ['same_host', 'same_process_tree'], false],
      ['same-host', ['same_host'], false],
      ['same-user', ['same_user'], false],
    ]);
    expect(r.items.map((i) => i.offsetMs / 60_000)).toEqual([10, -30, -60, -120]);
    // the process by its name, not its opaque entity id
    expect(r.items[1].explanations[1]).toBe("lsass.exe is in this alert's process tree");
    expect(r.unrelated).toBe(1);
  });

  it('the first alert of a cluster lists the later ones (0.35 s and 2 h after it)', async () => {
    const first = makeAlert({ id: 'first' });
    const soon = other('soon', 0, { timestamp: new Date(Date.parse(first.timestamp) + 350).toISOString(), processEntityId: 'E1', hostName: 'ws-01' });
    const later = other('later', 120, { hostName: 'WS-01' });
    const r = await relatedAlerts(first, async () => [first, soon, later], { treeEntityIds: ['E1'] });
    expect(r.items.map((i) => [i.id, i.later])).toEqual([
      ['soon', true],
      ['later', true],
    ]);
  });

  it('the window is adjustable', async () => {
    const r = await relatedAlerts(alert, list, { hours: 72 });
    expect(r.items.map((i) => i.id)).toContain('too-old');
  });

  it('SYSTEM is not a reason unless asked', async () => {
    const sys = makeAlert({ userName: 'SYSTEM' });
    const list2 = async () => [sys, other('sys', -5, { userName: 'SYSTEM' })];
    expect((await relatedAlerts(sys, list2)).items).toEqual([]);
    expect((await relatedAlerts(sys, list2, { includeSharedAccounts: true })).items.map((i) => i.reasons)).toEqual([['same_user']]);
    expect(alertEvent._id).toBe('f-alert');
  });
});
