/**
 * When webhooks are due: a new incident at or above a webhook's severity (also an incident
 * that grows into it), an incident assigned to someone, an SLA breach (not acknowledged / not
 * closed in time: the incidents' own SLA targets by severity, lib/incidents/sla, from the incident's first alert).
 * Each (webhook, event, incident) is queued once; delivery is lib/incidents/notify/deliver.
 */
import type { SlaConfig } from '../../dashboard/sla';
import { incidentSlaFromEnv, missedTargets } from '../sla';
import type { Severity } from '../../detection/types';
import { getDb, prepared, type AppDb } from '../../store/db';
import { getIncidentRow } from '../../store/incidents';
import type { IncidentSummary } from '../types';
import { RESPONSE_STEPS } from '../steps';
import { buildPayload, type NotificationInput } from './payload';
import { enqueueDelivery, listWebhooks, type StoredWebhook } from './store';

const rank: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };

function publicUrl(id: string): string | null {
  const base = process.env.GUIDEPOST_PUBLIC_URL?.trim();
  if (!base) return null;
  try {
    return new URL(`/incidents/${encodeURIComponent(id)}`, base).toString();
  } catch {
    return null;
  }
}

function queue(db: AppDb, hook: StoredWebhook, n: Omit<NotificationInput, 'url'>, dedupKey: string): boolean {
  return enqueueDelivery(
    { webhookId: hook.id, event: n.event, incidentId: n.incident.id, dedupKey, body: buildPayload(hook.format, { ...n, url: publicUrl(n.incident.id) }) },
    n.at,
    db,
  );
}

function active(db: AppDb, event: NotificationInput['event']): StoredWebhook[] {
  // no webhooks table before migration 20 is impossible (migrations run on open); an empty list is the common case
  return listWebhooks(db).filter((h) => h.enabled && (event === 'test' || h.events.includes(event)));
}

/** After a grouping pass: the incidents created or changed that now reach a webhook's severity. */
export function notifyIncidents(ids: string[], now: Date, db: AppDb = getDb()): number {
  const hooks = active(db, 'incident.created');
  if (hooks.length === 0 || ids.length === 0) return 0;
  let n = 0;
  for (const id of ids) {
    const inc = getIncidentRow(db, id, RESPONSE_STEPS.length);
    if (!inc || inc.status === 'closed') continue;
    for (const h of hooks) {
      if (rank[inc.severity] < rank[h.minSeverity]) continue;
      if (queue(db, h, { event: 'incident.created', at: now.toISOString(), incident: inc }, `${h.id}|created|${inc.id}`)) n++;
    }
  }
  return n;
}

/** An incident was assigned (each assignment notifies once). */
export function notifyAssigned(inc: IncidentSummary, by: string, now: Date, db: AppDb = getDb()): number {
  if (!inc.assignee) return 0;
  let n = 0;
  for (const h of active(db, 'incident.assigned')) {
    if (rank[inc.severity] < rank[h.minSeverity]) continue;
    if (queue(db, h, { event: 'incident.assigned', at: now.toISOString(), incident: inc, detail: { assignee: inc.assignee, by } }, `${h.id}|assigned|${inc.id}|${inc.version}`)) n++;
  }
  return n;
}

/**
 * Incidents past their SLA (acknowledge or close), each breach notified once per webhook.
 * The breaches are found by reads alone (a breach already queued is known by its key, so no
 * payload is built for it again), then queued through `write` in one transaction: the web
 * thread's dispatcher passes a `tryWrite` that skips the tick when another connection holds
 * app.db's write lock (the next tick finds the same breaches). Returns how many were queued.
 */
export function notifySlaBreaches(
  now: Date,
  db: AppDb = getDb(),
  sla: SlaConfig = incidentSlaFromEnv(),
  write: (queueAll: () => void) => boolean = (queueAll) => (queueAll(), true),
): number {
  const hooks = active(db, 'incident.sla_breach');
  if (hooks.length === 0) return 0;
  const queued = new Set(prepared<string>(db, `SELECT dedup_key FROM webhook_deliveries WHERE event = 'incident.sla_breach'`).pluck().all());
  const rows = prepared<{
    id: string;
    severity: Severity;
    first_seen: string;
    acknowledged_at: string | null;
  }>(db, `SELECT id, severity, first_seen, acknowledged_at FROM incidents WHERE status != 'closed' AND first_seen IS NOT NULL`).all();
  const due: { hook: StoredWebhook; n: Omit<NotificationInput, 'url'>; key: string }[] = [];
  for (const r of rows) {
    const missed = missedTargets({ severity: r.severity, firstSeen: r.first_seen, acknowledgedAt: r.acknowledged_at }, now, sla);
    const keys = hooks.flatMap((h) => missed.map((m) => ({ h, m, key: `${h.id}|sla-${m}|${r.id}` }))).filter((k) => !queued.has(k.key));
    if (!keys.length) continue;
    const inc = getIncidentRow(db, r.id, RESPONSE_STEPS.length);
    if (!inc) continue;
    for (const { h, m, key } of keys) {
      if (rank[inc.severity] < rank[h.minSeverity]) continue;
      due.push({ hook: h, n: { event: 'incident.sla_breach', at: now.toISOString(), incident: inc, detail: { sla: m } }, key });
    }
  }
  if (!due.length) return 0;
  let n = 0;
  const done = write(() => {
    db.transaction(() => {
      for (const d of due) if (queue(db, d.hook, d.n, d.key)) n++;
    }).immediate();
  });
  return done ? n : 0;
}
