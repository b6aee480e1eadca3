'use client';

import { useQuery } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import { translateWith, type Language, type Messages, type Translate } from '@/lib/i18n';
import { loadMessages } from '@/lib/i18n/load';
import { describeError } from '@/lib/queries/error-text';
import { meQuery } from '@/lib/queries/auth';
import { roleValueSchema } from '@/lib/contracts/auth';

/** The language before sign-in: the browser's (Accept-Language, read by the root layout). */
export const GuestLanguage = createContext<Language>('en');

/** The texts the root layout sent with the page, and their language. */
export const FirstMessages = createContext<{ language: Language; messages: Messages }>({ language: 'en', messages: {} });

/**
 * A language's texts: the ones sent with the page when it is their language, else loaded (its
 * own chunk) — until then the page keeps speaking the language it had.
 */
function useMessages(lang: Language): { language: Language; messages: Messages } {
  const first = useContext(FirstMessages);
  const loaded = useQuery({
    queryKey: ['i18n-messages', lang],
    queryFn: () => loadMessages(lang),
    enabled: lang !== first.language,
    staleTime: Infinity,
    gcTime: Infinity,
  });
  if (lang === first.language) return first;
  return loaded.data ? { language: lang, messages: loaded.data } : first;
}

/** The signed-in user's language (the browser's before sign-in). */
export function useLanguage(): Language {
  const guest = useContext(GuestLanguage);
  const me = useQuery({ ...meQuery(), enabled: typeof window !== 'undefined' && window.location.pathname !== '/signin' });
  return me.data?.user.language ?? guest;
}

/** `t(key, vars)` in the user's language. */
export function useT(): Translate {
  const { language, messages } = useMessages(useLanguage());
  return useCallback<Translate>((key, vars) => translateWith(language, messages, {}, key, vars), [language, messages]);
}

/** A role name as the API gives it (a string), in the user's language when it is a known role. */
export function roleLabel(t: Translate, role: string): string {
  const known = roleValueSchema.safeParse(role);
  return known.success ? t(`role.${known.data}`) : role;
}

/** An error as the user reads it, worded by its code in `t`'s language (lib/queries/error-text). */
export function errorText(t: Translate, lang: Language, err: unknown): string {
  return describeError(t, err);
}

/** `errorText` in the signed-in user's language. */
export function useErrorText(): (err: unknown) => string {
  const t = useT();
  const lang = useLanguage();
  return useCallback((err: unknown) => errorText(t, lang, err), [t, lang]);
}
