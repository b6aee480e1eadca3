/**
 * The triage evidence of one alert, as the evidence API, the triage page and the case
 * export all need it: the alert's rule guide, the event source in use, and the alert
 * store for related alerts. One place, so every consumer shows the same evidence.
 */
import type { Alert } from '../detection/types';
import { guideOfVersion, type VersionedGuide } from '../cases/guide';
import { evidenceSource } from './workers/evidence-pool';
import { assembleTriage, type TriageEvidence, type TriageOptions } from '../investigation/triage';
import { buildProcessTree, processSiblings, type ProcessNode, type TreeCut } from '../investigation/process-tree';
import type { ListAlerts } from '../investigation/related-alerts';
import { listAlerts } from '../store/alerts';
import { getDb } from '../store/db';

/** Alerts of the related-alerts window looked at (newest first). */
const RELATED_SCAN_LIMIT = 1000;

/** The alert store's listing over a time range, as lib/investigation asks for it. */
export const listAlertsIn: ListAlerts = async (range) =>
  listAlerts(getDb(), { from: range.from, to: range.to, limit: RELATED_SCAN_LIMIT, sort: 'timestamp', order: 'desc' }).items;

/**
 * The rule (as loaded now) and the guide model, with the evidence kinds of each step, of the
 * rule version that raised the alert (cached per version).
 */
export function ruleGuide(alert: Pick<Alert, 'ruleId' | 'ruleVersion'>): VersionedGuide {
  return guideOfVersion(alert.ruleId, alert.ruleVersion);
}

export async function triageEvidence(alert: Alert, options: TriageOptions = {}): Promise<TriageEvidence> {
  return assembleTriage(alert, {
    source: evidenceSource(),
    guide: ruleGuide(alert).guide?.guide ?? null,
    listAlerts: listAlertsIn,
    options,
  });
}

/** The other children of the subject process's parent (the tree's "siblings on demand"). */
export async function siblingsOfAlert(alert: Alert, size = 50): Promise<{ items: ProcessNode[]; truncated: boolean; cut: TreeCut | null }> {
  const source = evidenceSource();
  const tree = await buildProcessTree(source, alert.event, alert.timestamp, { maxDepth: 0, prevalence: false });
  return processSiblings(source, tree, { size });
}
