import 'server-only';
import type { Alert } from '@/lib/detection/types';
import { getAlertOrThrow } from '@/lib/cases';
import { evidenceSource, failFastWhenStoreBusy } from '@/lib/server/workers/evidence-pool';
import { planInvestigate, runInvestigate } from '@/lib/investigation';
import { findStep } from '@/lib/rules/guide';
import { listAlertsIn, ruleGuide, triageEvidence } from '@/lib/server/triage';
import { AppError } from '@/lib/errors';

function guideOf(alert: Alert) {
  return ruleGuide(alert).guide?.guide ?? null;
}

/** The evidence route's answer: every part of the triage evidence but the planned investigate blocks. */
export async function evidenceOfAlert(alertId: string, relatedHours: number, treeDepth?: number) {
  const alert = getAlertOrThrow(alertId);
  // the event store's reads run in the evidence workers; a locked store ends the request at once (503 store_busy)
  const evidence = await failFastWhenStoreBusy(() => triageEvidence(alert, { relatedHours, ...(treeDepth ? { tree: { maxDepth: treeDepth } } : {}) }));
  const { investigate: _planned, timings: _timings, ...rest } = evidence;
  return rest;
}

/** Runs one `!{investigate}` block of a guide step around the alert's time. */
export async function investigateStep(alertId: string, stepId: string, index: number) {
  const alert = getAlertOrThrow(alertId);
  const guide = guideOf(alert);
  const step = guide ? findStep(guide, stepId) : undefined;
  if (!step) throw new AppError('not_found', `the guide of this alert's rule has no step ${stepId}`);
  const block = step.investigate[index];
  if (!block) throw new AppError('not_found', `step ${stepId} has no investigate block #${index}`);
  const plan = planInvestigate(block, alert.event, alert.timestamp);
  const result = await failFastWhenStoreBusy(() => runInvestigate(plan, { source: evidenceSource(), listAlerts: listAlertsIn }));
  return {
    label: plan.label,
    query: plan.query,
    window: plan.window,
    eventTotal: result.eventTotal,
    eventRelation: result.eventRelation,
    events: result.events,
    alerts: result.alerts.map((a) => ({ id: a.id, ruleName: a.ruleName, timestamp: a.timestamp })),
    count: result.count,
    error: result.error,
    unresolved: plan.unresolved,
    problems: plan.problems,
  };
}
