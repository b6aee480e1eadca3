import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { dashboardResponseSchema, type DashboardPeriod } from '@/lib/contracts/dashboard';
import { fetchJson } from './fetch-json';

export function dashboardQuery(period: DashboardPeriod) {
  return queryOptions({
    queryKey: ['dashboard', period],
    queryFn: ({ signal }) => fetchJson(`/api/dashboard?period=${period}`, dashboardResponseSchema, { signal }),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
}
