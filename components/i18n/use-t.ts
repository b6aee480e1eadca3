'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { translate, type Language, type Translate } from '@/lib/i18n';
import { meQuery } from '@/lib/queries/auth';
import { roleValueSchema } from '@/lib/contracts/auth';

/** The signed-in user's language (English before sign-in). */
export function useLanguage(): Language {
  const me = useQuery({ ...meQuery(), enabled: typeof window !== 'undefined' && window.location.pathname !== '/signin' });
  return me.data?.user.language ?? 'en';
}

/** `t(key, vars)` in the user's language. */
export function useT(): Translate {
  const lang = useLanguage();
  return useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
}

/** A role name as the API gives it (a string), in the user's language when it is a known role. */
export function roleLabel(t: Translate, role: string): string {
  const known = roleValueSchema.safeParse(role);
  return known.success ? t(`role.${known.data}`) : role;
}
