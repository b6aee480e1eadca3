/** The queue's requests from the browser: alert groups, one group's alerts, saved views. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { fetchJson } from '../queries/fetch-json';
import { bulkOutcomeSchema, type BulkStatus } from '../contracts/bulk-status';
import {
  alertGroupItemsResponseSchema,
  alertGroupsResponseSchema,
  savedViewSchema,
  savedViewsResponseSchema,
  sharedDefaultSchema,
  type GroupBy,
} from './queue-contracts';

export type QueueParams = Record<string, string | string[] | number | undefined>;

function qs(params: QueueParams): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    p.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return p.toString();
}

/** The flat queue's groups (refreshed every 15 s, as the lists are). */
export function alertGroupsQuery(by: GroupBy, filters: QueueParams) {
  return queryOptions({
    queryKey: ['alerts', 'groups', by, filters],
    queryFn: ({ signal }) => fetchJson(`/api/incidents/alert-groups?${qs({ ...filters, by })}`, alertGroupsResponseSchema, { signal }),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
}

export function alertGroupItemsUrl(by: GroupBy, key: string, filters: QueueParams, page: number, pageSize: number): string {
  return `/api/incidents/alert-groups/items?${qs({ ...filters, by, key, page, pageSize })}`;
}

export function alertGroupItemsQuery(by: GroupBy, key: string, filters: QueueParams, page: number, pageSize: number) {
  return queryOptions({
    queryKey: ['alerts', 'group-items', by, key, filters, page, pageSize],
    queryFn: ({ signal }) => fetchJson(alertGroupItemsUrl(by, key, filters, page, pageSize), alertGroupItemsResponseSchema, { signal }),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
}

/** Every alert of a group (for a bulk action), a page of 500 at a time, at most `cap`. */
export async function fetchWholeGroup(by: GroupBy, key: string, filters: QueueParams, cap = 5000) {
  const items: z.infer<typeof alertGroupItemsResponseSchema>['items'] = [];
  for (let page = 1; items.length < cap; page++) {
    const res = await fetchJson(alertGroupItemsUrl(by, key, filters, page, 500), alertGroupItemsResponseSchema);
    items.push(...res.items);
    if (res.items.length < 500 || items.length >= res.total) break;
  }
  return items.slice(0, cap);
}

/**
 * The queue's bulk actions, each one request for up to 500 alerts (components/auth/bulk-assign
 * sends a larger selection in several): the server applies every alert's own rules.
 */
export const bulkRequests = {
  status: (items: BulkStatus['items'], change: Omit<BulkStatus, 'items'>) =>
    fetchJson('/api/alerts/status', bulkOutcomeSchema, { method: 'POST', body: { items, ...change } }),
  assign: (items: BulkStatus['items'], assignee: string | null) => fetchJson('/api/alerts/assign', bulkOutcomeSchema, { method: 'POST', body: { items, assignee } }),
};

export const savedViewsKey = ['queue', 'views'] as const;

export function savedViewsQuery() {
  return queryOptions({
    queryKey: savedViewsKey,
    queryFn: ({ signal }) => fetchJson('/api/incidents/views', savedViewsResponseSchema, { signal }),
    staleTime: 30_000,
  });
}

export const viewMutations = {
  save: (name: string, search: string) => fetchJson('/api/incidents/views', savedViewSchema, { method: 'POST', body: { name, search } }),
  remove: (id: number) => fetchJson(`/api/incidents/views/${id}`, z.object({ deleted: savedViewSchema }), { method: 'DELETE' }),
  setDefault: (view: { name: string; search: string } | null) =>
    fetchJson('/api/incidents/views/default', z.object({ shared: sharedDefaultSchema.nullable() }), { method: 'PUT', body: { view } }),
};
