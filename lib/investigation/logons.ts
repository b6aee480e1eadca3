/**
 * Authentication events on the alert's host after the alert: logon type, user, source.
 */
import type { EventSource, TimeWindow } from '../events/types';
import { eventTime, HOUR_MS, iso, ref, str, toMs } from './fields';

export interface LogonItem {
  time: string | null;
  /** Windows event id, e.g. 4624 */
  eventCode: string | null;
  outcome: string | null;
  action: string | null;
  /** e.g. "3 (Network)" */
  logonType: string | null;
  user: string | null;
  sourceIp: string | null;
  sourceHost: string | null;
  hostName: string | null;
  event: { _index: string; _id: string };
}

export interface Logons {
  hostName: string | null;
  window: TimeWindow;
  items: LogonItem[];
  truncated: boolean;
  /** logons per user: success = logon (4624), failure = failed logon (4625), other = the rest (4634 logoff, 4672, …) */
  byUser: { user: string; success: number; failure: number; other: number }[];
}

/** Windows logon types (MS-LSAD / event 4624). */
export const LOGON_TYPES: Record<string, string> = {
  '0': 'System',
  '2': 'Interactive',
  '3': 'Network',
  '4': 'Batch',
  '5': 'Service',
  '7': 'Unlock',
  '8': 'NetworkCleartext',
  '9': 'NewCredentials',
  '10': 'RemoteInteractive',
  '11': 'CachedInteractive',
  '12': 'CachedRemoteInteractive',
  '13': 'CachedUnlock',
};

export function describeLogonType(raw: string | null): string | null {
  if (raw === null) return null;
  if (LOGON_TYPES[raw]) return `${raw} (${LOGON_TYPES[raw]})`;
  const byName = Object.entries(LOGON_TYPES).find(([, n]) => n.toLowerCase() === raw.toLowerCase().replace(/\s+/g, ''));
  return byName ? `${byName[0]} (${byName[1]})` : raw;
}

export interface LogonOptions {
  /** hours after the alert (default 24) */
  hoursAfter?: number;
  limit?: number;
}

export async function logonsAfter(source: EventSource, hostName: string | null, alertTime: string, opts: LogonOptions = {}): Promise<Logons> {
  const t = toMs(alertTime) ?? Date.now();
  const window = { from: iso(t), to: iso(t + (opts.hoursAfter ?? 24) * HOUR_MS) };
  if (!hostName) return { hostName, window, items: [], truncated: false, byUser: [] };
  const res = await source.authenticationEvents({ host: hostName, after: window.from, before: window.to, size: opts.limit ?? 200 });
  const items: LogonItem[] = res.items.map((ev) => {
    const d = ev._source;
    const name = str(d, 'user.name', 'winlog.event_data.TargetUserName');
    const domain = str(d, 'user.domain', 'winlog.event_data.TargetDomainName');
    return {
      time: eventTime(ev),
      eventCode: str(d, 'event.code', 'winlog.event_id'),
      outcome: str(d, 'event.outcome'),
      action: str(d, 'event.action'),
      logonType: describeLogonType(str(d, 'winlog.logon.type', 'winlog.event_data.LogonType')),
      user: name ? (domain ? `${domain}\\${name}` : name) : null,
      sourceIp: str(d, 'source.ip', 'winlog.event_data.IpAddress'),
      sourceHost: str(d, 'source.domain', 'winlog.event_data.WorkstationName'),
      hostName: str(d, 'host.name'),
      event: ref(ev),
    };
  });
  const users = new Map<string, { user: string; success: number; failure: number; other: number }>();
  for (const i of items) {
    const key = i.user ?? '(unknown)';
    const u = users.get(key) ?? { user: key, success: 0, failure: 0, other: 0 };
    const kind = logonKind(i);
    if (kind === 'success') u.success++;
    else if (kind === 'failure') u.failure++;
    else u.other++;
    users.set(key, u);
  }
  return { hostName, window, items, truncated: res.truncated, byUser: [...users.values()] };
}

/**
 * Whether an authentication event is a logon, a failed logon or something else. With a Windows
 * event id only 4624 / 4625 count (a 4634 logoff has outcome "success" too); without one, the
 * outcome counts unless the action says log off / log out.
 */
export function logonKind(i: Pick<LogonItem, 'eventCode' | 'outcome' | 'action'>): 'success' | 'failure' | 'other' {
  if (i.eventCode !== null && /^\d+$/.test(i.eventCode)) return i.eventCode === '4624' ? 'success' : i.eventCode === '4625' ? 'failure' : 'other';
  if (i.action !== null && /log(ged)?[-_ ]?(off|out)/i.test(i.action)) return 'other';
  return i.outcome === 'success' ? 'success' : i.outcome === 'failure' ? 'failure' : 'other';
}
