import { ApiError, errorMessage } from '@/lib/queries/fetch-json';
import { alertPatchSchema, type AlertPatch } from '@/lib/contracts/alerts';
import type { Translate } from '@/lib/i18n';

/** What a bulk action needs to know of a selected alert (and what a refusal names). */
export interface SelectedAlert {
  id: string;
  version: number;
  assignee: string | null;
  ruleName: string;
  hostName: string | null;
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
  return errorMessage(err);
}

/** How many PATCH requests a bulk action keeps in flight. */
const CONCURRENCY = 4;

/**
 * Assigns each selected alert with its own version-checked PATCH (the API's per-alert rules
 * and conflict check apply one by one), a few at a time; every refusal is kept with its reason.
 */
export async function assignEach(
  alerts: SelectedAlert[],
  assignee: string,
  send: (id: string, body: AlertPatch) => Promise<unknown>,
  onProgress: (finished: number) => void,
  t: Translate,
): Promise<BulkOutcome> {
  const todo = alerts.filter((a) => a.assignee !== assignee);
  const outcome: BulkOutcome = { assignee, done: 0, unchanged: alerts.length - todo.length, refused: [] };
  let next = 0;
  let finished = 0;
  async function worker() {
    while (next < todo.length) {
      const a = todo[next++]!;
      try {
        await send(a.id, alertPatchSchema.parse({ expectedVersion: a.version, assignee }));
        outcome.done++;
      } catch (err) {
        outcome.refused.push({ alert: a, reason: refusalReason(err, t) });
      }
      onProgress(++finished);
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
  // refusals in the order the alerts were selected, not the order the answers came
  outcome.refused.sort((x, y) => todo.indexOf(x.alert) - todo.indexOf(y.alert));
  return outcome;
}

