import { ApiError } from '@/lib/queries/fetch-json';
import { describeError } from '@/lib/queries/error-text';
import { alertPatchSchema, type AlertPatch } from '@/lib/contracts/alerts';
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
  if (err instanceof ApiError && err.status === 409) return t('bulk.conflict');
  if (err instanceof ApiError && err.status === 403) return t('bulk.forbidden', { message: err.message });
  return describeError(t, err);
}

/** How many PATCH requests a bulk action keeps in flight. */
const CONCURRENCY = 4;

/** A bulk change: what to send for one alert (without its version), or null when it has it already. */
export type BulkChange = (a: SelectedAlert) => Omit<AlertPatch, 'expectedVersion'> | null;

/**
 * Applies a change to each alert with its own version-checked PATCH (the API's per-alert rules
 * and conflict check apply one by one: the server refuses what the role may not do), a few at
 * a time; every refusal is kept with its reason. Used for bulk assign, acknowledge and close.
 */
export async function patchEach(
  alerts: SelectedAlert[],
  change: BulkChange,
  send: (id: string, body: AlertPatch) => Promise<unknown>,
  onProgress: (finished: number) => void,
  t: Translate,
): Promise<Omit<BulkOutcome, 'assignee'>> {
  const todo = alerts.flatMap((a) => {
    const body = change(a);
    return body ? [{ a, body }] : [];
  });
  const outcome: Omit<BulkOutcome, 'assignee'> = { done: 0, unchanged: alerts.length - todo.length, refused: [] };
  let next = 0;
  let finished = 0;
  async function worker() {
    while (next < todo.length) {
      const { a, body } = todo[next++]!;
      try {
        await send(a.id, alertPatchSchema.parse({ expectedVersion: a.version, ...body }));
        outcome.done++;
      } catch (err) {
        outcome.refused.push({ alert: a, reason: refusalReason(err, t) });
      }
      onProgress(++finished);
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
  // refusals in the order the alerts were selected, not the order the answers came
  const order = new Map(alerts.map((a, i) => [a.id, i]));
  outcome.refused.sort((x, y) => order.get(x.alert.id)! - order.get(y.alert.id)!);
  return outcome;
}

/** Assigns each selected alert (see patchEach). */
export async function assignEach(
  alerts: SelectedAlert[],
  assignee: string,
  send: (id: string, body: AlertPatch) => Promise<unknown>,
  onProgress: (finished: number) => void,
  t: Translate,
): Promise<BulkOutcome> {
  const outcome = await patchEach(alerts, (a) => (a.assignee === assignee ? null : { assignee }), send, onProgress, t);
  return { assignee, ...outcome };
}
