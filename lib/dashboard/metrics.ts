/**
 * The team-lead dashboard's figures, computed in SQLite over the alerts and checklist
 * tables (indexed; SQLite's percentile extension does the medians).
 */
import { getDb, type AppDb } from '../store/db';
import type { AlertStatus, Severity } from '../detection/types';
import { slaFromEnv, type SlaConfig } from './sla';

export interface Period {
  from: string;
  to: string;
}

export interface DurationStats {
  /** alerts the figure is computed over */
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface AnalystRow {
  analyst: string;
  assigned: number;
  inProgress: number;
  closed: number;
  /** median of the checklist completion (0..1) of the analyst's unclosed alerts */
  medianCompletion: number | null;
}

export interface OpenInvestigation {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  status: AlertStatus;
  assignee: string | null;
  hostName: string | null;
  createdAt: string;
  ageMinutes: number;
  stepsDone: number;
  stepsTotal: number;
}

export interface SlaBreach {
  id: string;
  ruleName: string;
  severity: Severity;
  assignee: string | null;
  kind: 'acknowledge' | 'close';
  limitMinutes: number;
  overdueMinutes: number;
}

export interface Dashboard {
  generatedAt: string;
  period: Period;
  byStatus: Record<AlertStatus, number>;
  /** unclosed alerts by age since creation */
  byAge: { bucket: '<1h' | '1-4h' | '4-24h' | '1-3d' | '>3d'; count: number }[];
  bySeverity: Record<Severity, number>;
  analysts: AnalystRow[];
  investigations: { items: OpenInvestigation[]; total: number };
  timeToAcknowledge: DurationStats;
  timeToClose: DurationStats;
  sla: SlaConfig;
  breaches: { items: SlaBreach[]; total: number };
}

export interface DashboardOptions {
  period: Period;
  now?: Date;
  /** how many steps the guide of a rule has (guide + response); unknown rules → 0 */
  stepsTotal: (ruleId: string) => number;
  investigationsLimit?: number;
  breachesLimit?: number;
  sla?: SlaConfig;
  db?: AppDb;
}

const MINUTES = (a: string, b: string) => `((julianday(${b}) - julianday(${a})) * 1440.0)`;

function durationStats(db: AppDb, startCol: string, endCol: string, period: Period): DurationStats {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS n, median(d) AS med, percentile(d, 90) AS p90 FROM (
         SELECT ${MINUTES(startCol, endCol)} AS d FROM alerts
         WHERE ${endCol} IS NOT NULL AND created_at >= ? AND created_at <= ?)`,
    )
    .get(period.from, period.to) as { n: number; med: number | null; p90: number | null };
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { count: row.n, medianMinutes: round(row.med), p90Minutes: round(row.p90) };
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function computeDashboard(opts: DashboardOptions): Dashboard {
  const db = opts.db ?? getDb();
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const sla = opts.sla ?? slaFromEnv();

  const byStatus: Record<AlertStatus, number> = { open: 0, acknowledged: 0, closed: 0 };
  for (const r of db.prepare('SELECT status, COUNT(*) AS n FROM alerts GROUP BY status').all() as { status: AlertStatus; n: number }[]) {
    byStatus[r.status] = r.n;
  }
  const bySeverity: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const r of db
    .prepare("SELECT severity, COUNT(*) AS n FROM alerts WHERE status != 'closed' GROUP BY severity")
    .all() as { severity: Severity; n: number }[]) {
    bySeverity[r.severity] = r.n;
  }

  const age = db
    .prepare(
      `SELECT
         SUM(CASE WHEN a < 60 THEN 1 ELSE 0 END) AS h1,
         SUM(CASE WHEN a >= 60 AND a < 240 THEN 1 ELSE 0 END) AS h4,
         SUM(CASE WHEN a >= 240 AND a < 1440 THEN 1 ELSE 0 END) AS d1,
         SUM(CASE WHEN a >= 1440 AND a < 4320 THEN 1 ELSE 0 END) AS d3,
         SUM(CASE WHEN a >= 4320 THEN 1 ELSE 0 END) AS older
       FROM (SELECT ${MINUTES('created_at', '?')} AS a FROM alerts WHERE status != 'closed')`,
    )
    .get(nowIso) as Record<'h1' | 'h4' | 'd1' | 'd3' | 'older', number | null>;
  const byAge: Dashboard['byAge'] = [
    { bucket: '<1h', count: age.h1 ?? 0 },
    { bucket: '1-4h', count: age.h4 ?? 0 },
    { bucket: '4-24h', count: age.d1 ?? 0 },
    { bucket: '1-3d', count: age.d3 ?? 0 },
    { bucket: '>3d', count: age.older ?? 0 },
  ];

  // checklist progress of every unclosed alert (done or not applicable, per alert)
  const progressRows = db
    .prepare(
      `SELECT a.id, a.rule_id, a.assignee, a.status,
              COALESCE(SUM(CASE WHEN c.state IN ('done','not_applicable') THEN 1 ELSE 0 END), 0) AS done
       FROM alerts a LEFT JOIN checklist_steps c ON c.alert_id = a.id
       WHERE a.status != 'closed' GROUP BY a.id`,
    )
    .all() as { id: string; rule_id: string; assignee: string | null; status: AlertStatus; done: number }[];
  const completionByAnalyst = new Map<string, number[]>();
  const doneById = new Map<string, number>();
  for (const r of progressRows) {
    doneById.set(r.id, r.done);
    if (!r.assignee) continue;
    const total = opts.stepsTotal(r.rule_id);
    const list = completionByAnalyst.get(r.assignee) ?? [];
    list.push(total > 0 ? Math.min(1, r.done / total) : 0);
    completionByAnalyst.set(r.assignee, list);
  }

  const analysts: AnalystRow[] = (
    db
      .prepare(
        `SELECT assignee AS analyst,
                SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS assigned,
                SUM(CASE WHEN status = 'acknowledged' THEN 1 ELSE 0 END) AS inProgress,
                SUM(CASE WHEN status = 'closed' AND closed_at >= ? AND closed_at <= ? THEN 1 ELSE 0 END) AS closed
         FROM alerts WHERE assignee IS NOT NULL GROUP BY assignee ORDER BY assignee`,
      )
      .all(opts.period.from, opts.period.to) as Omit<AnalystRow, 'medianCompletion'>[]
  ).map((r) => ({ ...r, medianCompletion: median(completionByAnalyst.get(r.analyst) ?? []) }));

  const invLimit = opts.investigationsLimit ?? 200;
  const invRows = db
    .prepare(
      `SELECT id, rule_id, rule_name, severity, status, assignee, host_name, created_at,
              ${MINUTES('created_at', '?')} AS age
       FROM alerts WHERE status != 'closed' ORDER BY created_at ASC LIMIT ?`,
    )
    .all(nowIso, invLimit) as {
    id: string;
    rule_id: string;
    rule_name: string;
    severity: Severity;
    status: AlertStatus;
    assignee: string | null;
    host_name: string | null;
    created_at: string;
    age: number;
  }[];
  const investigations = {
    total: byStatus.open + byStatus.acknowledged,
    items: invRows.map((r) => ({
      id: r.id,
      ruleId: r.rule_id,
      ruleName: r.rule_name,
      severity: r.severity,
      status: r.status,
      assignee: r.assignee,
      hostName: r.host_name,
      createdAt: r.created_at,
      ageMinutes: Math.round(r.age),
      stepsDone: doneById.get(r.id) ?? 0,
      stepsTotal: opts.stepsTotal(r.rule_id),
    })),
  };

  const breaches: SlaBreach[] = [];
  let breachTotal = 0;
  const breachLimit = opts.breachesLimit ?? 200;
  for (const sev of Object.keys(sla) as Severity[]) {
    const target = sla[sev];
    const rows = db
      .prepare(
        `SELECT id, rule_name, assignee, status, ${MINUTES('created_at', '?')} AS age
         FROM alerts WHERE severity = ? AND status != 'closed' AND ${MINUTES('created_at', '?')} > ?
         ORDER BY created_at ASC`,
      )
      .all(nowIso, sev, nowIso, Math.min(target.acknowledgeMinutes, target.closeMinutes)) as {
      id: string;
      rule_name: string;
      assignee: string | null;
      status: AlertStatus;
      age: number;
    }[];
    for (const r of rows) {
      const kind = r.status === 'open' && r.age > target.acknowledgeMinutes ? 'acknowledge' : r.age > target.closeMinutes ? 'close' : null;
      if (!kind) continue;
      breachTotal++;
      if (breaches.length >= breachLimit) continue;
      const limit = kind === 'acknowledge' ? target.acknowledgeMinutes : target.closeMinutes;
      breaches.push({ id: r.id, ruleName: r.rule_name, severity: sev, assignee: r.assignee, kind, limitMinutes: limit, overdueMinutes: Math.round(r.age - limit) });
    }
  }
  breaches.sort((a, b) => b.overdueMinutes - a.overdueMinutes);

  return {
    generatedAt: nowIso,
    period: opts.period,
    byStatus,
    byAge,
    bySeverity,
    analysts,
    investigations,
    timeToAcknowledge: durationStats(db, 'created_at', 'acknowledged_at', opts.period),
    timeToClose: durationStats(db, 'created_at', 'closed_at', opts.period),
    sla,
    breaches: { items: breaches, total: breachTotal },
  };
}
