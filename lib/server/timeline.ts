import 'server-only';
/**
 * The timeline of one alert over the event source in use (the triage page's timeline).
 */
import type { Alert } from '../detection/types';
import { evidenceSource } from './workers/evidence-pool';
import { readTimeline, type Timeline } from '../investigation/timeline';

/** Events of the tree read at most: a busy tree's ±1 h stops here and says so. */
const TIMELINE_LIMIT = 5000;

export async function timelineOfAlert(alert: Alert, seconds: number, depth: number): Promise<Timeline> {
  return readTimeline(evidenceSource(), alert, { seconds, depth, limit: TIMELINE_LIMIT });
}
