/**
 * The entity keys an alert is grouped by, read from what the alert stores: its source event
 * (and, for a sequence, every event of the sequence). Pure.
 *
 * - host: `host.name`, lower-cased
 * - user: `user.name` + `user.domain`, lower-cased, never for a well-known service account
 * - process: the alert's process (`process.entity_id`) and its lineage (`process.parent.entity_id`,
 *   `process.Ext.ancestry`), each prefixed with the host, because some sources number processes
 *   per host (Endgame's unique_pid)
 */
import type { Alert } from '../detection/types';
import { fieldValues } from '../events/fields';

export interface AlertKeys {
  alertId: string;
  /** epoch ms of the alert's timestamp */
  t: number;
  host: string | null;
  /** `domain\name` (lower case), or `name` when there is no domain; null for service accounts */
  user: string | null;
  /** the alert's own process(es) */
  processes: string[];
  /** its processes, their parents and ancestors */
  lineage: string[];
}

/** well-known Windows service and system accounts, lower case */
const SERVICE_ACCOUNTS = new Set([
  'system',
  'local system',
  'localsystem',
  'local service',
  'localservice',
  'network service',
  'networkservice',
  'anonymous logon',
  'iusr',
  'defaultaccount',
  'wdagutilityaccount',
  'trustedinstaller',
  'window manager',
  'font driver host',
]);
/** their SIDs (S-1-5-18 LocalSystem, -19 LocalService, -20 NetworkService, -7 anonymous) */
const SERVICE_SIDS = new Set(['s-1-5-18', 's-1-5-19', 's-1-5-20', 's-1-5-7']);
const SERVICE_DOMAINS = new Set(['nt authority', 'nt service', 'window manager', 'font driver host']);

/** Whether a user is a well-known service or machine account (never a grouping key). */
export function isServiceAccount(name: string, domain: string | null = null, sid: string | null = null): boolean {
  const n = name.trim().toLowerCase();
  if (n === '' || SERVICE_ACCOUNTS.has(n)) return true;
  if (n.endsWith('$')) return true; // computer accounts
  if (/^(dwm|umfd)-\d+$/.test(n)) return true; // desktop window manager, font driver host sessions
  if (domain && SERVICE_DOMAINS.has(domain.trim().toLowerCase())) return true;
  if (sid && SERVICE_SIDS.has(sid.trim().toLowerCase())) return true;
  return false;
}

function firstString(doc: unknown, field: string): string | null {
  for (const v of fieldValues(doc, field)) {
    if (v !== null && v !== undefined && String(v).trim() !== '') return String(v).trim();
  }
  return null;
}

function strings(doc: unknown, field: string): string[] {
  return fieldValues(doc, field)
    .filter((v) => v !== null && v !== undefined && String(v).trim() !== '')
    .map((v) => String(v).trim());
}

export function keysOfAlert(alert: Pick<Alert, 'id' | 'timestamp' | 'event' | 'sequenceEvents' | 'hostName' | 'userName'>): AlertKeys {
  const t = Date.parse(alert.timestamp);
  const docs = (alert.sequenceEvents?.length ? alert.sequenceEvents : [alert.event]).map((e) => e._source);
  const main = alert.event._source;
  const hostRaw = alert.hostName ?? firstString(main, 'host.name');
  const host = hostRaw ? hostRaw.toLowerCase() : null;
  const userName = alert.userName ?? firstString(main, 'user.name');
  const domain = firstString(main, 'user.domain');
  const sid = firstString(main, 'user.id');
  const user = userName && !isServiceAccount(userName, domain, sid) ? (domain ? `${domain}\\${userName}` : userName).toLowerCase() : null;
  const processes = new Set<string>();
  const lineage = new Set<string>();
  for (const doc of docs) {
    const h = (firstString(doc, 'host.name') ?? hostRaw ?? '').toLowerCase();
    const self = firstString(doc, 'process.entity_id');
    if (self) {
      processes.add(`${h}|${self}`);
      lineage.add(`${h}|${self}`);
    }
    const parent = firstString(doc, 'process.parent.entity_id');
    if (parent) lineage.add(`${h}|${parent}`);
    for (const a of strings(doc, 'process.Ext.ancestry')) lineage.add(`${h}|${a}`);
  }
  return { alertId: alert.id, t: Number.isFinite(t) ? t : 0, host, user, processes: [...processes].sort(), lineage: [...lineage].sort() };
}
