/**
 * What the subject process and its tree did: events of their entity ids, grouped by kind
 * (network, dns, registry, file, process, library, other), counted, time-ordered, bounded.
 */
import type { EventSource, StoredEvent, TimeWindow } from '../events/types';
import { eventTime, getField, has, HOUR_MS, iso, num, ref, str, toMs, values } from './fields';

export const ACTIVITY_KINDS = ['network', 'dns', 'registry', 'file', 'process', 'library', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface ActivityItem {
  kind: ActivityKind;
  time: string | null;
  action: string | null;
  /** one line, plain text */
  summary: string;
  entityId: string | null;
  processName: string | null;
  pid: number | null;
  /** the fields the summary was made of, for display and copy */
  fields: Record<string, string>;
  event: { _index: string; _id: string };
}

export interface ActivityGroup {
  kind: ActivityKind;
  count: number;
  items: ActivityItem[];
  /** more events of this kind than `items` holds */
  truncated: boolean;
}

export interface Activity {
  window: TimeWindow;
  entityIds: string[];
  groups: ActivityGroup[];
  total: number;
  /** the source returned the limit: there may be more events than counted */
  truncated: boolean;
}

export interface ActivityOptions {
  /** hours before the alert (default 1) and after it (default 24) */
  hoursBefore?: number;
  hoursAfter?: number;
  /** events read at most (default 1000) */
  limit?: number;
  /** items kept per kind (default 50) */
  perKind?: number;
  window?: TimeWindow;
}

const pick = (doc: unknown, fields: string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = values(doc, f);
    if (v.length > 0) out[f] = v.map(String).join(', ');
  }
  return out;
};

export function classifyEvent(ev: StoredEvent): ActivityKind {
  const d = ev._source;
  if (getField(d, 'dns.question.name') !== undefined || has(d, 'network.protocol', 'dns') || has(d, 'event.category', 'dns')) return 'dns';
  if (has(d, 'event.category', 'network')) return 'network';
  if (has(d, 'event.category', 'registry')) return 'registry';
  if (has(d, 'event.category', 'library') || getField(d, 'dll.path') !== undefined) return 'library';
  if (has(d, 'event.category', 'file')) return 'file';
  if (has(d, 'event.category', 'process')) return 'process';
  return 'other';
}

const FIELDS: Record<ActivityKind, string[]> = {
  network: ['source.ip', 'source.port', 'destination.ip', 'destination.port', 'destination.domain', 'network.transport', 'network.direction'],
  dns: ['dns.question.name', 'dns.question.type', 'dns.resolved_ip'],
  registry: ['registry.path', 'registry.value', 'registry.data.strings'],
  file: ['file.path', 'file.extension', 'file.hash.sha256', 'file.hash.sha1', 'file.hash.md5'],
  process: ['process.executable', 'process.command_line', 'process.parent.name', 'process.hash.sha256', 'process.hash.sha1', 'process.hash.md5'],
  library: [
    'dll.path',
    'file.path',
    'dll.code_signature.subject_name',
    'dll.hash.sha256',
    'dll.hash.sha1',
    'dll.hash.md5',
    'file.hash.sha256',
    'file.hash.sha1',
    'file.hash.md5',
  ],
  other: ['event.action', 'message'],
};

export function summarise(ev: StoredEvent, kind: ActivityKind): string {
  const d = ev._source;
  const action = str(d, 'event.action') ?? values(d, 'event.type').map(String).join('/');
  switch (kind) {
    case 'network': {
      const dst = str(d, 'destination.ip', 'destination.address') ?? '?';
      const port = str(d, 'destination.port');
      const dom = str(d, 'destination.domain');
      return `${action ? `${action}: ` : ''}${dom ? `${dom} ` : ''}${dst}${port ? `:${port}` : ''}${str(d, 'network.transport') ? ` (${str(d, 'network.transport')})` : ''}`;
    }
    case 'dns': {
      const ips = values(d, 'dns.resolved_ip').map(String);
      return `${str(d, 'dns.question.name') ?? '?'}${ips.length ? ` → ${ips.join(', ')}` : ''}`;
    }
    case 'registry':
      return `${action ? `${action}: ` : ''}${str(d, 'registry.path') ?? str(d, 'registry.key') ?? '?'}${str(d, 'registry.data.strings') ? ` = ${values(d, 'registry.data.strings').join(', ')}` : ''}`;
    case 'file':
      return `${action ? `${action}: ` : ''}${str(d, 'file.path', 'file.name') ?? '?'}`;
    case 'process':
      return `${action ? `${action}: ` : ''}${str(d, 'process.command_line', 'process.executable', 'process.name') ?? '?'}`;
    case 'library':
      return `${action ? `${action}: ` : ''}${str(d, 'dll.path', 'file.path', 'dll.name') ?? '?'}`;
    default:
      return `${action || str(d, 'event.category') || 'event'}${str(d, 'message') ? `: ${str(d, 'message')}` : ''}`;
  }
}

export function toActivityItem(ev: StoredEvent): ActivityItem {
  const kind = classifyEvent(ev);
  return {
    kind,
    time: eventTime(ev),
    action: str(ev._source, 'event.action'),
    summary: summarise(ev, kind),
    entityId: str(ev._source, 'process.entity_id'),
    processName: str(ev._source, 'process.name'),
    pid: num(ev._source, 'process.pid'),
    fields: pick(ev._source, FIELDS[kind]),
    event: ref(ev),
  };
}

/** Group events by kind; each group time-ordered and bounded. */
export function groupActivity(events: StoredEvent[], perKind: number): ActivityGroup[] {
  const sorted = [...events].sort((a, b) => (toMs(getField(a._source, '@timestamp')) ?? 0) - (toMs(getField(b._source, '@timestamp')) ?? 0));
  const groups = new Map<ActivityKind, ActivityGroup>();
  for (const ev of sorted) {
    const item = toActivityItem(ev);
    let g = groups.get(item.kind);
    if (!g) {
      g = { kind: item.kind, count: 0, items: [], truncated: false };
      groups.set(item.kind, g);
    }
    g.count++;
    if (g.items.length < perKind) g.items.push(item);
    else g.truncated = true;
  }
  return ACTIVITY_KINDS.map((k) => groups.get(k)).filter((g): g is ActivityGroup => !!g);
}

export async function processActivity(
  source: EventSource,
  entityIds: string[],
  alertTime: string,
  opts: ActivityOptions & { exclude?: { _index: string; _id: string } } = {},
): Promise<Activity> {
  const t = toMs(alertTime) ?? Date.now();
  const window = opts.window ?? { from: iso(t - (opts.hoursBefore ?? 1) * HOUR_MS), to: iso(t + (opts.hoursAfter ?? 24) * HOUR_MS) };
  const ids = [...new Set(entityIds)];
  if (ids.length === 0) return { window, entityIds: [], groups: [], total: 0, truncated: false };
  const res = await source.entityEvents({ entityIds: ids, window, size: opts.limit ?? 1000 });
  const items = opts.exclude ? res.items.filter((e) => !(e._index === opts.exclude?._index && e._id === opts.exclude?._id)) : res.items;
  return { window, entityIds: ids, groups: groupActivity(items, opts.perKind ?? 50), total: items.length, truncated: res.truncated };
}
