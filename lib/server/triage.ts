/**
 * The triage evidence of one alert, as the evidence API, the triage page and the case
 * export all need it: the alert's rule guide, the event source in use, and the alert
 * store for related alerts. One place, so every consumer shows the same evidence.
 */
import type { Alert } from '../detection/types';
import { getRule } from '../detection/rules';
import { getEventSource } from '../events';
import { assembleTriage, type TriageEvidence, type TriageOptions } from '../investigation/triage';
import { buildGuide, type Guide } from '../rules/guide';
import { listAlerts } from '../store/alerts';

/** Alerts of the related-alerts window looked at (newest first); the view says when it is cut. */
const RELATED_SCAN_LIMIT = 1000;

export function guideOfRule(ruleId: string): Guide | null {
  const rule = getRule(ruleId);
  return rule?.note ? buildGuide(rule.note) : null;
}

export async function triageEvidence(alert: Alert, options: TriageOptions = {}): Promise<TriageEvidence> {
  return assembleTriage(alert, {
    source: getEventSource(),
    guide: guideOfRule(alert.ruleId),
    listAlerts: async (range) => listAlerts({ from: range.from, to: range.to, limit: RELATED_SCAN_LIMIT, sort: 'timestamp', order: 'desc' }).items,
    options,
  });
}
