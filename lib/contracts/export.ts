import { z } from 'zod';
import type { AlertFilter } from '@/lib/domain/alert';
import { alertListQuerySchema, type AlertListQuery } from './alerts';

/** GET /api/alerts/:id/export?format= — one case as Markdown, JSON or a printable HTML report */
export const caseExportQuerySchema = z.object({
  format: z.enum(['markdown', 'json', 'html']).default('markdown'),
  /** '1': as a file download (Content-Disposition: attachment) */
  download: z.enum(['0', '1']).default('0'),
});
export type CaseExportFormat = z.infer<typeof caseExportQuerySchema>['format'];

/**
 * The assignee filter of the queue: `me` (the signed-in user), `none` (unassigned) or a
 * user name. GET /api/alerts and the CSV export both read it.
 */
export const assigneeFilterSchema = z.object({
  assignee: z.string().trim().min(1).max(200).optional(),
});

/** GET /api/alerts/export — the queue (its current filters) as CSV, every page */
export const queueCsvQuerySchema = alertListQuerySchema.omit({ page: true, pageSize: true }).extend(assigneeFilterSchema.shape);

export function caseExportUrl(alertId: string, format: CaseExportFormat, download = false): string {
  return `/api/alerts/${encodeURIComponent(alertId)}/export?format=${format}${download ? '&download=1' : ''}`;
}

/** The alert-store filter for an assignee parameter (undefined: no filter). */
export function assigneeFilter(value: string | undefined, me: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'me') return me;
  if (value === 'none') return null;
  return value;
}

/** The alert-store filter of a queue query (the queue page and its CSV export filter alike). */
export function queueFilter(q: Omit<AlertListQuery, 'page' | 'pageSize'>, assignee: string | null | undefined): AlertFilter {
  return {
    ...(q.status.length ? { status: q.status } : {}),
    // host and user are "contains" filters ("ws-fin" finds ws-fin-01), case-insensitive
    ...(q.host ? { hostContains: q.host } : {}),
    ...(q.user ? { userContains: q.user } : {}),
    ...(q.q ? { text: q.q } : {}),
    ...(q.not_host ? { notHost: q.not_host } : {}),
    ...(q.not_user ? { notUser: q.not_user } : {}),
    ...(q.not_process ? { notProcess: q.not_process } : {}),
    ...(q.not_file ? { notFile: q.not_file } : {}),
    ...(q.verdict ? { verdict: q.verdict } : {}),
    ...(q.rule ? { ruleId: q.rule } : {}),
    ...(assignee !== undefined ? { assignee } : {}),
    sort: q.sort,
    order: q.order,
  };
}
