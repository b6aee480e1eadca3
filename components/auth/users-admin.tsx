'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { roleValues } from '@/lib/contracts/auth';
import { createToken, createUser, patchUser, usersKey, usersQuery } from '@/lib/queries/auth';
import { errorMessage } from '@/lib/queries/fetch-json';
import { useT } from '@/components/i18n/use-t';
import { Timestamp } from '@/components/ui/timestamp';

/** Admin: list, add, change role, disable/enable, reset password, new API token. Secrets are shown once. */
export function UsersAdmin() {
  const t = useT();
  const client = useQueryClient();
  const users = useQuery(usersQuery());
  const [secret, setSecret] = useState<{ what: string; value: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: usersKey });
  const onError = (err: unknown) => setError(errorMessage(err));

  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof roleValues)[number]>('analyst');
  const [password, setPassword] = useState('');
  const add = useMutation({
    mutationFn: () => createUser({ name, role, ...(password ? { password } : {}) }),
    onSuccess: (res) => {
      setError(null);
      setName('');
      setPassword('');
      setSecret(res.password ? { what: `${res.user.name}: password`, value: res.password } : null);
      void refresh();
    },
    onError,
  });
  const patch = useMutation({
    mutationFn: (v: { name: string; body: { role?: string; disabled?: boolean; password?: string } }) => patchUser(v.name, v.body),
    onSuccess: () => {
      setError(null);
      void refresh();
    },
    onError,
  });
  const token = useMutation({
    mutationFn: (v: { name: string; label: string }) => createToken(v.name, v.label),
    onSuccess: (res, v) => {
      setError(null);
      setSecret({ what: `${v.name}: API token "${res.label}"`, value: res.token });
    },
    onError,
  });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    add.mutate();
  }

  return (
    <div data-testid="users-admin">
      <h1>{t('users.title')}</h1>
      {error ? (
        <p role="alert" className="error-text" data-testid="users-error">
          {error}
        </p>
      ) : null}
      {secret ? (
        <p role="status" data-testid="secret">
          {t('users.shownOnce')} <strong>{secret.what}</strong> <code className="mono">{secret.value}</code>
        </p>
      ) : null}
      <form onSubmit={submit} style={{ display: 'flex', gap: '0.6rem', alignItems: 'flex-end', flexWrap: 'wrap', margin: '0.8rem 0' }} aria-label={t('users.add')}>
        <label className="field">
          <span>{t('users.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
        </label>
        <label className="field">
          <span>{t('users.role')}</span>
          <select value={role} onChange={(e) => setRole(roleValues.find((r) => r === e.target.value) ?? 'analyst')}>
            {roleValues.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('users.passwordOptional')}</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
        <button type="submit" className="button" disabled={add.isPending || !name}>
          {t('users.add')}
        </button>
      </form>
      {users.isError ? <p role="alert">{errorMessage(users.error)}</p> : null}
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('users.name')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.status')}</th>
            <th scope="col">{t('users.created')}</th>
            <th scope="col">
              <span className="sr-only">{t('users.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.data?.items.map((u) => (
            <tr key={u.id} data-user={u.name}>
              <th scope="row">{u.name}</th>
              <td>
                <select
                  aria-label={`${t('users.role')}: ${u.name}`}
                  value={u.role}
                  disabled={patch.isPending}
                  onChange={(e) => patch.mutate({ name: u.name, body: { role: e.target.value } })}
                >
                  {roleValues.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td>{u.disabled ? t('users.disabled') : t('users.active')}</td>
              <td>
                <Timestamp iso={u.createdAt} />
              </td>
              <td style={{ display: 'flex', gap: '0.4rem' }}>
                <button type="button" className="button" onClick={() => patch.mutate({ name: u.name, body: { disabled: !u.disabled } })}>
                  {u.disabled ? t('users.enable') : t('users.disable')}
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    const pw = window.prompt(`${t('users.resetPassword')}: ${u.name} (≥ 12)`);
                    if (pw) patch.mutate({ name: u.name, body: { password: pw } });
                  }}
                >
                  {t('users.resetPassword')}
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    const label = window.prompt(`${t('users.newToken')}: ${u.name}`, 'script');
                    if (label) token.mutate({ name: u.name, label });
                  }}
                >
                  {t('users.newToken')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
