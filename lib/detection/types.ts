/**
 * Alert and rule-run records: defined once in lib/domain (zod first), re-exported here for the
 * detection code that has always imported them from this module.
 */
export type { Alert, AlertStatus, MitreTechnique, Severity, Verdict } from '../domain/alert';
export type { RuleRun } from '../domain/rule-run';
