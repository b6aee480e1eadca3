import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  alertListResponseSchema,
  alertSchema,
  noteSchema,
  stepStateSchema,
  type AlertListQueryInput,
  type AlertPatch,
  type NotePost,
  type StepPut,
} from '@/lib/contracts/alerts';
import { alertDetailResponseSchema } from '@/lib/contracts/triage';
import { evidenceResponseSchema, investigateResponseSchema, siblingsResponseSchema, type InvestigateRequest } from '@/lib/contracts/evidence';
import { fetchJson } from './fetch-json';
import { polledListQuery } from './list-url';

export function alertsListQuery(filters: AlertListQueryInput) {
  return polledListQuery('alerts', '/api/alerts', filters, alertListResponseSchema);
}

export function alertDetailQuery(id: string) {
  return queryOptions({
    queryKey: ['alerts', 'detail', id],
    queryFn: ({ signal }) => fetchJson(`/api/alerts/${encodeURIComponent(id)}`, alertDetailResponseSchema, { signal }),
  });
}

export function patchAlert(id: string, patch: AlertPatch) {
  return fetchJson(`/api/alerts/${encodeURIComponent(id)}`, z.object({ alert: alertSchema }), { method: 'PATCH', body: patch });
}

export function putStep(id: string, stepId: string, body: StepPut) {
  return fetchJson(
    `/api/alerts/${encodeURIComponent(id)}/steps/${encodeURIComponent(stepId)}`,
    z.object({ step: stepStateSchema }),
    { method: 'PUT', body },
  );
}

export function postNote(id: string, body: NotePost) {
  return fetchJson(`/api/alerts/${encodeURIComponent(id)}/notes`, z.object({ note: noteSchema }), { method: 'POST', body });
}

export function alertEvidenceQuery(id: string, hours: number, depth = 4) {
  return queryOptions({
    queryKey: ['alerts', 'evidence', id, hours, depth],
    queryFn: ({ signal }) => fetchJson(`/api/alerts/${encodeURIComponent(id)}/evidence?hours=${hours}&depth=${depth}`, evidenceResponseSchema, { signal }),
    staleTime: 60_000,
    placeholderData: (prev) => prev,
  });
}

export function alertSiblingsQuery(id: string, enabled: boolean) {
  return queryOptions({
    queryKey: ['alerts', 'siblings', id],
    queryFn: ({ signal }) => fetchJson(`/api/alerts/${encodeURIComponent(id)}/siblings`, siblingsResponseSchema, { signal }),
    staleTime: 60_000,
    enabled,
  });
}

export function runInvestigate(id: string, body: InvestigateRequest) {
  return fetchJson(`/api/alerts/${encodeURIComponent(id)}/investigate`, investigateResponseSchema, { method: 'POST', body });
}
