/**
 * The dashboard's period figures are kept while the alert lifecycle version stays (migration 48:
 * a new open alert does not move it). They must still be what the alerts say: after new open
 * alerts (nothing to change) and after one of them is acknowledged and closed (the figures move).
 * The expected numbers are counted here with plain SQL, not by the dashboard's code.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb, type AppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { dashboardAnswer } from '@/lib/dashboard/answer';
import { alertLifecycleVersion } from '@/lib/store/alerts';
import { queueAlert } from '@/tests/support/alerts';

let db: AppDb;
beforeEach(() => {
  db = useMemoryDb();
});

interface Answer {
  timeToAcknowledge: { count: number };
  timeToClose: { count: number };
  analysts: { analyst: string; closed: number }[];
}

const answer = (at: number): Answer => JSON.parse(new TextDecoder().decode(dashboardAnswer({ period: '24h' }, db, at).bytes)) as Answer;

/** what the alerts say, counted directly */
function counted(from: string) {
  const n = (sql: string) => db.prepare<[string], number>(sql).pluck().get(from)!;
  return {
    acknowledged: n('SELECT COUNT(*) FROM alerts WHERE acknowledged_at IS NOT NULL AND created_at >= ?'),
    closed: n('SELECT COUNT(*) FROM alerts WHERE closed_at IS NOT NULL AND created_at >= ?'),
    closedByAna: n("SELECT COUNT(*) FROM alerts WHERE closed_at IS NOT NULL AND assignee = 'ana' AND closed_at >= ?"),
  };
}

function work(id: string, at: string) {
  db.prepare("UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, assignee = 'ana', updated_at = ?, version = version + 1 WHERE id = ?").run(at, at, id);
  db.prepare("UPDATE alerts SET status = 'closed', closed_at = ?, verdict = 'true_positive', updated_at = ?, version = version + 1 WHERE id = ?").run(at, at, id);
}

describe('dashboard period figures kept across new open alerts', () => {
  it('stay equal to the alerts after new open alerts, and follow an acknowledge and close', () => {
    const t0 = Date.now();
    const from = new Date(t0 - 24 * 3_600_000).toISOString();
    insertAlerts(db, [1, 2, 3].map((i) => queueAlert(i, { createdAt: new Date(t0 - 60_000).toISOString() })));
    work('a001', new Date(t0).toISOString());
    const first = answer(t0 + 1000);
    expect(counted(from).closed).toBe(1);
    expect(first.timeToAcknowledge.count).toBe(counted(from).acknowledged);
    expect(first.timeToClose.count).toBe(counted(from).closed);

    const version = alertLifecycleVersion(db);
    insertAlerts(db, [4, 5, 6, 7].map((i) => queueAlert(i, { createdAt: new Date(t0 + 1500).toISOString() })));
    expect(alertLifecycleVersion(db)).toBe(version);
    const afterNew = answer(t0 + 2000);
    expect(afterNew.timeToAcknowledge.count).toBe(counted(from).acknowledged);
    expect(afterNew.timeToClose.count).toBe(counted(from).closed);

    work('a005', new Date(t0 + 2500).toISOString());
    const afterWork = answer(t0 + 3000);
    const now = counted(from);
    expect(now.closed).toBe(2);
    expect(afterWork.timeToAcknowledge.count).toBe(now.acknowledged);
    expect(afterWork.timeToClose.count).toBe(now.closed);
    expect(afterWork.analysts.find((a) => a.analyst === 'ana')?.closed).toBe(now.closedByAna);
  });
});
