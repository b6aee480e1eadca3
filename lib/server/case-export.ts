import 'server-only';
/**
 * A case or an incident as a file: gathers the case, the rule, its guide and the evidence as
 * the triage page shows them (lib/server/triage), or the incident with its timeline
 * (lib/incidents/export), and renders the chosen format. The event store is read in the
 * evidence workers (never on the web thread); a locked events.db ends the export at once with
 * 503 store_busy rather than a file silently missing its evidence.
 */
import { getCase } from '@/lib/cases';
import { buildCaseReport, caseFormats, caseToHtml, caseToJson, caseToMarkdown, type CaseFormat, type CaseReport } from '@/lib/export';
import type { Language } from '@/lib/i18n';
import { incidentReport, type IncidentReport } from '@/lib/incidents/export';
import { alertWithExactDigits } from '@/lib/store/alerts';
import { ruleGuide, triageEvidence } from './triage';
import { evidenceSource, failFastWhenStoreBusy, StoreBusyError } from './workers/evidence-pool';

export async function caseReport(alertId: string, exportedBy: string): Promise<CaseReport> {
  const view = getCase(alertId);
  let evidence = null;
  try {
    evidence = await failFastWhenStoreBusy(() => triageEvidence(view.alert));
  } catch (e) {
    if (e instanceof StoreBusyError) throw e; // 503: try again in a moment
    evidence = null; // the report says the evidence could not be gathered
  }
  const { rule, guide } = ruleGuide(view.alert);
  // the event's integers beyond 2^53 as their digits: JSON and Markdown print them as stored
  return buildCaseReport({ view: { ...view, alert: alertWithExactDigits(view.alert) }, rule, guide: guide?.guide ?? null, evidence, exportedBy });
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

/** An incident's export data (GET /api/incidents/:id/export renders it). */
export function incidentExportReport(id: string, exportedBy: string): Promise<IncidentReport> {
  return failFastWhenStoreBusy(() => incidentReport(id, evidenceSource(), exportedBy));
}
