/**
 * Case export entry point: gathers the case, the rule, its guide and the evidence as the
 * triage page shows them, and renders the chosen format.
 */
import { getCase } from '../cases';
import { triageEvidence, ruleGuide } from '../server/triage';
import { buildCaseReport, type CaseReport } from './case';
import { caseToHtml, caseToJson, caseToMarkdown } from './render';
import type { Language } from '../i18n';

export * from './case';
export * from './render';
export * from './queue-csv';

export type CaseFormat = 'markdown' | 'json' | 'html';

export const caseFormats: Record<CaseFormat, { contentType: string; extension: string }> = {
  markdown: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
};

export async function caseReport(alertId: string, exportedBy: string): Promise<CaseReport> {
  const view = getCase(alertId);
  let evidence = null;
  try {
    evidence = await triageEvidence(view.alert);
  } catch {
    evidence = null; // the report says the evidence could not be gathered
  }
  const { rule, guide } = ruleGuide(view.alert);
  return buildCaseReport({ view, rule, guide: guide?.guide ?? null, evidence, exportedBy });
}

/**
 * A case as a file. Markdown and the printable report speak `lang` (the exporting user's
 * interface language); JSON keeps its English keys and values for scripts.
 */
export async function exportCase(
  alertId: string,
  format: CaseFormat,
  exportedBy: string,
  lang: Language = 'en',
): Promise<{ body: string; contentType: string; fileName: string }> {
  const report = await caseReport(alertId, exportedBy);
  const body = format === 'markdown' ? caseToMarkdown(report, lang) : format === 'json' ? caseToJson(report) : caseToHtml(report, lang);
  return { body, contentType: caseFormats[format].contentType, fileName: `case-${alertId.slice(0, 12)}.${caseFormats[format].extension}` };
}
