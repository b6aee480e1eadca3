/**
 * Alert storms: alerts of one rule on one host with the same subject (process executable,
 * else file path) each within the window of the previous one collapse into one row with a
 * count and first/last time. Pure; members come ordered by (timestamp, id).
 */
import type { IncidentMember } from './types';

export interface StormRow {
  /** the first alert of the row (the row's key) */
  alertId: string;
  ruleName: string;
  hostName: string | null;
  subject: string | null;
  count: number;
  first: string;
  last: string;
  /** every alert of the row, in order */
  alerts: IncidentMember[];
}

export function collapseStorms(members: IncidentMember[], windowMinutes: number): StormRow[] {
  const windowMs = windowMinutes * 60_000;
  const rows: StormRow[] = [];
  const open = new Map<string, StormRow>();
  for (const m of members) {
    const key = m.subject === null ? null : JSON.stringify([m.ruleId, (m.hostName ?? '').toLowerCase(), m.subject.toLowerCase()]);
    const row = key === null ? undefined : open.get(key);
    if (row && Date.parse(m.timestamp) - Date.parse(row.last) <= windowMs) {
      row.alerts.push(m);
      row.count += 1;
      row.last = m.timestamp;
      continue;
    }
    const fresh: StormRow = { alertId: m.alertId, ruleName: m.ruleName, hostName: m.hostName, subject: m.subject, count: 1, first: m.timestamp, last: m.timestamp, alerts: [m] };
    rows.push(fresh);
    if (key !== null) open.set(key, fresh);
  }
  return rows;
}
