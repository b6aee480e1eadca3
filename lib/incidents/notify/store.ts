/** Repository of webhooks and their deliveries (migration 20). */
import { randomBytes, randomUUID } from 'node:crypto';
import type { WebhookCreate, WebhookDeliveryValue, WebhookEvent, WebhookValue } from '../../contracts/incidents';
import { getDb, prepared, type AppDb } from '../../store/db';

export interface StoredWebhook extends WebhookValue {
  secret: string;
}

/** a webhook as stored: its events as JSON text, enabled as 0/1; the other columns named as StoredWebhook names them */
type WebhookRow = Omit<StoredWebhook, 'events' | 'enabled'> & { events: string; enabled: number };
const WEBHOOK_COLUMNS =
  'id, name, url, format, secret, events, min_severity AS minSeverity, enabled, created_by AS createdBy, created_at AS createdAt, updated_at AS updatedAt';

function toWebhook(r: WebhookRow): StoredWebhook {
  return { ...r, events: JSON.parse(r.events) as WebhookEvent[], enabled: r.enabled === 1 };
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
  const r = prepared<WebhookRow>(db, `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = ?`).get(id);
  return r ? toWebhook(r) : null;
}

export function listWebhooks(db: AppDb = getDb()): StoredWebhook[] {
  return prepared<WebhookRow>(db, `SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY created_at, id`).all().map(toWebhook);
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

export interface StoredDelivery extends WebhookDeliveryValue {
  body: string;
}

/** a delivery's columns, named as StoredDelivery names them (the dedup key stays in the table) */
const DELIVERY_COLUMNS =
  'id, webhook_id AS webhookId, event, incident_id AS incidentId, body, status, attempts, next_attempt_at AS nextAttemptAt, last_status AS lastStatus, last_error AS lastError, created_at AS createdAt, delivered_at AS deliveredAt';

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
  return prepared<StoredDelivery>(db, `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`).all(now, limit);
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
  return prepared<StoredDelivery>(db, `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?`).all(webhookId, limit);
}
