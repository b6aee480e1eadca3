import { queryOptions } from '@tanstack/react-query';
import {
  incidentDetailResponseSchema,
  groupingSettingsResponseSchema,
  incidentStatsResponseSchema,
  incidentListResponseSchema,
  incidentMutationResponseSchema,
  incidentStepsResponseSchema,
  incidentTimelineResponseSchema,
  webhookCreateSchema,
  webhookCreatedResponseSchema,
  webhookDeliveriesResponseSchema,
  webhookDeliverySchema,
  webhookListResponseSchema,
  webhookSchema,
  type IncidentListQueryInput,
} from '@/lib/contracts/incidents';
import { z } from 'zod';

export type WebhookCreateInput = z.input<typeof webhookCreateSchema>;
import { fetchJson } from './fetch-json';
import { polledListQuery } from './list-url';

/** The incident queue, refreshed every 15 s. */
export function incidentsListQuery(q: IncidentListQueryInput) {
  return polledListQuery('incidents', '/api/incidents', q, incidentListResponseSchema);
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

// ---------------------------------------------------------------- webhooks (admins)

export function webhooksQuery() {
  return queryOptions({
    queryKey: ['webhooks', 'list'],
    queryFn: ({ signal }) => fetchJson('/api/webhooks', webhookListResponseSchema, { signal }),
  });
}

export function webhookDeliveriesQuery(id: string) {
  return queryOptions({
    queryKey: ['webhooks', 'deliveries', id],
    queryFn: ({ signal }) => fetchJson(`/api/webhooks/${encodeURIComponent(id)}/deliveries`, webhookDeliveriesResponseSchema, { signal }),
    refetchInterval: 15_000,
  });
}

export const webhookMutations = {
  create: (body: WebhookCreateInput) => fetchJson('/api/webhooks', webhookCreatedResponseSchema, { method: 'POST', body }),
  patch: (id: string, body: { enabled?: boolean }) => fetchJson(`/api/webhooks/${encodeURIComponent(id)}`, z.object({ webhook: webhookSchema }), { method: 'PATCH', body }),
  remove: (id: string) => fetchJson(`/api/webhooks/${encodeURIComponent(id)}`, z.object({ deleted: z.string() }), { method: 'DELETE' }),
  test: (id: string) => fetchJson(`/api/webhooks/${encodeURIComponent(id)}/test`, z.object({ delivery: webhookDeliverySchema }), { method: 'POST' }),
};

export function incidentStatsQuery() {
  return queryOptions({
    queryKey: ['incidents', 'stats'],
    queryFn: ({ signal }) => fetchJson('/api/incidents/stats', incidentStatsResponseSchema, { signal }),
    refetchInterval: 30_000,
  });
}

export function groupingSettingsQuery() {
  return queryOptions({
    queryKey: ['incidents', 'settings'],
    queryFn: ({ signal }) => fetchJson('/api/incidents/settings', groupingSettingsResponseSchema, { signal }),
  });
}

export function saveGroupingSettings(body: { windowMinutes: number; keys: string[] }) {
  return fetchJson('/api/incidents/settings', groupingSettingsResponseSchema, { method: 'PUT', body });
}
