'use client';

import { useState, type FormEvent } from 'react';
import { signIn } from '@/lib/queries/auth';
import { ApiError } from '@/lib/queries/fetch-json';
import { describeError } from '@/lib/queries/error-text';
import { useT } from '@/components/i18n/use-t';
import type { Translate } from '@/lib/i18n';

/**
 * Where to go after signing in: `next` only when it resolves (as the browser will resolve it)
 * to a page of this very origin, and never back to /signin; otherwise the alert queue.
 * Resolving it is what catches `/%09/evil.com`, `/\\evil.com`, `//evil.com` and the like.
 */
export function safeNext(next: string | null, origin: string = typeof window === 'undefined' ? 'http://localhost' : window.location.origin): string {
  const fallback = '/alerts';
  if (!next || !next.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  if (url.pathname === '/signin' || url.pathname.startsWith('/signin/')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Why signing in failed, in the page's language (other failures worded by their code). */
export function signInError(t: Translate, err: unknown): string {
  if (err instanceof ApiError && err.status === 401) return t('signin.wrong');
  if (err instanceof ApiError && err.status === 429) return err.retryAfter === null ? t('signin.tooManyLater') : t('signin.tooMany', { seconds: err.retryAfter });
  if (err instanceof ApiError && err.status === 0) return t('err.network');
  return describeError(t, err);
}

export function SignInForm({ next }: { next: string | null }) {
  const t = useT();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(name, password);
      window.location.assign(safeNext(next));
    } catch (err) {
      setBusy(false);
      setPassword('');
      setError(signInError(t, err));
    }
  }

  return (
    <form className="signin-form" onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined} noValidate>
      <h1>{t('signin.title')}</h1>
      <div className="field">
        <label htmlFor="signin-name">{t('signin.name')}</label>
        <input id="signin-name" name="username" autoComplete="username" required autoFocus value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="signin-password">{t('signin.password')}</label>
        <input
          id="signin-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      {error ? (
        <p id="signin-error" role="alert" className="error-text" data-testid="signin-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button primary" disabled={busy || !name || !password}>
        {busy ? t('signin.busy') : t('signin.submit')}
      </button>
      <p className="muted">{t('signin.firstStart')}</p>
    </form>
  );
}
