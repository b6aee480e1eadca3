/**
 * SLA targets of incidents, apart from the alerts' (lib/dashboard/sla): an incident is one
 * investigation of several alerts, so it gets its own time to acknowledge and to close,
 * counted from its first alert. Configurable with GUIDEPOST_INCIDENT_SLA (JSON, minutes), e.g.
 * {"critical":{"acknowledgeMinutes":10,"closeMinutes":480}}; unnamed severities keep defaults.
 */
import type { Severity } from '../detection/types';
import { parseSlaConfig, type SlaConfig } from '../dashboard/sla';

export const defaultIncidentSla: SlaConfig = {
  critical: { acknowledgeMinutes: 15, closeMinutes: 8 * 60 },
  high: { acknowledgeMinutes: 60, closeMinutes: 24 * 60 },
  medium: { acknowledgeMinutes: 4 * 60, closeMinutes: 3 * 24 * 60 },
  low: { acknowledgeMinutes: 24 * 60, closeMinutes: 7 * 24 * 60 },
};

/** Reads GUIDEPOST_INCIDENT_SLA (as parseSlaConfig reads it). */
export function incidentSlaFromEnv(raw = process.env.GUIDEPOST_INCIDENT_SLA): SlaConfig {
  return parseSlaConfig('GUIDEPOST_INCIDENT_SLA', raw, defaultIncidentSla);
}

/** Which targets an incident not closed has missed at `now` (minutes since its first alert). */
export function missedTargets(
  inc: { severity: Severity; firstSeen: string | null; acknowledgedAt: string | null },
  now: Date,
  sla: SlaConfig,
): ('acknowledge' | 'close')[] {
  if (!inc.firstSeen) return [];
  const age = (now.getTime() - Date.parse(inc.firstSeen)) / 60_000;
  const t = sla[inc.severity];
  const missed: ('acknowledge' | 'close')[] = [];
  if (!inc.acknowledgedAt && age > t.acknowledgeMinutes) missed.push('acknowledge');
  if (age > t.closeMinutes) missed.push('close');
  return missed;
}
