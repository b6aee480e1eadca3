/**
 * The process lineage of a subject: its describing event, then its parent's, up to the root —
 * walked once here for every EventSource, over the one narrow call each source implements
 * (`findProcessesByEntityIds`: the event that describes a process, by entity id).
 */
import type { Bounded, EventSource, LineageRequest, StoredEvent } from '../events/types';
import { str } from './fields';

/**
 * Subject first, then each parent (`process.parent.entity_id`, its first non-empty value) as
 * long as an event describes it. Stops at a cycle, at a parent without an event, and after
 * `maxDepth` ancestors (default 20; then `truncated`). One lookup per generation.
 */
export async function processLineage(
  source: Pick<EventSource, 'findProcessesByEntityIds'>,
  req: LineageRequest,
): Promise<Bounded<StoredEvent>> {
  const maxDepth = req.maxDepth ?? 20;
  const items: StoredEvent[] = [];
  const seen = new Set<string>();
  let id: string | null = req.entityId;
  let truncated = false;
  while (id && !seen.has(id)) {
    if (items.length > maxDepth) {
      truncated = true;
      break;
    }
    seen.add(id);
    const found = await source.findProcessesByEntityIds({
      entityIds: [id],
      ...(req.host ? { host: req.host } : {}),
      ...(req.window ? { window: req.window } : {}),
    });
    const ev = found.get(id);
    if (!ev) break;
    items.push(ev);
    id = str(ev._source, 'process.parent.entity_id');
  }
  return { items, truncated };
}
