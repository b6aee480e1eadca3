import type { Alert } from '../detection/types';
import { flattenSteps, type GuideStep } from '../rules/guide';
import { guideOfVersion } from './guide';
import { CaseError } from './errors';

/**
 * The guide step `stepId` of the alert's guide (the rule version that raised it), or a
 * CaseError 'not_found': a made-up id is never stored.
 */
export function guideStepOrThrow(alert: Pick<Alert, 'id' | 'ruleId' | 'ruleVersion'>, stepId: string): GuideStep {
  const step = guideStepsOf(alert.ruleId, alert.ruleVersion).find((s) => s.id === stepId);
  if (!step) throw new CaseError('not_found', `step ${stepId} is not a step of the guide of alert ${alert.id}`);
  return step;
}

/**
 * The guide steps of a rule (all sections), from the guide model of `version` (the alert's
 * rule version; default: the rule as loaded now); [] when there is no guide.
 */
export function guideStepsOf(ruleId: string, version?: number): GuideStep[] {
  const cached = guideOfVersion(ruleId, version).guide;
  if (!cached) return [];
  let steps = flatSteps.get(cached.guide);
  if (!steps) {
    steps = flattenSteps(cached.guide);
    flatSteps.set(cached.guide, steps);
  }
  return steps;
}
const flatSteps = new WeakMap<object, GuideStep[]>();
