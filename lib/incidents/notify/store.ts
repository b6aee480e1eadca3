/** Repository of webhooks and their deliveries (migration 20). */
import { randomBytes, randomUUID } from 'node:crypto';
import type { WebhookCreate, WebhookDeliveryValue, WebhookEvent, WebhookValue } from '../../contracts/incidents';
import type { Severity } from '../../detection/types';
import { getDb, prepared, type AppDb } from '../../store/db';

interface WebhookRow {
  id: string;
  name: string;
  url: string;
  format: WebhookValue['format'];
  secret: string;
  events: string;
  min_severity: Severity;
  enabled: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface StoredWebhook extends WebhookValue {
  secret: string;
}

function toWebhook(r: WebhookRow): StoredWebhook {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    format: r.format,
    secret: r.secret,
    events: JSON.parse(r.events) as WebhookEvent[],
    minSeverity: r.min_severity,
    enabled: r.enabled === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** what the API shows: never the secret */
export function publicWebhook(w: StoredWebhook): WebhookValue {
  const { secret: _secret, ...rest } = w;
  void _secret;
  return rest;
}

export function createWebhook(input: WebhookCreate, actor: string, now = new Date(), db: AppDb = getDb()): StoredWebhook {
  const id = `wh-${randomUUID()}`;
  const secret = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  prepared(
    db,
    'INSERT INTO webhooks (id, name, url, format, secret, events, min_severity, enabled, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(id, input.name, input.url, input.format, secret, JSON.stringify([...new Set(input.events)]), input.minSeverity, input.enabled ? 1 : 0, actor, at, at);
  return getWebhook(id, db)!;
}

export function getWebhook(id: string, db: AppDb = getDb()): StoredWebhook | null {
  const r = prepared<WebhookRow>(db, 'SELECT * FROM webhooks WHERE id = ?').get(id);
  return r ? toWebhook(r) : null;
}

export function listWebhooks(db: AppDb = getDb()): StoredWebhook[] {
  return (prepared<WebhookRow>(db, 'SELECT * FROM webhooks ORDER BY created_at, id').all()).map(toWebhook);
}

export function updateWebhook(id: string, patch: Partial<WebhookCreate>, now = new Date(), db: AppDb = getDb()): StoredWebhook | null {
  const sets: string[] = ['updated_at = ?'];
  const params: (string | number)[] = [now.toISOString()];
  const cols: [keyof WebhookCreate, string, (v: never) => string | number][] = [
    ['name', 'name', (v: string) => v],
    ['url', 'url', (v: string) => v],
    ['format', 'format', (v: string) => v],
    ['events', 'events', (v: WebhookEvent[]) => JSON.stringify([...new Set(v)])],
    ['minSeverity', 'min_severity', (v: string) => v],
    ['enabled', 'enabled', (v: boolean) => (v ? 1 : 0)],
  ];
  for (const [key, col, conv] of cols) {
    const v = patch[key];
    if (v === undefined) continue;
    sets.push(`${col} = ?`);
    params.push(conv(v as never));
  }
  prepared(db, `UPDATE webhooks SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
  return getWebhook(id, db);
}

export function deleteWebhook(id: string, db: AppDb = getDb()): boolean {
  return prepared(db, 'DELETE FROM webhooks WHERE id = ?').run(id).changes === 1;
}

interface DeliveryRow {
  id: number;
  webhook_id: string;
  event: string;
  incident_id: string | null;
  dedup_key: string;
  body: string;
  status: WebhookDeliveryValue['status'];
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface StoredDelivery extends WebhookDeliveryValue {
  body: string;
}

function toDelivery(r: DeliveryRow): StoredDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    event: r.event,
    incidentId: r.incident_id,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

/** Queue a delivery unless one with the same key exists. Returns whether it was queued. */
export function enqueueDelivery(
  d: { webhookId: string; event: string; incidentId: string | null; dedupKey: string; body: string },
  now: string,
  db: AppDb = getDb(),
): boolean {
  return (
    prepared(
      db,
      `INSERT OR IGNORE INTO webhook_deliveries (webhook_id, event, incident_id, dedup_key, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(d.webhookId, d.event, d.incidentId, d.dedupKey, d.body, now, now).changes === 1
  );
}

export function dueDeliveries(now: string, limit = 50, db: AppDb = getDb()): StoredDelivery[] {
  return (prepared<DeliveryRow>(db, `SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`).all(now, limit)).map(
    toDelivery,
  );
}

export function recordAttempt(
  id: number,
  outcome: { ok: boolean; status: number | null; error: string | null; nextAttemptAt: string | null },
  now: string,
  db: AppDb = getDb(),
): void {
  const status = outcome.ok ? 'delivered' : outcome.nextAttemptAt ? 'pending' : 'failed';
  prepared(
    db,
    `UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, last_status = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at),
       delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END WHERE id = ?`,
  ).run(status, outcome.status, outcome.error, outcome.nextAttemptAt, status, now, id);
}

export function listDeliveries(webhookId: string, limit = 200, db: AppDb = getDb()): StoredDelivery[] {
  return (prepared<DeliveryRow>(db, 'SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?').all(webhookId, limit)).map(toDelivery);
}
