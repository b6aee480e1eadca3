import { ApiError } from '@/lib/queries/fetch-json';
import { describeError } from '@/lib/queries/error-text';
import { BULK_MAX_ITEMS, type BulkOutcomeResponse } from '@/lib/contracts/bulk-status';
import type { Translate } from '@/lib/i18n';
import type { AlertStatus } from '@/lib/domain/alert';

/** What a bulk action needs to know of a selected alert (and what a refusal names). */
export interface SelectedAlert {
  id: string;
  version: number;
  assignee: string | null;
  ruleName: string;
  hostName: string | null;
  /** its status as listed (bulk acknowledge / close skip alerts that have it already) */
  status?: AlertStatus;
}

export interface Refusal {
  alert: SelectedAlert;
  reason: string;
}

export interface BulkOutcome {
  assignee: string;
  done: number;
  unchanged: number;
  refused: Refusal[];
}

/** Why one alert of a bulk action was refused, in words an analyst can act on. */
export function refusalReason(err: unknown, t: Translate): string {
  if (err instanceof ApiError && err.code === 'conflict') return t('bulk.conflict');
  if (err instanceof ApiError && err.code === 'forbidden') return t('bulk.forbidden', { message: err.message });
  return describeError(t, err);
}

/** One bulk request: the alerts (id and the version they were listed at), at most BULK_MAX_ITEMS, and what the server did. */
export type BulkSend = (items: { id: string; expectedVersion: number }[]) => Promise<BulkOutcomeResponse>;

/**
 * Sends a bulk action as few requests as it can (BULK_MAX_ITEMS alerts each, one after the
 * other): the server applies each alert's own rules and version check and lists what it
 * refused, with the reason. `applies` picks the alerts the action changes (the rest are counted
 * unchanged without asking); a request that fails as a whole refuses its alerts with that
 * error, and the next one is still sent. Used for bulk assign, acknowledge and close.
 */
export async function sendBulk(
  alerts: SelectedAlert[],
  applies: (a: SelectedAlert) => boolean,
  send: BulkSend,
  onProgress: (finished: number) => void,
  t: Translate,
): Promise<Omit<BulkOutcome, 'assignee'>> {
  const todo = alerts.filter(applies);
  const outcome: Omit<BulkOutcome, 'assignee'> = { done: 0, unchanged: alerts.length - todo.length, refused: [] };
  const byId = new Map(todo.map((a) => [a.id, a]));
  for (let i = 0; i < todo.length; i += BULK_MAX_ITEMS) {
    const part = todo.slice(i, i + BULK_MAX_ITEMS);
    try {
      const res = await send(part.map((a) => ({ id: a.id, expectedVersion: a.version })));
      outcome.done += res.done.length;
      outcome.unchanged += res.unchanged.length;
      for (const r of res.refused) {
        const alert = byId.get(r.id);
        if (alert) outcome.refused.push({ alert, reason: refusalReason(new ApiError(r.code, r.message, 0), t) });
      }
    } catch (err) {
      for (const alert of part) outcome.refused.push({ alert, reason: refusalReason(err, t) });
    }
    onProgress(i + part.length);
  }
  // refusals in the order the alerts were selected
  const order = new Map(alerts.map((a, i) => [a.id, i]));
  outcome.refused.sort((x, y) => order.get(x.alert.id)! - order.get(y.alert.id)!);
  return outcome;
}

/** Assigns each selected alert that is not the assignee's already (see sendBulk; `send` posts to /api/alerts/assign). */
export async function assignEach(
  alerts: SelectedAlert[],
  assignee: string,
  send: (items: { id: string; expectedVersion: number }[], assignee: string) => Promise<BulkOutcomeResponse>,
  onProgress: (finished: number) => void,
  t: Translate,
): Promise<BulkOutcome> {
  const outcome = await sendBulk(alerts, (a) => a.assignee !== assignee, (items) => send(items, assignee), onProgress, t);
  return { assignee, ...outcome };
}
