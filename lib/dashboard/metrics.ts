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
  /** what tells two investigations on one host apart: when the alert's event happened, its user, process and file */
  timestamp: string;
  userName: string | null;
  processName: string | null;
  filePath: string | null;
  /** the alert's version (an assignment from the dashboard sends it: a stale one is refused) */
  version: number;
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
  /** how many steps the guide of a rule version has (guide + response); unknown rules → 0 */
  stepsTotal: (ruleId: string, ruleVersion: number) => number;
  investigationsLimit?: number;
  breachesLimit?: number;
  sla?: SlaConfig;
  db?: AppDb;
}

const MINUTES = (a: string, b: string) => `((julianday(${b}) - julianday(${a})) * 1440.0)`;

function durationStats(db: AppDb, startCol: string, endCol: string, period: Period): DurationStats {
  const row = db
    .prepare<unknown[], { n: number; med: number | null; p90: number | null }>(
      `SELECT COUNT(*) AS n, median(d) AS med, percentile(d, 90) AS p90 FROM (
         SELECT ${MINUTES(startCol, endCol)} AS d FROM alerts
         WHERE ${endCol} IS NOT NULL AND created_at >= ? AND created_at <= ?)`,
    )
    .get(period.from, period.to)!;
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { count: row.n, medianMinutes: round(row.med), p90Minutes: round(row.p90) };
}

/** The median of values given as (value, how many times) pairs. */
function weightedMedian(pairs: { value: number; count: number }[]): number | null {
  const n = pairs.reduce((sum, p) => sum + p.count, 0);
  if (n === 0) return null;
  const sorted = [...pairs].sort((a, b) => a.value - b.value);
  const at = (k: number) => {
    let seen = 0;
    for (const p of sorted) {
      seen += p.count;
      if (k < seen) return p.value;
    }
    return sorted[sorted.length - 1]!.value;
  };
  const mid = n >> 1;
  return n % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

const UNCLOSED = "status IN ('open','acknowledged')";

/** The figures that do not depend on the period: the state of the unclosed alerts now. */
export type DashboardNow = Omit<Dashboard, 'period' | 'timeToAcknowledge' | 'timeToClose' | 'analysts'> & {
  /** per analyst, without the closed count (that is the period's) */
  analysts: Omit<AnalystRow, 'closed'>[];
};

/** The figures of a period: closed alerts per analyst, times to acknowledge and to close. */
export interface DashboardPeriod {
  period: Period;
  closedBy: Record<string, number>;
  timeToAcknowledge: DurationStats;
  timeToClose: DurationStats;
}

export function computeDashboard(opts: DashboardOptions): Dashboard {
  return mergeDashboard(computeDashboardNow(opts), computeDashboardPeriod(opts));
}

/** The period's figures; they change only when an alert is created, deleted, acknowledged, closed or reassigned. */
export function computeDashboardPeriod(opts: Pick<DashboardOptions, 'period' | 'db'>): DashboardPeriod {
  const db = opts.db ?? getDb();
  const closedBy: Record<string, number> = {};
  for (const r of db
    .prepare<unknown[], { assignee: string; n: number }>('SELECT assignee, COUNT(*) AS n FROM alerts WHERE closed_at IS NOT NULL AND closed_at >= ? AND closed_at <= ? AND assignee IS NOT NULL GROUP BY assignee')
    .all(opts.period.from, opts.period.to)) {
    closedBy[r.assignee] = r.n;
  }
  return {
    period: opts.period,
    closedBy,
    timeToAcknowledge: durationStats(db, 'created_at', 'acknowledged_at', opts.period),
    timeToClose: durationStats(db, 'created_at', 'closed_at', opts.period),
  };
}

/**
 * The dashboard of a period from the figures of now and of the period. `team` names the people
 * who work alerts (active analysts and leads): each has a row even with no alert at all, so a
 * lead sees who is free.
 */
export function mergeDashboard(now: DashboardNow, p: DashboardPeriod, team: readonly string[] = []): Dashboard {
  const rows = new Map<string, AnalystRow>(now.analysts.map((a) => [a.analyst, { ...a, closed: p.closedBy[a.analyst] ?? 0 }]));
  for (const [name, closed] of Object.entries(p.closedBy)) {
    if (!rows.has(name)) rows.set(name, { analyst: name, assigned: 0, inProgress: 0, closed, medianCompletion: null });
  }
  for (const name of team) {
    if (!rows.has(name)) rows.set(name, { analyst: name, assigned: 0, inProgress: 0, closed: 0, medianCompletion: null });
  }
  const analysts = [...rows.values()].sort((a, b) => (a.analyst < b.analyst ? -1 : a.analyst > b.analyst ? 1 : 0));
  return {
    generatedAt: now.generatedAt,
    period: p.period,
    byStatus: now.byStatus,
    byAge: now.byAge,
    bySeverity: now.bySeverity,
    analysts,
    investigations: now.investigations,
    timeToAcknowledge: p.timeToAcknowledge,
    timeToClose: p.timeToClose,
    sla: now.sla,
    breaches: now.breaches,
  };
}

/** The counts of now: unclosed alerts by status, severity and age, and the SLA breaches (they change with an alert's status, severity or creation, and with the clock). */
export type DashboardCounts = Pick<DashboardNow, 'generatedAt' | 'byStatus' | 'byAge' | 'bySeverity' | 'sla' | 'breaches'>;

/** The progress of now: per analyst, and the oldest open investigations with their steps done (they change with every tick too). */
export interface DashboardProgress {
  analysts: DashboardNow['analysts'];
  investigations: DashboardNow['investigations']['items'];
}

export function computeDashboardNow(opts: Omit<DashboardOptions, 'period'>): DashboardNow {
  return mergeDashboardNow(computeDashboardCounts(opts), computeDashboardProgress(opts));
}

/** The figures of now from its two parts (kept apart because they change at different rates). */
export function mergeDashboardNow(counts: DashboardCounts, progress: DashboardProgress): DashboardNow {
  return {
    ...counts,
    analysts: progress.analysts,
    investigations: { total: counts.byStatus.open + counts.byStatus.acknowledged, items: progress.investigations },
  };
}

export function computeDashboardCounts(opts: Omit<DashboardOptions, 'period' | 'stepsTotal' | 'investigationsLimit'>): DashboardCounts {
  const db = opts.db ?? getDb();
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const nowMs = now.getTime();
  const before = (minutes: number) => new Date(nowMs - minutes * 60_000).toISOString();
  const minutesSince = (iso: string) => (nowMs - Date.parse(iso)) / 60_000;
  const sla = opts.sla ?? slaFromEnv();

  const byStatus: Record<AlertStatus, number> = { open: 0, acknowledged: 0, closed: 0 };
  for (const r of db.prepare<unknown[], { status: AlertStatus; n: number }>('SELECT status, COUNT(*) AS n FROM alerts GROUP BY status').all()) {
    byStatus[r.status] = r.n;
  }
  const bySeverity: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const r of db.prepare<unknown[], { severity: Severity; n: number }>(`SELECT severity, COUNT(*) AS n FROM alerts WHERE ${UNCLOSED} GROUP BY severity`).all()) {
    bySeverity[r.severity] = r.n;
  }

  // ages against fixed thresholds, so the covering index answers without date math per row
  const age = db
    .prepare<unknown[], Record<'h1' | 'h4' | 'd1' | 'd3' | 'older', number | null>>(
      `SELECT
         SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END) AS h1,
         SUM(CASE WHEN created_at <= ? AND created_at > ? THEN 1 ELSE 0 END) AS h4,
         SUM(CASE WHEN created_at <= ? AND created_at > ? THEN 1 ELSE 0 END) AS d1,
         SUM(CASE WHEN created_at <= ? AND created_at > ? THEN 1 ELSE 0 END) AS d3,
         SUM(CASE WHEN created_at <= ? THEN 1 ELSE 0 END) AS older
       FROM alerts WHERE ${UNCLOSED}`,
    )
    .get(before(60), before(60), before(240), before(240), before(1440), before(1440), before(4320), before(4320))!;
  const byAge: Dashboard['byAge'] = [
    { bucket: '<1h', count: age.h1 ?? 0 },
    { bucket: '1-4h', count: age.h4 ?? 0 },
    { bucket: '4-24h', count: age.d1 ?? 0 },
    { bucket: '1-3d', count: age.d3 ?? 0 },
    { bucket: '>3d', count: age.older ?? 0 },
  ];

  // an unacknowledged alert past its acknowledge target breaches that; any unclosed alert past
  // its close target (and not already counted) breaches the close target
  const breaches: SlaBreach[] = [];
  let breachTotal = 0;
  const breachLimit = opts.breachesLimit ?? 200;
  const pick = db.prepare<unknown[], { id: string; ruleName: string; assignee: string | null; createdAt: string }>(
    `SELECT id, rule_name AS ruleName, assignee, created_at AS createdAt FROM alerts WHERE status = ? AND severity = ? AND created_at < ? ORDER BY created_at ASC LIMIT ?`,
  );
  const count = db.prepare<unknown[], number>('SELECT COUNT(*) FROM alerts WHERE status = ? AND severity = ? AND created_at < ?').pluck();
  for (const sev of Object.keys(sla) as Severity[]) {
    const target = sla[sev];
    const groups: { status: AlertStatus; kind: SlaBreach['kind']; limit: number }[] = [
      // open alerts: the acknowledge target, or the close target when it is the shorter one
      { status: 'open', kind: target.acknowledgeMinutes <= target.closeMinutes ? 'acknowledge' : 'close', limit: Math.min(target.acknowledgeMinutes, target.closeMinutes) },
      { status: 'acknowledged', kind: 'close', limit: target.closeMinutes },
    ];
    for (const g of groups) {
      const threshold = before(g.limit);
      breachTotal += count.get(g.status, sev, threshold)!;
      for (const r of pick.all(g.status, sev, threshold, breachLimit)) {
        breaches.push({ id: r.id, ruleName: r.ruleName, severity: sev, assignee: r.assignee, kind: g.kind, limitMinutes: g.limit, overdueMinutes: Math.round(minutesSince(r.createdAt) - g.limit) });
      }
    }
  }
  breaches.sort((a, b) => b.overdueMinutes - a.overdueMinutes);
  breaches.length = Math.min(breaches.length, breachLimit);

  return { generatedAt: nowIso, byStatus, byAge, bySeverity, sla, breaches: { items: breaches, total: breachTotal } };
}

export function computeDashboardProgress(opts: Omit<DashboardOptions, 'period' | 'sla' | 'breachesLimit'>): DashboardProgress {
  const db = opts.db ?? getDb();
  const nowMs = (opts.now ?? new Date()).getTime();

  // per analyst: how many alerts in each state, and the completion of the unclosed ones,
  // grouped in SQL by (status, assignee, rule, steps done) from the alerts_progress index
  // (steps_done is kept by the checklist triggers, migration 6), so few rows reach JS
  const counts = new Map<string, { assigned: number; inProgress: number; completion: { value: number; count: number }[] }>();
  const analyst = (name: string) => {
    let c = counts.get(name);
    if (!c) counts.set(name, (c = { assigned: 0, inProgress: 0, completion: [] }));
    return c;
  };
  for (const r of db
    .prepare<unknown[], { assignee: string; rule_id: string; rule_version: number; status: AlertStatus; done: number; n: number }>(
      `SELECT status, assignee, rule_id, rule_version, steps_done AS done, COUNT(*) AS n FROM alerts
       WHERE ${UNCLOSED} AND assignee IS NOT NULL
       GROUP BY status, assignee, rule_id, rule_version, steps_done`,
    )
    .all()) {
    const c = analyst(r.assignee);
    if (r.status === 'open') c.assigned += r.n;
    else c.inProgress += r.n;
    const total = opts.stepsTotal(r.rule_id, r.rule_version);
    c.completion.push({ value: total > 0 ? Math.min(1, r.done / total) : 0, count: r.n });
  }
  const analysts = [...counts.entries()].map(([name, c]) => ({
    analyst: name,
    assigned: c.assigned,
    inProgress: c.inProgress,
    medianCompletion: weightedMedian(c.completion),
  }));

  // the oldest unclosed alerts: the oldest of each status from the (status, created_at) index, merged
  const invLimit = opts.investigationsLimit ?? 200;
  const oldest = db.prepare<unknown[], { id: string; created_at: string }>('SELECT id, created_at FROM alerts WHERE status = ? ORDER BY created_at ASC, id ASC LIMIT ?');
  const ids = [...oldest.all('open', invLimit), ...oldest.all('acknowledged', invLimit)]
    .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1))
    .slice(0, invLimit)
    .map((r) => r.id);
  const detail = db.prepare<unknown[], Omit<DashboardProgress['investigations'][number], 'ageMinutes' | 'stepsTotal'> & { ruleVersion: number }>(
    `SELECT id, rule_id AS ruleId, rule_version AS ruleVersion, rule_name AS ruleName, severity, status, assignee, host_name AS hostName, timestamp,
       user_name AS userName, process_name AS processName, file_path AS filePath, version, created_at AS createdAt, steps_done AS stepsDone
     FROM alerts WHERE id = ?`,
  );
  const minutesSince = (iso: string) => (nowMs - Date.parse(iso)) / 60_000;
  const investigations = ids.flatMap((id) => {
    const found = detail.get(id);
    if (!found) return [];
    const { ruleVersion, ...r } = found;
    return [{ ...r, ageMinutes: Math.round(minutesSince(r.createdAt)), stepsTotal: opts.stepsTotal(r.ruleId, ruleVersion) }];
  });

  return { analysts, investigations };
}
