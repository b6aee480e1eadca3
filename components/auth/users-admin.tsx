'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { roleValues, type ApiTokenView } from '@/lib/contracts/auth';
import { allTokensQuery, createToken, createUser, patchUser, revokeToken, tokensKey, usersKey, usersQuery } from '@/lib/queries/auth';
import { useErrorText, useT } from '@/components/i18n/use-t';
import { Timestamp } from '@/components/ui/timestamp';
import { ChoiceSelect } from '@/components/ui/choice-select';

const EXPIRY_DAYS = [7, 30, 90, 180, 366] as const;

type Secret = { what: string; value: string };
/** how the page's actions report: a refusal in words (or null to clear it) */
type Report = (err: unknown) => void;

/**
 * One admin action: its mutation clears the page's error when it succeeds and reports the refusal
 * (worded by its code) when it fails. Adding a user and creating a token both go through here.
 */
function useAdminAction<T, V = void>(run: (v: V) => Promise<T>, report: Report, done: (result: T) => void) {
  return useMutation({
    mutationFn: run,
    onSuccess: (result) => {
      report(null);
      done(result);
    },
    onError: report,
  });
}

/** A row of fields sent as one action, with its submit button (adding a user, creating a token). */
function ActionForm({ label, submit, busy, ready, onSubmit, children }: { label: string; submit: string; busy: boolean; ready: boolean; onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      style={{ display: 'flex', gap: '0.6rem', alignItems: 'flex-end', flexWrap: 'wrap', margin: '0.8rem 0' }}
      aria-label={label}
    >
      {children}
      <button type="submit" className="button" disabled={busy || !ready}>
        {submit}
      </button>
    </form>
  );
}

/** Admin: list, add, change role, disable/enable, reset password; API tokens (create, list, revoke). Secrets are shown once. */
export function UsersAdmin() {
  const t = useT();
  const errorText = useErrorText();
  const client = useQueryClient();
  const users = useQuery(usersQuery());
  const [secret, setSecret] = useState<Secret | null>(null);
  const [error, setError] = useState<string | null>(null);
  const report: Report = (err) => setError(err === null ? null : errorText(err));
  // a password reset or disabling also revokes the user's API tokens
  const refresh = () => {
    void client.invalidateQueries({ queryKey: usersKey });
    void client.invalidateQueries({ queryKey: tokensKey });
  };

  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof roleValues)[number]>('analyst');
  const [password, setPassword] = useState('');
  const add = useAdminAction(() => createUser({ name, role, ...(password ? { password } : {}) }), report, (res) => {
    setName('');
    setPassword('');
    setSecret(res.password ? { what: `${res.user.name}: password`, value: res.password } : null);
    refresh();
  });
  const patch = useAdminAction((v: { name: string; body: { role?: string; disabled?: boolean; password?: string } }) => patchUser(v.name, v.body), report, refresh);

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
      <ActionForm label={t('users.add')} submit={t('users.add')} busy={add.isPending} ready={name !== ''} onSubmit={() => add.mutate()}>
        <label className="field">
          <span>{t('users.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
        </label>
        <label className="field">
          <span>{t('users.role')}</span>
          <ChoiceSelect options={roleValues} value={role} onChange={setRole} label={(r) => r} />
        </label>
        <label className="field">
          <span>{t('users.passwordOptional')}</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
      </ActionForm>
      {users.isError ? <p role="alert">{errorText(users.error)}</p> : null}
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
                <ChoiceSelect
                  aria-label={`${t('users.role')}: ${u.name}`}
                  options={roleValues}
                  value={u.role}
                  disabled={patch.isPending}
                  onChange={(role) => patch.mutate({ name: u.name, body: { role } })}
                  label={(r) => r}
                />
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
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ApiTokens users={users.data?.items.filter((u) => !u.disabled).map((u) => u.name) ?? []} onSecret={setSecret} report={report} />
    </div>
  );
}

function ApiTokens({ users, onSecret, report }: { users: string[]; onSecret: (s: Secret) => void; report: Report }) {
  const t = useT();
  const errorText = useErrorText();
  const client = useQueryClient();
  const tokens = useQuery(allTokensQuery());
  const [user, setUser] = useState('');
  const [label, setLabel] = useState('');
  const [days, setDays] = useState<(typeof EXPIRY_DAYS)[number]>(90);
  const [readOnly, setReadOnly] = useState(false);
  const owner = user || users[0] || '';
  const refresh = () => void client.invalidateQueries({ queryKey: tokensKey });
  const create = useAdminAction(() => createToken({ user: owner, label, expiresInDays: days, scope: readOnly ? 'read' : 'full' }), report, (res) => {
    setLabel('');
    onSecret({ what: `${owner}: API token "${res.label}"`, value: res.token });
    refresh();
  });
  const revoke = useAdminAction((id: number) => revokeToken(id), report, refresh);
  const state = (tk: ApiTokenView) => (tk.revokedAt ? t('users.tokenRevoked') : tk.active ? t('users.tokenActive') : t('users.tokenExpired'));

  return (
    <section aria-labelledby="api-tokens-title" data-testid="api-tokens" style={{ marginTop: '1.5rem' }}>
      <h2 id="api-tokens-title">{t('users.tokens')}</h2>
      <ActionForm label={t('users.newToken')} submit={t('users.tokenCreate')} busy={create.isPending} ready={label.trim() !== '' && owner !== ''} onSubmit={() => create.mutate()}>
        <label className="field">
          <span>{t('users.tokenUser')}</span>
          <select value={owner} onChange={(e) => setUser(e.target.value)}>
            {users.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('users.tokenName')}</span>
          <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={100} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t('users.tokenExpiresIn')}</span>
          <ChoiceSelect options={EXPIRY_DAYS} value={days} onChange={setDays} label={(d) => t('users.tokenDays', { days: d })} />
        </label>
        <label style={{ display: 'flex', gap: '0.3rem', alignItems: 'center' }}>
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
          <span>{t('users.tokenReadOnly')}</span>
        </label>
      </ActionForm>
      {tokens.isError ? <p role="alert">{errorText(tokens.error)}</p> : null}
      {tokens.data && tokens.data.items.length === 0 ? <p className="muted">{t('users.noTokens')}</p> : null}
      {tokens.data && tokens.data.items.length > 0 ? (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('users.tokenName')}</th>
              <th scope="col">{t('users.tokenUser')}</th>
              <th scope="col">{t('users.tokenScope')}</th>
              <th scope="col">{t('users.created')}</th>
              <th scope="col">{t('users.tokenExpires')}</th>
              <th scope="col">{t('users.tokenLastUsed')}</th>
              <th scope="col">{t('users.tokenState')}</th>
              <th scope="col">
                <span className="sr-only">{t('users.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((tk) => (
              <tr key={tk.id} data-token-id={tk.id}>
                <th scope="row">{tk.label}</th>
                <td>{tk.user}</td>
                <td>{tk.scope === 'read' ? t('users.tokenScope.read') : t('users.tokenScope.full')}</td>
                <td>
                  <Timestamp iso={tk.createdAt} />
                </td>
                <td>{tk.expiresAt ? <Timestamp iso={tk.expiresAt} /> : '—'}</td>
                <td>{tk.lastUsedAt ? <Timestamp iso={tk.lastUsedAt} /> : t('users.tokenNever')}</td>
                <td>{state(tk)}</td>
                <td>
                  {tk.active ? (
                    <button
                      type="button"
                      className="button"
                      aria-label={t('users.tokenRevokeNamed', { label: tk.label, user: tk.user })}
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate(tk.id)}
                    >
                      {t('users.tokenRevoke')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
