import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import {
  incidentDetailResponseSchema,
  incidentListResponseSchema,
  incidentMutationResponseSchema,
  incidentStepsResponseSchema,
  incidentTimelineResponseSchema,
  type IncidentListQueryInput,
} from '@/lib/contracts/incidents';
import { fetchJson } from './fetch-json';

export function incidentsListUrl(q: IncidentListQueryInput): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const qs = params.toString();
  return qs ? `/api/incidents?${qs}` : '/api/incidents';
}

/** The incident queue, refreshed every 15 s. */
export function incidentsListQuery(q: IncidentListQueryInput) {
  return queryOptions({
    queryKey: ['incidents', 'list', q],
    queryFn: ({ signal }) => fetchJson(incidentsListUrl(q), incidentListResponseSchema, { signal }),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
}

export function incidentDetailQuery(id: string) {
  return queryOptions({
    queryKey: ['incidents', 'detail', id],
    queryFn: ({ signal }) => fetchJson(`/api/incidents/${encodeURIComponent(id)}`, incidentDetailResponseSchema, { signal }),
    refetchInterval: 15_000,
  });
}

export function incidentTimelineQuery(id: string) {
  return queryOptions({
    queryKey: ['incidents', 'timeline', id],
    queryFn: ({ signal }) => fetchJson(`/api/incidents/${encodeURIComponent(id)}/timeline`, incidentTimelineResponseSchema, { signal }),
    staleTime: 60_000,
  });
}

const base = (id: string) => `/api/incidents/${encodeURIComponent(id)}`;

export const incidentMutations = {
  patch: (id: string, body: { expectedVersion: number; status?: string; verdict?: string; assignee?: string | null; note?: string }) =>
    fetchJson(base(id), incidentMutationResponseSchema, { method: 'PATCH', body }),
  merge: (id: string, sources: string[], expectedVersion?: number) =>
    fetchJson(`${base(id)}/merge`, incidentMutationResponseSchema, { method: 'POST', body: { sources, expectedVersion } }),
  split: (id: string, alertIds: string[], expectedVersion?: number) =>
    fetchJson(`${base(id)}/split`, incidentMutationResponseSchema, { method: 'POST', body: { alertIds, expectedVersion } }),
  move: (id: string, alertId: string, to: string) => fetchJson(`${base(id)}/move`, incidentMutationResponseSchema, { method: 'POST', body: { alertId, to } }),
  step: (id: string, stepId: string, body: { state: string; owner?: string | null; note?: string | null }) =>
    fetchJson(`${base(id)}/steps/${encodeURIComponent(stepId)}`, incidentStepsResponseSchema, { method: 'PUT', body }),
};
