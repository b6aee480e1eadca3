import { describe, expect, it } from 'vitest';
import { processActivity } from './activity';
import { describeLogonType, logonKind, logonsAfter } from './logons';
import type { StoredEvent } from '../events/types';
import { at, events } from './testing/fixture';
import { MemorySource } from './testing/memory-source';

describe('processActivity', () => {
  it('groups the tree events by kind, counted and time-ordered', async () => {
    const a = await processActivity(new MemorySource(events), ['E2', 'E3', 'E4'], at(0), { exclude: { _index: 'logs-endpoint.events.file-default', _id: 'f-alert' } });
    expect(a.groups.map((g) => [g.kind, g.count])).toEqual([
      ['network', 1],
      ['dns', 1],
      ['registry', 1],
      ['file', 1],
      ['process', 3],
      ['library', 1],
    ]);
    const net = a.groups[0].items[0];
    expect(net.summary).toBe('connection_attempted: 203.0.113.5:443 (tcp)');
    expect(net.fields['destination.ip']).toBe('203.0.113.5');
    expect(a.groups[1].items[0].summary).toBe('evil.example.com → 203.0.113.5');
    expect(a.groups[2].items[0].summary).toContain('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\evil');
    const procs = a.groups[4].items.map((i) => i.time);
    expect(procs).toEqual([...procs].sort());
    expect(a.total).toBe(8);
    expect(a.truncated).toBe(false);
  });

  it('is bounded and says so', async () => {
    const a = await processActivity(new MemorySource(events), ['E2', 'E3', 'E4'], at(0), { limit: 3, perKind: 1 });
    expect(a.total).toBe(3);
    expect(a.truncated).toBe(true);
    const b = await processActivity(new MemorySource(events), ['E2', 'E3', 'E4'], at(0), { perKind: 1 });
    expect(b.groups.find((g) => g.kind === 'process')).toMatchObject({ count: 3, truncated: true });
  });
});

describe('logonsAfter', () => {
  it('lists authentication on the host after the alert, with type, user and source', async () => {
    const l = await logonsAfter(new MemorySource(events), 'ws-01.corp.example', at(0));
    expect(l.items.map((i) => [i.eventCode, i.logonType, i.user, i.sourceIp, i.outcome])).toEqual([
      ['4624', '3 (Network)', 'CORP\\admin', '10.0.0.9', 'success'],
      ['4625', '10 (RemoteInteractive)', 'bob', '198.51.100.7', 'failure'],
    ]);
    expect(l.byUser).toEqual([
      { user: 'CORP\\admin', success: 1, failure: 0, other: 0 },
      { user: 'bob', success: 0, failure: 1, other: 0 },
    ]);
  });
  it('counts only logons (4624) and failed logons (4625) per user; a 4634 logoff is "other"', async () => {
    const extra: StoredEvent[] = [
      {
        _index: 'logs-system.security-default',
        _id: 'a-logoff',
        _source: {
          '@timestamp': at(30),
          event: { category: ['authentication'], type: ['end'], code: '4634', outcome: 'success', action: 'logged-out' },
          host: { name: 'ws-01.corp.example' },
          user: { name: 'admin', domain: 'CORP' },
        },
      },
    ];
    const l = await logonsAfter(new MemorySource([...events, ...extra]), 'ws-01.corp.example', at(0));
    expect(l.byUser.find((u) => u.user === 'CORP\\admin')).toEqual({ user: 'CORP\\admin', success: 1, failure: 0, other: 1 });
    expect(l.items.map((i) => i.time)).toEqual(['2026-11-20T10:10:00.000Z', '2026-11-20T10:20:00.000Z', '2026-11-20T10:30:00.000Z']);
    expect(logonKind({ eventCode: null, outcome: 'success', action: 'logged-off' })).toBe('other');
    expect(logonKind({ eventCode: null, outcome: 'failure', action: 'logon-failed' })).toBe('failure');
  });
  it('names logon types', () => {
    expect(describeLogonType('Interactive')).toBe('2 (Interactive)');
    expect(describeLogonType('42')).toBe('42');
  });
});
