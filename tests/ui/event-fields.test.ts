import { describe, expect, it } from 'vitest';
import { eventFields, pivotHref } from '@/components/evidence/event-fields';

describe('the source event as a field table', () => {
  it('lists every field with a value by its dotted path, arrays as one list, nulls left out, in path order', () => {
    const rows = eventFields({
      host: { name: 'ws-fin-01', ip: ['10.0.0.5', '10.0.0.6'] },
      'process.name': 'powershell.exe',
      process: { args: ['-enc', 'AAA'], pid: 4242, parent: null },
      event: { category: ['process'], kind: 'event' },
      tags: [],
    });
    expect(rows).toEqual([
      { field: 'event.category', values: ['process'] },
      { field: 'event.kind', values: ['event'] },
      { field: 'host.ip', values: ['10.0.0.5', '10.0.0.6'] },
      { field: 'host.name', values: ['ws-fin-01'] },
      { field: 'process.args', values: ['-enc', 'AAA'] },
      { field: 'process.name', values: ['powershell.exe'] },
      { field: 'process.pid', values: ['4242'] },
    ]);
  });

  it('pivots host and user to the queue filtered on them, processes and files by free text, other fields not', () => {
    expect(pivotHref('host.name', 'ws-fin-01')).toBe('/alerts?host=ws-fin-01&status=open%2Cacknowledged%2Cclosed');
    expect(pivotHref('user.name', 'ACME\\ana')).toBe('/alerts?user=ACME%5Cana&status=open%2Cacknowledged%2Cclosed');
    expect(pivotHref('file.path', 'C:\\x y.dll')).toBe('/alerts?q=C%3A%5Cx+y.dll&status=open%2Cacknowledged%2Cclosed');
    expect(pivotHref('event.code', '4688')).toBeNull();
  });
});
