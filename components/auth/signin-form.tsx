'use client';

import { useState, type FormEvent } from 'react';
import { signIn } from '@/lib/queries/auth';
import { ApiError, errorMessage } from '@/lib/queries/fetch-json';
import { useT } from '@/components/i18n/use-t';
import type { Translate } from '@/lib/i18n';

/** Only a path of this site (never another origin) is followed after signing in. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/signin')) return '/alerts';
  return next;
}

/** Why signing in failed, in the page's language (other failures as the server or the browser said). */
export function signInError(t: Translate, err: unknown): string {
  if (err instanceof ApiError && err.status === 401) return t('signin.wrong');
  if (err instanceof ApiError && err.status === 429) return err.retryAfter === null ? t('signin.tooManyLater') : t('signin.tooMany', { seconds: err.retryAfter });
  if (err instanceof ApiError && err.status === 0) return t('err.network');
  return errorMessage(err);
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
