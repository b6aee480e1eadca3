import { queryOptions } from '@tanstack/react-query';
import { ingestJobListResponseSchema, ingestJobResponseSchema, isIngestRunning, type IngestFormat } from '@/lib/contracts/ingest';
import { fetchJson } from './fetch-json';

export function ingestJobQuery(jobId: string | null) {
  return queryOptions({
    queryKey: ['ingest', 'job', jobId],
    queryFn: ({ signal }) => fetchJson(`/api/ingest?job=${encodeURIComponent(jobId ?? '')}`, ingestJobResponseSchema, { signal }),
    enabled: jobId !== null,
    refetchInterval: (q) => (!q.state.data || isIngestRunning(q.state.data.job) ? 500 : false),
  });
}

/** The ingest jobs the server holds, newest first; polled while one of them runs. */
export function ingestJobsQuery() {
  return queryOptions({
    queryKey: ['ingest', 'jobs'],
    queryFn: ({ signal }) => fetchJson('/api/ingest', ingestJobListResponseSchema, { signal }),
    refetchInterval: (q) => (q.state.data?.items.some(isIngestRunning) ? 1000 : false),
  });
}

/** Sends the file as the request body: the browser streams it, the server streams it to disk. */
export function uploadForIngest(file: File, format: IngestFormat, index: string) {
  const params = new URLSearchParams({ format, name: file.name });
  if (index) params.set('index', index);
  return fetchJson(`/api/ingest?${params}`, ingestJobResponseSchema, { method: 'POST', blob: file });
}
