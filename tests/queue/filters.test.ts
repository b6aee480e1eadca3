/**
 * The queue's new filters (issue 17, item 3): host and user "contains" (case-insensitive,
 * `%` and `_` literal), free text over rule, host, user, process and file, unassigned and
 * verdict; and the API's query contract mapping onto them. Expected ids are written out
 * from the table below, not computed by the store.
 */
import { describe, expect, it } from 'vitest';
import { alertListQuerySchema } from '@/lib/contracts/alerts';
import { queueFilter } from '@/lib/contracts/export';
import { ids, withQueueRows, type QueueRow } from './rows';

const ROWS: QueueRow[] = [
  { id: 'a1', host: 'ws-fin-01', user: 'alice', rule: 'Encoded PowerShell', process: 'powershell.exe', file: null, assignee: null, verdict: null },
  { id: 'a2', host: 'WS-FIN-02', user: 'Bob', rule: 'Run key persistence', process: 'reg.exe', file: 'C:\\Users\\bob\\evil_1.exe', assignee: 'ana', verdict: null },
  { id: 'a3', host: 'srv-db', user: 'svc_sql', rule: 'Suspicious 100% CPU miner', process: 'xmrig.exe', file: null, assignee: null, verdict: 'false_positive' },
  { id: 'a4', host: 'wsXfin', user: 'svcXsql', rule: 'Office child', process: 'winword.exe', file: 'C:\\docs\\invoice.docm', assignee: 'bob', verdict: 'true_positive' },
  { id: 'a5', host: null, user: null, rule: 'DNS to rare domain', process: null, file: null, assignee: null, verdict: null },
];

withQueueRows(ROWS);

describe('queue filters', () => {
  it('host contains, case-insensitive: "ws-fin" finds ws-fin-01 and WS-FIN-02, not wsXfin', () => {
    expect(ids({ hostContains: 'ws-fin' })).toEqual(['a1', 'a2']);
    expect(ids({ hostContains: 'FIN-0' })).toEqual(['a1', 'a2']);
    expect(ids({ hostContains: 'srv-db' })).toEqual(['a3']);
    expect(ids({ hostContains: 'nowhere' })).toEqual([]);
  });

  it('"_" and "%" in a filter match themselves, not any character', () => {
    expect(ids({ userContains: 'svc_' })).toEqual(['a3']);
    expect(ids({ text: '100%' })).toEqual(['a3']);
    expect(ids({ text: '_1' })).toEqual(['a2']);
    expect(ids({ hostContains: '%' })).toEqual([]);
  });

  it('user contains, case-insensitive', () => {
    expect(ids({ userContains: 'bob' })).toEqual(['a2']);
    expect(ids({ userContains: 'A' })).toEqual(['a1']);
  });

  it('free text looks in rule, host, user, process and file', () => {
    expect(ids({ text: 'powershell' })).toEqual(['a1']); // rule and process
    expect(ids({ text: 'xmrig' })).toEqual(['a3']); // process
    expect(ids({ text: 'invoice.docm' })).toEqual(['a4']); // file
    expect(ids({ text: 'rare domain' })).toEqual(['a5']); // rule, all else null
    expect(ids({ text: 'alice' })).toEqual(['a1']); // user
    expect(ids({ text: 'FIN' })).toEqual(['a1', 'a2', 'a4']); // host (a4 by wsXfin)
  });

  it('unassigned and verdict filters, combined with the others', () => {
    expect(ids({ assignee: null })).toEqual(['a1', 'a3', 'a5']);
    expect(ids({ verdict: 'false_positive' })).toEqual(['a3']);
    expect(ids({ assignee: null, hostContains: 'ws' })).toEqual(['a1']);
    expect(ids({ status: ['open', 'acknowledged'], text: 'exe' })).toEqual(['a1', 'a2']);
  });
});

describe('GET /api/alerts query → store filter', () => {
  it('host, user and q become contains filters; verdict is checked', () => {
    const q = alertListQuerySchema.parse({ host: ' ws-fin ', user: 'bob', q: 'run key', verdict: 'true_positive', status: 'open,closed' });
    expect(queueFilter(q, null)).toEqual({
      status: ['open', 'closed'],
      hostContains: 'ws-fin',
      userContains: 'bob',
      text: 'run key',
      verdict: 'true_positive',
      assignee: null,
      sort: 'timestamp',
      order: 'desc',
    });
    expect(alertListQuerySchema.safeParse({ verdict: 'maybe' }).success).toBe(false);
    expect(alertListQuerySchema.safeParse({ q: 'x'.repeat(513) }).success).toBe(false);
  });
});
