/**
 * Figures at incident level: incidents not closed by severity and age (since their first
 * alert), per assignee, and the median / p90 time from first alert to acknowledge and to close.
 */
import { getDb, prepared, type AppDb } from '../store/db';
import type { Severity } from '../detection/types';
import type { SlaConfig } from '../dashboard/sla';
import { incidentSlaFromEnv, missedTargets } from './sla';

export const AGE_BUCKETS = ['lt1h', '1to4h', '4to24h', '1to3d', 'gt3d'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export function ageBucket(minutes: number): AgeBucket {
  if (minutes < 60) return 'lt1h';
  if (minutes < 240) return '1to4h';
  if (minutes < 1440) return '4to24h';
  if (minutes < 4320) return '1to3d';
  return 'gt3d';
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function incidentStats(now: Date, db: AppDb = getDb(), sla: SlaConfig = incidentSlaFromEnv()) {
  const open = prepared<{
    severity: Severity;
    first_seen: string | null;
    assignee: string | null;
    acknowledged_at: string | null;
  }>(db, `SELECT severity, first_seen, assignee, acknowledged_at FROM incidents WHERE status != 'closed'`).all();
  const breaching = { acknowledge: 0, close: 0 };
  const bySeverityAge: Record<Severity, Record<AgeBucket, number>> = {
    critical: { lt1h: 0, '1to4h': 0, '4to24h': 0, '1to3d': 0, gt3d: 0 },
    high: { lt1h: 0, '1to4h': 0, '4to24h': 0, '1to3d': 0, gt3d: 0 },
    medium: { lt1h: 0, '1to4h': 0, '4to24h': 0, '1to3d': 0, gt3d: 0 },
    low: { lt1h: 0, '1to4h': 0, '4to24h': 0, '1to3d': 0, gt3d: 0 },
  };
  const perAssignee = new Map<string, number>();
  for (const r of open) {
    const age = r.first_seen ? (now.getTime() - Date.parse(r.first_seen)) / 60_000 : 0;
    bySeverityAge[r.severity][ageBucket(Math.max(0, age))] += 1;
    const who = r.assignee ?? '';
    perAssignee.set(who, (perAssignee.get(who) ?? 0) + 1);
    for (const m of missedTargets({ severity: r.severity, firstSeen: r.first_seen, acknowledgedAt: r.acknowledged_at }, now, sla)) breaching[m] += 1;
  }
  const durations = (col: 'acknowledged_at' | 'closed_at') =>
    (prepared<number>(db, `SELECT (julianday(${col}) - julianday(first_seen)) * 1440 FROM incidents WHERE ${col} IS NOT NULL AND first_seen IS NOT NULL`).pluck().all())
      .map((m) => Math.max(0, m))
      .sort((a, b) => a - b);
  const tta = durations('acknowledged_at');
  const ttc = durations('closed_at');
  return {
    open: open.length,
    bySeverityAge,
    perAssignee: [...perAssignee.entries()].map(([assignee, count]) => ({ assignee: assignee || null, count })).sort((a, b) => b.count - a.count || String(a.assignee).localeCompare(String(b.assignee))),
    timeToAcknowledge: { medianMinutes: quantile(tta, 0.5), p90Minutes: quantile(tta, 0.9), samples: tta.length },
    timeToClose: { medianMinutes: quantile(ttc, 0.5), p90Minutes: quantile(ttc, 0.9), samples: ttc.length },
    sla: { targets: sla, breaching },
  };
}
