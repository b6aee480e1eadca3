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
  type BackfillRequest,
  type ExceptionCreateInput,
  type RulePost,
} from '@/lib/contracts/rules';
import { fetchJson } from './fetch-json';

const ruleUrl = (ruleId: string, tail = '') => `/api/rules/${encodeURIComponent(ruleId)}${tail}`;

export function rulesListQuery() {
  return queryOptions({
    queryKey: ['rules', 'list'],
    queryFn: ({ signal }) => fetchJson('/api/rules', ruleListResponseSchema, { signal }),
    refetchInterval: 10_000,
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
