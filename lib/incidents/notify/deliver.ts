/**
 * Sends the queued webhook deliveries: POST with the payload, signed with the webhook's
 * secret (HMAC-SHA256 over `<timestamp>.<body>`, header `X-Guidepost-Signature: sha256=<hex>`,
 * `X-Guidepost-Timestamp`), 10 s timeout, retried with exponential backoff (30 s, 1, 2, 4,
 * 8 min) and failed after 6 attempts; a 2xx answer is delivered. Every attempt is recorded.
 */
import { createHmac } from 'node:crypto';
import { getDb, tryWrite, type AppDb } from '../../store/db';
import { notifySlaBreaches } from './events';
import { dueDeliveries, getWebhook, recordAttempt } from './store';

export const MAX_ATTEMPTS = 6;
const BASE_BACKOFF_MS = 30_000;
const TIMEOUT_MS = 10_000;

export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** the wait after the n-th failed attempt (1-based) */
export function backoffMs(attempt: number): number {
  return BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1);
}

export interface DeliverOptions {
  now?: () => Date;
  fetch?: typeof fetch;
  db?: AppDb;
}

/** Send every delivery that is due. Returns how many were attempted. */
export async function deliverDue(opts: DeliverOptions = {}): Promise<number> {
  const db = opts.db ?? getDb();
  const now = opts.now ?? (() => new Date());
  const send = opts.fetch ?? fetch;
  const waiting = recordKept(db);
  const due = dueDeliveries(now().toISOString(), 50, db).filter((d) => !waiting.has(d.id));
  for (const d of due) {
    const hook = getWebhook(d.webhookId, db);
    if (!hook) continue;
    const at = now();
    const timestamp = String(Math.floor(at.getTime() / 1000));
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await send(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Guidepost-Webhook/1',
          'x-guidepost-event': d.event,
          'x-guidepost-delivery': String(d.id),
          'x-guidepost-timestamp': timestamp,
          'x-guidepost-signature': signature(hook.secret, timestamp, d.body),
        },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = res.status;
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      await res.body?.cancel().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    const attempts = d.attempts + 1;
    const ok = error === null;
    const nextAttemptAt = ok || attempts >= MAX_ATTEMPTS ? null : new Date(at.getTime() + backoffMs(attempts)).toISOString();
    record(db, () => recordAttempt(d.id, { ok, status, error, nextAttemptAt }, at.toISOString(), db), d.id);
  }
  return due.length;
}

/**
 * Attempts sent but not recorded yet, per database: their record waited for app.db's write lock
 * (another connection held it) and is written before the next round sends anything. A delivery
 * in here is not sent again meanwhile, although the table still says it is due.
 */
const unrecorded = new WeakMap<AppDb, Map<number, () => void>>();

/**
 * Write an attempt's record with `tryWrite` (the dispatcher runs on the web thread: a 5 s wait
 * for the write lock there stalls every request); when busy it is kept for the next round.
 */
function record(db: AppDb, write: () => void, id: number): void {
  let pending = unrecorded.get(db);
  if (!pending) unrecorded.set(db, (pending = new Map()));
  if (tryWrite(db, write)) pending.delete(id);
  else pending.set(id, write);
}

/** Write the records kept from earlier rounds; the ids still unrecorded afterwards. */
function recordKept(db: AppDb): Set<number> {
  const pending = unrecorded.get(db);
  if (!pending) return new Set();
  for (const [id, write] of [...pending]) record(db, write, id);
  return new Set(pending.keys());
}

const KEY = Symbol.for('guidepost.webhooks.dispatcher');
type G = typeof globalThis & { [KEY]?: ReturnType<typeof setInterval> };

/** Check SLA breaches and send due deliveries every 15 s (once per process). */
export function startWebhookDispatcher(log: (m: string) => void = (m) => console.error(`[guidepost] ${m}`)): void {
  const g = globalThis as G;
  if (g[KEY]) return;
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    try {
      const db = getDb();
      notifySlaBreaches(new Date(), db, undefined, (queueAll) => tryWrite(db, queueAll));
    } catch (e) {
      log(`webhooks: SLA check failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    deliverDue()
      .catch((e: unknown) => log(`webhooks: delivery failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        busy = false;
      });
  };
  g[KEY] = setInterval(tick, 15_000);
  g[KEY].unref?.();
}
