/**
 * Alerts in the hours around an alert (before and after it) that share its host, its user or
 * its process tree: the first alert of a cluster lists the ones that came after it. The alert
 * store belongs to detection: the caller passes `listAlerts(range)`.
 */
import type { Alert } from '../detection/types';
import type { TimeWindow } from '../events/types';
import { HOUR_MS, iso, str, toMs } from './fields';

export type RelatedReason = 'same_host' | 'same_user' | 'same_process_tree';

export interface RelatedAlert {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: Alert['severity'];
  riskScore: number;
  timestamp: string;
  status: Alert['status'];
  hostName: string | null;
  userName: string | null;
  processName: string | null;
  processEntityId: string | null;
  filePath: string | null;
  /** true when the related alert came after this one */
  later: boolean;
  /** milliseconds from this alert to the related one (negative: before it) */
  offsetMs: number;
  reasons: RelatedReason[];
  /** human-readable reasons, e.g. "same host ws-01" */
  explanations: string[];
}

export interface RelatedAlerts {
  window: TimeWindow;
  hours: number;
  items: RelatedAlert[];
  truncated: boolean;
  /** alerts in the window that matched no reason (not listed) */
  unrelated: number;
}

export type ListAlerts = (range: TimeWindow) => Promise<Alert[]>;

/** Accounts every Windows host shares: "same user" on them says nothing. */
export const SHARED_ACCOUNTS = new Set(['system', 'local service', 'network service', 'localsystem', 'localservice', 'networkservice']);

function hostKey(h: string | null): string | null {
  return h ? h.toLowerCase().split('.')[0] : null;
}

function userKey(u: string | null): string | null {
  if (!u) return null;
  const name = u.includes('\\') ? u.split('\\').pop() ?? u : u;
  return name.toLowerCase();
}

export interface RelatedAlertsOptions {
  /** hours before the alert (default 48) */
  hours?: number;
  /** hours after the alert (default: as many as before) */
  hoursAfter?: number;
  /** entity ids of the alert's process tree */
  treeEntityIds?: Iterable<string>;
  /** match on SYSTEM / LOCAL SERVICE / NETWORK SERVICE too (default false) */
  includeSharedAccounts?: boolean;
  /** at most this many listed (default 100) */
  limit?: number;
}

/** The window of related alerts around an alert at `t` (ms): `hours` before, `hoursAfter` (default the same) after. */
export function relatedWindow(t: number, hours: number, hoursAfter: number = hours): TimeWindow {
  return { from: iso(t - hours * HOUR_MS), to: iso(t + hoursAfter * HOUR_MS) };
}

export async function relatedAlerts(alert: Alert, listAlerts: ListAlerts, opts: RelatedAlertsOptions = {}): Promise<RelatedAlerts> {
  const hours = opts.hours ?? 48;
  const t = toMs(alert.timestamp) ?? Date.now();
  const window = relatedWindow(t, hours, opts.hoursAfter);
  const limit = opts.limit ?? 100;
  const all = await listAlerts(window);
  const tree = new Set(opts.treeEntityIds ?? (alert.processEntityId ? [alert.processEntityId] : []));
  const host = hostKey(alert.hostName ?? str(alert.event._source, 'host.name'));
  const user = userKey(alert.userName ?? str(alert.event._source, 'user.name'));
  const userUsable = user !== null && (opts.includeSharedAccounts || !SHARED_ACCOUNTS.has(user));
  const items: RelatedAlert[] = [];
  let unrelated = 0;
  const from = toMs(window.from) ?? 0;
  const to = toMs(window.to) ?? t;
  for (const a of all) {
    if (a.id === alert.id) continue;
    const at = toMs(a.timestamp);
    if (at === null || at < from || at > to) continue;
    const reasons: RelatedReason[] = [];
    const explanations: string[] = [];
    const aHost = hostKey(a.hostName ?? str(a.event._source, 'host.name'));
    if (host && aHost === host) {
      reasons.push('same_host');
      explanations.push(`same host ${a.hostName ?? aHost}`);
    }
    const aUser = userKey(a.userName ?? str(a.event._source, 'user.name'));
    if (userUsable && aUser === user) {
      reasons.push('same_user');
      explanations.push(`same user ${a.userName ?? aUser}`);
    }
    const ids = [a.processEntityId, str(a.event._source, 'process.entity_id'), str(a.event._source, 'process.parent.entity_id')].filter(
      (x): x is string => !!x,
    );
    const inTree = ids.find((id) => tree.has(id));
    if (inTree && (!host || !aHost || aHost === host)) {
      reasons.push('same_process_tree');
      // the process by name: an entity id is an opaque (often base64) key, no help to a reader
      explanations.push(`${a.processName ?? 'its process'} is in this alert's process tree`);
    }
    if (reasons.length === 0) {
      unrelated++;
      continue;
    }
    items.push({
      id: a.id,
      ruleId: a.ruleId,
      ruleName: a.ruleName,
      severity: a.severity,
      riskScore: a.riskScore,
      timestamp: a.timestamp,
      status: a.status,
      hostName: a.hostName,
      userName: a.userName,
      processName: a.processName,
      processEntityId: a.processEntityId,
      filePath: a.filePath,
      later: at > t,
      offsetMs: at - t,
      reasons,
      explanations,
    });
  }
  // closest in time first, before or after; on a tie the earlier first
  items.sort((x, y) => Math.abs(x.offsetMs) - Math.abs(y.offsetMs) || x.offsetMs - y.offsetMs);
  return { window, hours, items: items.slice(0, limit), truncated: items.length > limit, unrelated };
}
