import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { fetchJson } from './fetch-json';

/**
 * A list endpoint's URL with its filters as the query string: a list joined by commas, a
 * value as its text; an undefined, null or empty value, or an empty list, is left out (the
 * server's default then applies).
 */
export function listUrl(path: string, filters: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * A queue's list query: the answer at `listUrl(path, filters)` parsed with `schema`, asked
 * again every 15 s, the last answer shown while the next is on its way (no blank page between
 * two filters).
 */
export function polledListQuery<S extends z.ZodType>(kind: string, path: string, filters: Record<string, unknown>, schema: S) {
  return queryOptions({
    queryKey: [kind, 'list', filters],
    queryFn: ({ signal }) => fetchJson(listUrl(path, filters), schema, { signal }),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
}
