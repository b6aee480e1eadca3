import 'server-only';
/**
 * Timelines over the event source in use: one alert's (the triage page's) and one incident's
 * (its page and export). Their event-store reads run in the evidence workers (evidence-pool),
 * never on the web thread; a locked events.db ends an incident's timeline at once with 503
 * store_busy.
 */
import type { Alert } from '../detection/types';
import { evidenceSource, failFastWhenStoreBusy } from './workers/evidence-pool';
import { readTimeline, type Timeline } from '../investigation/timeline';
import { incidentTimeline } from '../incidents/service';

/** Events of the tree read at most: a busy tree's ±1 h stops here and says so. */
const TIMELINE_LIMIT = 5000;

export async function timelineOfAlert(alert: Alert, seconds: number, depth: number): Promise<Timeline> {
  return readTimeline(evidenceSource(), alert, { seconds, depth, limit: TIMELINE_LIMIT });
}

/** An incident's alerts and the key events around them (GET /api/incidents/:id/timeline). */
export function timelineOfIncident(id: string): ReturnType<typeof incidentTimeline> {
  return failFastWhenStoreBusy(() => incidentTimeline(id, evidenceSource()));
}
