/** The queue filter tests' table rows: each row one stored alert, a minute apart; `ids` lists what a filter matches. */
import { beforeEach, expect } from 'vitest';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { countAlertsMatching, insertAlerts, listAlertPage, type AlertFilter } from '@/lib/store/alerts';
import type { Verdict } from '@/lib/detection/types';
import { testAlert } from '@/tests/support/alerts';

export interface QueueRow {
  id: string;
  host: string | null;
  user: string | null;
  process: string | null;
  file: string | null;
  /** rule name ("rule" when left out) */
  rule?: string;
  assignee?: string | null;
  /** a verdict closes the alert */
  verdict?: Verdict | null;
}

/** Each test of the file starts on a fresh in-memory app.db holding `rows`. */
export function withQueueRows(rows: readonly QueueRow[]): void {
  beforeEach(() => {
    useMemoryDb();
    insertAlerts(
      getDb(),
      rows.map((s, i) =>
        testAlert(s.id, new Date(Date.UTC(2026, 5, 1, 0, i)).toISOString(), {
          ruleId: `r-${s.id}`,
          ruleName: s.rule ?? 'rule',
          status: s.verdict ? 'closed' : 'open',
          verdict: s.verdict ?? null,
          assignee: s.assignee ?? null,
          hostName: s.host,
          userName: s.user,
          processName: s.process,
          processEntityId: `pe-${s.id}`,
          filePath: s.file,
        }),
      ),
    );
  });
}

/** ids the filter lists, sorted (page order is tested elsewhere); the count agrees with the page. */
export function ids(f: AlertFilter): string[] {
  const page = listAlertPage(getDb(), { ...f, limit: 100 }).map((a) => a.id).sort();
  expect(countAlertsMatching(getDb(), f)).toBe(page.length);
  return page;
}
