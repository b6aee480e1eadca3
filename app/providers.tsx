'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError } from '@/lib/queries/fetch-json';
import { meKey } from '@/lib/queries/auth';
import { meResponseSchema } from '@/lib/contracts/auth';

/** `me`: the signed-in user as GET /api/auth/me answers, when the server knew it (checked before use). */
export function Providers({ children, me }: { children: ReactNode; me?: unknown }) {
  const [client] = useState(() => {
    const qc = new QueryClient({
      defaultOptions: {
        queries: {
          staleTime: 5_000,
          refetchOnWindowFocus: true,
          retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
        },
        mutations: { retry: false },
      },
    });
    const seed = meResponseSchema.safeParse(me);
    if (seed.success) qc.setQueryData(meKey, seed.data);
    return qc;
  });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
