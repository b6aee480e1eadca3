/**
 * Filter-out (issue 17, item 8): the triage page's source-event fields pivot to the queue
 * without an alert's host, user, process name or file path. The store leaves out exactly that
 * value in any ASCII case (not values containing it; `%` `_` literal; a row without the column
 * stays); the API contract maps `not_*` onto it; the queue keeps it in its address; the pivot
 * links say it. Expected ids are written from the table below.
 */
import { describe, expect, it } from 'vitest';
import { alertListQuerySchema } from '@/lib/contracts/alerts';
import { queueFilter } from '@/lib/contracts/export';
import { searchOfView, viewOfSearch } from '@/components/triage/alert-queue';
import { pivotOutHref } from '@/components/evidence/event-fields';
import { ids, withQueueRows, type QueueRow } from './rows';

const ROWS: QueueRow[] = [
  { id: 'b1', host: 'ws-fin-01', user: 'alice', process: 'powershell.exe', file: null },
  { id: 'b2', host: 'WS-FIN-01', user: 'Bob', process: 'reg.exe', file: 'C:\\Users\\bob\\evil_1.exe' },
  { id: 'b3', host: 'ws-fin-010', user: 'svc_sql', process: 'POWERSHELL.EXE', file: 'c:\\users\\bob\\EVIL_1.EXE' },
  { id: 'b4', host: 'wsXfin-01', user: 'svcXsql', process: 'winword.exe', file: 'C:\\Users\\bob\\evilX1.exe' },
  { id: 'b5', host: null, user: null, process: null, file: null },
];

withQueueRows(ROWS);

describe('filter-out in the store', () => {
  it('leaves out the host in any case, keeps hosts that only contain it and rows without a host', () => {
    expect(ids({ notHost: 'ws-fin-01' })).toEqual(['b3', 'b4', 'b5']);
  });
  it('user, process name and file path alike; `_` matches only itself', () => {
    expect(ids({ notUser: 'svc_sql' })).toEqual(['b1', 'b2', 'b4', 'b5']);
    expect(ids({ notProcess: 'powershell.exe' })).toEqual(['b2', 'b4', 'b5']);
    expect(ids({ notFile: 'C:\\Users\\bob\\evil_1.exe' })).toEqual(['b1', 'b4', 'b5']);
  });
  it('combines with the other filters', () => {
    expect(ids({ hostContains: 'fin', notProcess: 'reg.exe' })).toEqual(['b1', 'b3', 'b4']);
    expect(ids({ notHost: 'ws-fin-010', notUser: 'alice' })).toEqual(['b2', 'b4', 'b5']);
  });
});

describe('filter-out through the API contract and the queue address', () => {
  it('maps not_* parameters onto the store filter', () => {
    const q = alertListQuerySchema.parse({ not_host: ' ws-fin-01 ', not_file: 'C:\\a.exe', not_user: '' });
    expect(queueFilter(q, undefined)).toMatchObject({ notHost: 'ws-fin-01', notFile: 'C:\\a.exe' });
    expect(queueFilter(q, undefined)).not.toHaveProperty('notUser');
  });
  it('keeps the exclusions in the address, round trip', () => {
    const search = 'host=ws&not_host=ws-fin-01&not_process=reg.exe';
    const v = viewOfSearch(new URLSearchParams(search));
    expect(v.exclude).toEqual({ not_host: 'ws-fin-01', not_process: 'reg.exe' });
    expect(searchOfView(v)).toBe(search);
    expect(viewOfSearch(new URLSearchParams('host=ws')).exclude).toBeUndefined();
  });
  it('the event fields pivot out on host, user, process name and file path only', () => {
    expect(pivotOutHref('host.name', 'ws-fin-01')).toBe('/alerts?not_host=ws-fin-01&status=open%2Cacknowledged%2Cclosed');
    expect(pivotOutHref('file.path', 'C:\\x y.dll')).toBe('/alerts?not_file=C%3A%5Cx+y.dll&status=open%2Cacknowledged%2Cclosed');
    expect(pivotOutHref('process.name', 'reg.exe')).toBe('/alerts?not_process=reg.exe&status=open%2Cacknowledged%2Cclosed');
    expect(pivotOutHref('process.executable', 'C:\\reg.exe')).toBeNull();
    expect(pivotOutHref('event.code', '4688')).toBeNull();
  });
});
