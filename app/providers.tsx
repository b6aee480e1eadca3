'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError } from '@/lib/queries/fetch-json';
import { meKey } from '@/lib/queries/auth';
import { meResponseSchema } from '@/lib/contracts/auth';
import { FirstMessages, GuestLanguage } from '@/components/i18n/use-t';
import type { Language, Messages } from '@/lib/i18n';

/**
 * `messages`: the first language's texts; `me`: the signed-in user as GET /api/auth/me answers, when the server knew it (checked before
 * use); `guestLanguage`: the language of the pages before sign-in (the browser's).
 */
export function Providers({
  children,
  me,
  guestLanguage = 'en',
  messages,
}: {
  children: ReactNode;
  me?: unknown;
  guestLanguage?: Language;
  /** the texts of the page's first language (the root layout sends only that one) */
  messages: { language: Language; messages: Messages };
}) {
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
  return (
    <GuestLanguage.Provider value={guestLanguage}>
      <FirstMessages.Provider value={messages}>
        <QueryClientProvider client={client}>{children}</QueryClientProvider>
      </FirstMessages.Provider>
    </GuestLanguage.Provider>
  );
}
