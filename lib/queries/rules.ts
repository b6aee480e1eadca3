import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  backfillResponseSchema,
  exceptionCreateResponseSchema,
  exceptionListResponseSchema,
  ruleListItemSchema,
  ruleListResponseSchema,
  ruleReloadResponseSchema,
  ruleRunSchema,
  ruleDetailSchema,
  ruleImportReportSchema,
  rulesBulkResponseSchema,
  type BackfillRequest,
  type RuleImportReport,
  type RulesBulk,
  type ExceptionCreateInput,
  type RulePost,
} from '@/lib/contracts/rules';
import { ApiError, fetchJson } from './fetch-json';
import { apiErrorBodySchema } from '@/lib/contracts/errors';

const ruleUrl = (ruleId: string, tail = '') => `/api/rules/${encodeURIComponent(ruleId)}${tail}`;

export function rulesListQuery() {
  return queryOptions({
    queryKey: ['rules', 'list'],
    // the server answers 304 while the list is unchanged; the browser hands back the kept body
    queryFn: ({ signal }) => fetchJson('/api/rules', ruleListResponseSchema, { signal, cache: 'no-cache' }),
    refetchInterval: 15_000,
  });
}

export function ruleExceptionsQuery(ruleId: string) {
  return queryOptions({
    queryKey: ['rules', 'exceptions', ruleId],
    queryFn: ({ signal }) => fetchJson(ruleUrl(ruleId, '/exceptions'), exceptionListResponseSchema, { signal }),
  });
}

/** The rule's latest backfill; polled every second while it runs. */
export function backfillProgressQuery(ruleId: string) {
  return queryOptions({
    queryKey: ['rules', 'backfill', ruleId],
    queryFn: ({ signal }) => fetchJson(ruleUrl(ruleId, '/backfill'), backfillResponseSchema, { signal }),
    refetchInterval: (q) => (q.state.data?.backfill?.status === 'running' ? 1_000 : false),
  });
}

export function setRuleEnabled(body: RulePost) {
  return fetchJson('/api/rules', z.object({ rule: ruleListItemSchema }), { method: 'POST', body });
}

/** Read the rule files again (admins). */
export function reloadRuleFiles() {
  return fetchJson('/api/rules/reload', ruleReloadResponseSchema, { method: 'POST', body: {} });
}

export function runRuleNow(ruleId: string, window?: { from: string; to: string }) {
  return fetchJson(ruleUrl(ruleId, '/run'), z.object({ run: ruleRunSchema }), { method: 'POST', body: window ?? {} });
}

export function startBackfill(ruleId: string, body: BackfillRequest) {
  return fetchJson(ruleUrl(ruleId, '/backfill'), backfillResponseSchema, { method: 'POST', body });
}

export function createException(ruleId: string, body: ExceptionCreateInput) {
  return fetchJson(ruleUrl(ruleId, '/exceptions'), exceptionCreateResponseSchema, { method: 'POST', body });
}

export function deleteException(ruleId: string, exceptionId: string) {
  return fetchJson(
    ruleUrl(ruleId, `/exceptions?exceptionId=${encodeURIComponent(exceptionId)}`),
    z.object({ deleted: z.boolean() }),
    { method: 'DELETE' },
  );
}

/** The rule page: query, guide, setup, MITRE, references, index matches, versions, exceptions, runs. */
export function ruleDetailQuery(ruleId: string) {
  return queryOptions({
    queryKey: ['rules', 'detail', ruleId],
    queryFn: ({ signal }) => fetchJson(ruleUrl(ruleId), ruleDetailSchema, { signal }),
    refetchInterval: 30_000,
  });
}

/** Enable or disable many rules (admins): ids, all, or the rules matching stored indices. */
export function setRulesEnabledBulk(body: RulesBulk) {
  return fetchJson('/api/rules', rulesBulkResponseSchema, { method: 'POST', body });
}

/**
 * Upload an import file (admins) with upload progress (XMLHttpRequest: fetch reports none);
 * answers the import's report.
 */
export function uploadRuleImport(file: File, enable: boolean, onProgress: (sent: number, total: number) => void): Promise<RuleImportReport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/rules/import?name=${encodeURIComponent(file.name)}&enable=${enable ? '1' : '0'}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError('network', 'The server did not answer the upload', 0));
    xhr.onload = () => {
      let json: unknown;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        reject(new ApiError('bad_response', `the import answered ${xhr.status} with a body that is not JSON`, xhr.status));
        return;
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const err = apiErrorBodySchema.safeParse(json);
        reject(err.success ? new ApiError(err.data.error.code, err.data.error.message, xhr.status, null, err.data.error.details ?? null) : new ApiError('http_error', `the import answered ${xhr.status}`, xhr.status));
        return;
      }
      const parsed = ruleImportReportSchema.safeParse(json);
      if (parsed.success) resolve(parsed.data);
      else reject(new ApiError('bad_response', 'the import answered an unexpected shape', xhr.status));
    };
    xhr.send(file);
  });
}
