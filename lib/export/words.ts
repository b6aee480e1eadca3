import type { CaseReport, ReportStep } from './case';
import type { Language, MessageKey } from '../i18n';
import { translate } from '../i18n/dictionaries';

/**
 * The report's own words in a language (the exporting user's, as the interface they export
 * from); what comes from events, guides, notes and users stays as it is. The JSON export keeps
 * its English keys and values.
 */
export function wordsIn(lang: Language) {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars);
  return {
    t,
    state: (s: ReportStep['state']) => t(s === 'done' ? 'rep.state.done' : s === 'not_applicable' ? 'rep.state.notApplicable' : 'rep.state.open'),
    verdict: (v: CaseReport['alert']['verdict']) =>
      t(v === 'true_positive' ? 'rep.verdict.truePositive' : v === 'benign_true_positive' ? 'rep.verdict.benignTruePositive' : v === 'false_positive' ? 'rep.verdict.falsePositive' : 'rep.verdict.none'),
    status: (v: string) => (v === 'open' || v === 'acknowledged' || v === 'closed' ? t(`status.${v}`) : v),
    severity: (v: string) => (v === 'low' || v === 'medium' || v === 'high' || v === 'critical' ? t(`severity.${v}`) : v),
  };
}

