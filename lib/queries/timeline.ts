import { queryOptions } from '@tanstack/react-query';
import { timelineResponseSchema } from '@/lib/contracts/timeline';
import { fetchJson } from './fetch-json';

export function alertTimelineQuery(id: string, seconds: number, depth: number) {
  return queryOptions({
    queryKey: ['alerts', 'timeline', id, seconds, depth],
    queryFn: ({ signal }) => fetchJson(`/api/alerts/${encodeURIComponent(id)}/timeline?seconds=${seconds}&depth=${depth}`, timelineResponseSchema, { signal }),
    staleTime: 60_000,
    placeholderData: (prev) => prev,
  });
}
