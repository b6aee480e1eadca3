/**
 * What the alert pages remember of the queue in this tab (sessionStorage): the queue's
 * search (filters, sort, page), so "← Queue" returns to the same view, and the ids of the
 * page's alerts in their order, so the triage page can step to the next or previous alert.
 */
import { z } from 'zod';

const SEARCH_KEY = 'guidepost.queue.search';
const IDS_KEY = 'guidepost.queue.ids';

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // storage disabled: the pages work without memory
  }
}

export function rememberQueue(search: string, ids: readonly string[]): void {
  const s = storage();
  if (!s) return;
  s.setItem(SEARCH_KEY, search);
  s.setItem(IDS_KEY, JSON.stringify(ids));
}

/** The queue's address as last seen in this tab ("/alerts" when none). */
export function queueHref(): string {
  const search = storage()?.getItem(SEARCH_KEY) ?? '';
  return search ? `/alerts?${search}` : '/alerts';
}

const idsSchema = z.array(z.string().max(200)).max(1000);

/** The alert after (dir 1) or before (dir -1) `id` in the remembered queue page, or null. */
export function neighbourAlert(id: string, dir: 1 | -1): string | null {
  const raw = storage()?.getItem(IDS_KEY);
  if (!raw) return null;
  let ids: string[];
  try {
    const parsed = idsSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    ids = parsed.data;
  } catch {
    return null;
  }
  const i = ids.indexOf(id);
  if (i < 0) return null;
  return ids[i + dir] ?? null;
}
