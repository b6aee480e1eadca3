/**
 * Renderers of a CaseReport (Markdown, printable HTML, JSON) and of the alert queue (CSV).
 * Markdown is built as an mdast tree (./markdown), the printable report by React's static
 * renderer (./report-html): escaping is theirs, by construction.
 */
import type { AlertListItem } from '../store/alerts';
import type { CaseReport } from './case';

export { caseToMarkdown } from './markdown';
export { caseToHtml, PRINT_SCRIPT, PRINT_SCRIPT_CSP_SOURCE, REPORT_CSS } from './report-html';

export function caseToJson(r: CaseReport): string {
  return JSON.stringify(r, null, 2);
}

// ------------------------------------------------------------------ CSV

/** RFC 4180 field; cells that a spreadsheet would run as a formula are prefixed with '. */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const QUEUE_CSV_COLUMNS = [
  'id', 'timestamp', 'severity', 'risk_score', 'rule', 'rule_id', 'host', 'user', 'process', 'file', 'status', 'verdict', 'assignee', 'created_at', 'event_index', 'event_id',
] as const;

/** The CSV's first line (no line break). */
export const QUEUE_CSV_HEADER = QUEUE_CSV_COLUMNS.join(',');

/** One alert of the queue as a CSV line (no line break), in the columns of QUEUE_CSV_COLUMNS. */
export function queueCsvLine(a: AlertListItem): string {
  return [a.id, a.timestamp, a.severity, a.riskScore, a.ruleName, a.ruleId, a.hostName, a.userName, a.processName, a.filePath, a.status, a.verdict, a.assignee, a.createdAt, a.source._index, a.source._id]
    .map(csvCell)
    .join(',');
}

