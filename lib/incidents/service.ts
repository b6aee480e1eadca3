/**
 * What the incident routes, pages and exports answer: the queue, one incident with its
 * alerts (collapsed storms), entities, checklist and history, and its timeline (its alerts
 * and the key events of their process trees and hosts from the EventSource).
 */
import type { EventSource, StoredEvent } from '../events/types';
import { classifyEvent, summarise, type ActivityKind } from '../investigation/activity';
import { eventTime, str } from '../investigation/fields';
import { JsonBody, versionMemo } from '../store/answer-cache';
import { listAudit } from '../store/audit';
import { getDb, prepared, type AppDb } from '../store/db';
import { PAGE_MAX, countIncidents, incidentPageStamps, incidentRowsById, incidentVersion, listMembers, pageBounds, type IncidentFilter } from '../store/incidents';
import { groupingConfig } from './config';
import { getIncidentOrThrow, listIncidentSteps } from './manual';
import { RESPONSE_STEPS } from './steps';
import { collapseStorms } from './storms';
import type { IncidentMember, IncidentSummary } from './types';

/** An answer kept until the incidents change (their version), per database; at most 500 per database. */
const kept = versionMemo(500);

/** an incident's queue row as JSON, valid while its stamp (migration 43) is this one */
interface SerialisedRow {
  stamp: number;
  json: string;
}
const serialised = new WeakMap<AppDb, Map<string, SerialisedRow>>();
/** rows kept per database, the least recently used dropped first (~500 bytes each) */
const ROWS_MAX = 40_000;

interface QueuePage {
  version: number;
  total: number;
  /** each row of the page as JSON, in order */
  rows: string[];
}

/** per database and filter + sort: how deep its order is read at once (the deepest page asked for, in steps of 1000) */
const depths = new WeakMap<AppDb, Map<string, number>>();

/**
 * A page's ids and stamps in order. The pages of one filter and sort share one read of the
 * order down to the deepest page asked for (kept per version): the 20 pages of a queue cost one
 * index scan of 4000 entries after a write, not 20 scans of up to 4000 each. A page past
 * PAGE_MAX is read on its own.
 */
function pageIds(db: AppDb, f: IncidentFilter, version: number): { id: string; stamp: number }[] {
  const { limit, offset } = pageBounds(f);
  const end = offset + limit;
  if (end > PAGE_MAX) return incidentPageStamps(db, f);
  const { limit: _l, offset: _o, ...ordered } = f;
  const key = JSON.stringify(ordered);
  let byKey = depths.get(db);
  if (!byKey) depths.set(db, (byKey = new Map()));
  const depth = Math.min(PAGE_MAX, Math.max(byKey.get(key) ?? 0, Math.ceil(end / 1000) * 1000));
  if (byKey.size >= 500 && !byKey.has(key)) byKey.clear();
  byKey.set(key, depth);
  return kept(db, `order|${depth}|${key}`, version, () => incidentPageStamps(db, { ...ordered, limit: depth, offset: 0 })).slice(offset, end);
}

/**
 * One page and the filter's total, read in one transaction (one snapshot). A write bumps the
 * incidents' version, so every page is rebuilt afterwards, but only the rows whose stamp moved
 * are read and serialised again: the rest of the page is its ids and stamps from the sort's
 * covering index (pageIds) plus the rows kept in memory under (id, stamp). The stamp changes with any
 * change of the row, in the same transaction as the change (triggers), so a kept row is never
 * older than the snapshot the page is read in: the answer is exact, not eventually so. The
 * total of a status/assignee filter is a sum over the trigger-kept counts (migration 42).
 */
function queuePage(db: AppDb, f: IncidentFilter): QueuePage {
  return db.transaction((): QueuePage => {
    const version = incidentVersion(db);
    return kept(db, `page|${JSON.stringify(f)}`, version, () => {
      const { sort: _s, order: _o, limit: _l, offset: _off, ...counted } = f;
      const total = kept(db, `count|${JSON.stringify(counted)}`, version, () => countIncidents(db, counted));
      let cache = serialised.get(db);
      if (!cache) serialised.set(db, (cache = new Map()));
      const page = pageIds(db, f, version);
      const fresh = (id: string, stamp: number) => {
        const hit = cache.get(id);
        return hit && hit.stamp === stamp ? hit : undefined;
      };
      const missing = page.filter((p) => !fresh(p.id, p.stamp)).map((p) => p.id);
      for (const { summary, stamp } of incidentRowsById(db, missing, RESPONSE_STEPS.length)) cache.set(summary.id, { stamp, json: JSON.stringify(summary) });
      const rows = page.map((p) => {
        const hit = fresh(p.id, p.stamp);
        if (!hit) throw new Error(`incident ${p.id} was not read with its page`);
        // most recently used last, so the oldest are dropped first
        cache.delete(p.id);
        cache.set(p.id, hit);
        return hit.json;
      });
      for (const id of cache.keys()) {
        if (cache.size <= ROWS_MAX) break;
        cache.delete(id);
      }
      return { version, total, rows };
    });
  })();
}

/**
 * A page of the incident queue and the filter's total, as of one snapshot. Kept until an
 * incident changes; after a change only the changed rows are read again (queuePage).
 */
export function listIncidents(f: IncidentFilter, db: AppDb = getDb()) {
  const page = queuePage(db, f);
  const items = kept(db, `items|${JSON.stringify(f)}`, page.version, () => page.rows.map((r) => JSON.parse(r) as IncidentSummary));
  return { items, total: page.total, version: page.version };
}

/** The same answer as JSON text (what GET /api/incidents sends), joined from the rows' kept JSON. */
export function listIncidentsBody(f: IncidentFilter, db: AppDb = getDb()): JsonBody {
  const key = `body|${JSON.stringify(f)}`;
  // nothing changed since the body was made: it, without a transaction (the common case between writes)
  const hit = kept.peek<JsonBody>(db, key, incidentVersion(db));
  if (hit) return hit;
  const page = queuePage(db, f);
  return kept(db, key, page.version, () => new JsonBody(`{"items":[${page.rows.join(',')}],"total":${page.total},"version":${page.version}}`));
}

function windowMinutes(db: AppDb): number {
  try {
    return groupingConfig(db).windowMinutes;
  } catch {
    return 60;
  }
}

export function entitiesOf(members: IncidentMember[]) {
  const counts = new Map<string, { kind: 'host' | 'user' | 'process' | 'file' | 'rule'; value: string; alerts: number }>();
  const add = (kind: 'host' | 'user' | 'process' | 'file' | 'rule', value: string | null) => {
    if (!value) return;
    const key = `${kind}\u0000${kind === 'rule' ? value : value.toLowerCase()}`;
    const prev = counts.get(key);
    if (prev) prev.alerts += 1;
    else counts.set(key, { kind, value, alerts: 1 });
  };
  for (const m of members) {
    add('host', m.hostName);
    add('user', m.userName);
    add('process', m.subject ?? m.processName);
    if (m.filePath && m.filePath !== m.subject) add('file', m.filePath);
    add('rule', m.ruleName);
  }
  const order = ['host', 'user', 'process', 'file', 'rule'];
  return [...counts.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || b.alerts - a.alerts || a.value.localeCompare(b.value));
}

export function incidentDetail(id: string, db: AppDb = getDb()) {
  const incident = getIncidentOrThrow(id, db);
  const members = listMembers(db, incident.id);
  const w = windowMinutes(db);
  const history = listAudit(getDb(), { entity: 'incident', entityId: incident.id, limit: 500 }).map((e) => ({
    id: e.id,
    at: e.at,
    actor: e.actor,
    action: e.action,
    before: e.before,
    after: e.after,
  }));
  return {
    incident,
    members,
    rows: collapseStorms(members, w),
    steps: listIncidentSteps(incident.id, db),
    history,
    entities: entitiesOf(members),
    windowMinutes: w,
  };
}

type TimelineKind = 'alert' | 'process' | 'file' | 'network' | 'dns' | 'registry' | 'library' | 'logon' | 'other';
export interface TimelineItem {
  kind: TimelineKind;
  time: string | null;
  host: string | null;
  summary: string;
  alertId: string | null;
  event: { _index: string; _id: string } | null;
}

const EVENTS_MAX = 400;
const MARGIN_MS = 15 * 60_000;

/**
 * The incident's alerts and the key events around them (process starts, files written,
 * network, logons), in time order across hosts. The events come from the process trees of
 * the alerts (their entity ids, children included) and the logons on their hosts, inside
 * [first alert − 15 min, last alert + 15 min]; bounded. When the source fails, the alerts
 * alone, with the reason.
 */
export async function incidentTimeline(id: string, source: EventSource, db: AppDb = getDb()) {
  const incident = getIncidentOrThrow(id, db);
  const members = listMembers(db, incident.id);
  const items: TimelineItem[] = members.map((m) => ({
    kind: 'alert',
    time: m.timestamp,
    host: m.hostName,
    summary: `${m.ruleName}${m.subject ? ` — ${m.subject}` : ''}`,
    alertId: m.alertId,
    event: null,
  }));
  if (members.length === 0) return { items, truncated: false, window: null, sourceError: null };
  const from = new Date(Date.parse(members[0]!.timestamp) - MARGIN_MS).toISOString();
  const to = new Date(Date.parse(members[members.length - 1]!.timestamp) + MARGIN_MS).toISOString();
  const entityIds = (
    prepared<string>(db, `SELECT DISTINCT k.value FROM incident_keys k JOIN incident_alerts m ON m.alert_id = k.alert_id WHERE m.incident_id = ? AND k.kind = 'ps' LIMIT 200`)
      .pluck()
      .all(incident.id)
  ).map((v) => v.slice(v.indexOf('|') + 1));
  const hosts = [...new Set(members.map((m) => m.hostName).filter((h): h is string => !!h))].slice(0, 20);
  const alertEvents = new Set(
    prepared<string>(db, 'SELECT a.event_index || char(0) || a.event_id FROM alerts a JOIN incident_alerts m ON m.alert_id = a.id WHERE m.incident_id = ?').pluck().all(incident.id),
  );
  let truncated = false;
  let sourceError: string | null = null;
  const seen = new Set<string>();
  const push = (ev: StoredEvent, kind: TimelineKind) => {
    const key = `${ev._index}\u0000${ev._id}`;
    if (seen.has(key) || alertEvents.has(key)) return;
    seen.add(key);
    items.push({ kind, time: eventTime(ev), host: str(ev._source, 'host.name'), summary: kind === 'logon' ? logonSummary(ev) : summarise(ev, kind as ActivityKind), alertId: null, event: { _index: ev._index, _id: ev._id } });
  };
  try {
    if (entityIds.length) {
      const res = await source.entityEvents({ entityIds, window: { from, to }, size: EVENTS_MAX });
      truncated ||= res.truncated;
      for (const ev of res.items) {
        const kind = classifyEvent(ev);
        // the key events: process starts, files written, network; the rest stays on the triage pages
        if (kind === 'process' || kind === 'file' || kind === 'network' || kind === 'dns') push(ev, kind);
      }
    }
    for (const host of hosts) {
      const res = await source.authenticationEvents({ host, after: from, before: to, size: 50 });
      truncated ||= res.truncated;
      for (const ev of res.items) push(ev, 'logon');
    }
  } catch (e) {
    sourceError = e instanceof Error ? e.message : String(e);
  }
  items.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || (a.kind === 'alert' ? -1 : b.kind === 'alert' ? 1 : 0));
  return { items: items.slice(0, EVENTS_MAX + members.length), truncated, window: { from, to }, sourceError };
}

function logonSummary(ev: StoredEvent): string {
  const d = ev._source;
  const user = str(d, 'user.name');
  const domain = str(d, 'user.domain');
  const ip = str(d, 'source.ip');
  const outcome = str(d, 'event.outcome');
  return `${str(d, 'event.action') ?? 'logon'}: ${user ? (domain ? `${domain}\\${user}` : user) : '?'}${ip ? ` from ${ip}` : ''}${outcome ? ` (${outcome})` : ''}`;
}
