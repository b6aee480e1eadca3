import { queryOptions } from '@tanstack/react-query';
import { healthResponseSchema } from '@/lib/contracts/health';
import { fetchJson } from './fetch-json';

export function healthQuery() {
  return queryOptions({
    queryKey: ['health'],
    queryFn: ({ signal }) => fetchJson('/api/health', healthResponseSchema, { signal, acceptStatuses: [503] }),
    refetchInterval: 30_000,
    retry: false,
  });
}
