'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { meKey, meQuery, setLanguage, signOut } from '@/lib/queries/auth';
import { ApiError } from '@/lib/queries/fetch-json';
import { describeError } from '@/lib/queries/error-text';
import { isLanguage } from '@/lib/i18n';
import { useT } from '@/components/i18n/use-t';

/** The sign-in page's address, keeping the page the browser was on. */
function signInUrl(pathname: string): string {
  const next = `${pathname}${window.location.search}`;
  return `/signin${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`;
}

/** The header's user corner: name and role, language switch, sign-out. */
export function UserMenu() {
  const pathname = usePathname();
  const router = useRouter();
  const onSignIn = pathname === '/signin';
  const me = useQuery({ ...meQuery(), enabled: !onSignIn });
  const client = useQueryClient();
  const t = useT();
  const unauthorized = me.error instanceof ApiError && me.error.status === 401;

  useEffect(() => {
    if (unauthorized && !onSignIn) router.replace(signInUrl(pathname));
  }, [unauthorized, onSignIn, pathname, router]);

  const language = useMutation({
    mutationFn: setLanguage,
    onSuccess: (data) => client.setQueryData(meKey, data),
  });
  const out = useMutation({
    mutationFn: signOut,
    onSettled: () => {
      client.clear();
      router.replace('/signin');
    },
  });

  if (onSignIn || !me.data) return null;
  const { user } = me.data;
  return (
    <div className="user-menu" data-testid="user-menu">
      <span data-testid="signed-in-as">{t('user.signedInAs', { name: user.name, role: t(`role.${user.role}`) })}</span>
      <label className="user-language">
        <span className="sr-only">{t('user.language')}</span>
        <select
          aria-label={t('user.language')}
          value={user.language}
          disabled={language.isPending}
          onChange={(e) => {
            if (isLanguage(e.target.value)) language.mutate(e.target.value);
          }}
        >
          <option value="en">English</option>
          <option value="zh">简体中文</option>
        </select>
      </label>
      <button type="button" className="button" onClick={() => out.mutate()} disabled={out.isPending}>
        {t('user.signOut')}
      </button>
      {language.isError ? <span role="alert">{describeError(t, language.error)}</span> : null}
    </div>
  );
}
