import { describe, expect, it } from 'vitest';
import { collapseStorms } from '@/lib/incidents/storms';
import type { IncidentMember } from '@/lib/incidents/types';
import { at } from './helpers';

function m(id: string, min: number, rule: string, host: string | null, subject: string | null): IncidentMember {
  return {
    alertId: id, ruleId: rule, ruleName: rule, severity: 'low', riskScore: 21, timestamp: at(min), status: 'open', verdict: null, assignee: null,
    hostName: host, userName: null, processName: null, filePath: null, subject, pinned: false, reason: null,
  };
}

describe('alert storms', () => {
  it('collapses one rule on one host with one subject inside the window, and nothing else', () => {
    const rows = collapseStorms(
      [
        m('1', 0, 'r', 'H1', 'C:\\x.exe'),
        m('2', 5, 'r', 'h1', 'c:\\X.EXE'),
        m('3', 6, 'r', 'h2', 'C:\\x.exe'),
        m('4', 7, 'q', 'h1', 'C:\\x.exe'),
        m('5', 65, 'r', 'h1', 'C:\\x.exe'),
        m('6', 126, 'r', 'h1', 'C:\\x.exe'),
        m('7', 127, 'r', 'h1', null),
        m('8', 128, 'r', 'h1', null),
      ],
      60,
    );
    expect(rows.map((r) => [r.alertId, r.count, r.alerts.map((a) => a.alertId)])).toEqual([
      ['1', 3, ['1', '2', '5']],
      ['3', 1, ['3']],
      ['4', 1, ['4']],
      ['6', 1, ['6']],
      ['7', 1, ['7']],
      ['8', 1, ['8']],
    ]);
    expect(rows[0]!.first).toBe(at(0));
    expect(rows[0]!.last).toBe(at(65));
  });
});
