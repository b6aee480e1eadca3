/**
 * Case exports: the report model (./case) and its renderings (Markdown, JSON, the printable
 * report), the queue's CSV. What a case holds is gathered by lib/server/case-export.
 */

export * from './case';
export * from './render';
export * from './queue-csv';

export type CaseFormat = 'markdown' | 'json' | 'html';

export const caseFormats: Record<CaseFormat, { contentType: string; extension: string }> = {
  markdown: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
};
