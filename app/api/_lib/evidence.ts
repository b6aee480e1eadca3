import 'server-only';
import type { Alert } from '@/lib/detection/types';
import { getAlertOrThrow } from '@/lib/cases';
import { getEventSource } from '@/lib/events';
import { assembleTriage, planInvestigate, runInvestigate, type ListAlerts } from '@/lib/investigation';
import { findStep } from '@/lib/rules/guide';
import { guideOfRule } from './guide';
import { listAlerts } from '@/lib/store/alerts';
import { RouteError } from './route';

/** The alert store's listing over a time range, as lib/investigation asks for it. */
const listAlertsIn: ListAlerts = async (range) => listAlerts({ from: range.from, to: range.to, limit: 1000, sort: 'timestamp', order: 'desc' }).items;

function guideOf(alert: Alert) {
  return guideOfRule(alert.ruleId).guide;
}

/** Wiring of lib/investigation for the evidence route (alert → source, alert listing, guide). */
export async function evidenceOfAlert(alertId: string, relatedHours: number) {
  const alert = getAlertOrThrow(alertId);
  const evidence = await assembleTriage(alert, { source: getEventSource(), listAlerts: listAlertsIn, guide: guideOf(alert), options: { relatedHours } });
  const { investigate: _planned, timings: _timings, ...rest } = evidence;
  return rest;
}

/** Runs one `!{investigate}` block of a guide step around the alert's time. */
export async function investigateStep(alertId: string, stepId: string, index: number) {
  const alert = getAlertOrThrow(alertId);
  const guide = guideOf(alert);
  const step = guide ? findStep(guide, stepId) : undefined;
  if (!step) throw new RouteError('not_found', `the guide of this alert's rule has no step ${stepId}`);
  const block = step.investigate[index];
  if (!block) throw new RouteError('not_found', `step ${stepId} has no investigate block #${index}`);
  const plan = planInvestigate(block, alert.event, alert.timestamp);
  const result = await runInvestigate(plan, { source: getEventSource(), listAlerts: listAlertsIn });
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
