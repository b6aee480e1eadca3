'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { savedViewsKey, savedViewsQuery, viewMutations } from '@/lib/incidents/queue-queries';
import type { QueueKind } from '@/lib/incidents/queue-contracts';
import { meQuery } from '@/lib/queries/auth';
import { errorMessage } from '@/lib/queries/fetch-json';
import { useT } from '@/components/i18n/use-t';
import styles from './incidents.module.css';

/** the shared default is applied once per page load, when the home page opens with no state of its own */
let sharedDefaultApplied = false;

/**
 * Saved views of the queue: the user's own (named: the view, filters, grouping and sort as the
 * address holds them), opened from a list; a lead or admin may make the current view the
 * shared default, which the home page opens with when its address says nothing.
 */
export function SavedViews({ search, pathname, applySharedDefault }: { search: string; pathname: string; defaultKind: QueueKind; applySharedDefault: boolean }) {
  const t = useT();
  const router = useRouter();
  const client = useQueryClient();
  const me = useQuery(meQuery());
  const views = useQuery(savedViewsQuery());
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState('');
  const ids = { open: useId(), name: useId() };
  const nameRef = useRef<HTMLInputElement>(null);
  const done = () => client.invalidateQueries({ queryKey: savedViewsKey });
  const save = useMutation({ mutationFn: (n: string) => viewMutations.save(n, search), onSuccess: (v) => (setName(''), setChosen(String(v.id)), done()) });
  const remove = useMutation({ mutationFn: (id: number) => viewMutations.remove(id), onSuccess: () => (setChosen(''), done()) });
  const setDefault = useMutation({ mutationFn: (v: { name: string; search: string } | null) => viewMutations.setDefault(v), onSuccess: done });

  const shared = views.data?.shared ?? null;
  useEffect(() => {
    if (!applySharedDefault || sharedDefaultApplied || !views.data) return;
    sharedDefaultApplied = true;
    if (shared && shared.search) router.replace(`${pathname}?${shared.search}`, { scroll: false });
  }, [applySharedDefault, views.data, shared, pathname, router]);

  const own = views.data?.items ?? [];
  const current = own.find((v) => String(v.id) === chosen) ?? null;
  const error = save.error ?? remove.error ?? setDefault.error;
  return (
    <div className={styles.views} data-testid="saved-views">
      <label htmlFor={ids.open} className="small">
        {t('q.views')}
      </label>
      <select
        id={ids.open}
        value={chosen}
        data-testid="saved-view-select"
        onChange={(e) => {
          setChosen(e.target.value);
          const s = e.target.value === 'shared' ? shared?.search : own.find((v) => String(v.id) === e.target.value)?.search;
          if (s !== undefined) router.replace(s ? `${pathname}?${s}` : pathname, { scroll: false });
        }}
      >
        <option value="">—</option>
        {shared ? <option value="shared">{t('q.views.shared', { name: shared.name })}</option> : null}
        {own.map((v) => (
          <option key={v.id} value={String(v.id)}>
            {v.name}
          </option>
        ))}
      </select>
      {current ? (
        <button type="button" onClick={() => remove.mutate(current.id)} disabled={remove.isPending} aria-label={t('q.views.deleteNamed', { name: current.name })}>
          {t('q.views.delete')}
        </button>
      ) : null}
      <form
        className={styles.inline}
        onSubmit={(e) => {
          e.preventDefault();
          const n = name.trim();
          if (n) save.mutate(n);
          else nameRef.current?.focus();
        }}
      >
        <label htmlFor={ids.name} className="small">
          {t('q.views.name')}
        </label>
        <input id={ids.name} ref={nameRef} value={name} onChange={(e) => setName(e.target.value)} maxLength={80} size={14} data-testid="saved-view-name" />
        <button type="submit" disabled={save.isPending || !name.trim()} data-testid="saved-view-save">
          {t('q.views.save')}
        </button>
      </form>
      {me.data?.can.assign ? (
        <>
          <button
            type="button"
            disabled={setDefault.isPending}
            onClick={() => setDefault.mutate({ name: current?.name ?? t('q.views.sharedName'), search })}
            data-testid="saved-view-share"
          >
            {t('q.views.makeShared')}
          </button>
          {shared ? (
            <button type="button" disabled={setDefault.isPending} onClick={() => setDefault.mutate(null)}>
              {t('q.views.clearShared')}
            </button>
          ) : null}
        </>
      ) : null}
      <span role="status" aria-live="polite" className="small muted">
        {save.isSuccess ? t('q.views.saved') : setDefault.isSuccess ? t('q.views.sharedSet') : ''}
      </span>
      {error ? (
        <span className="error-box" role="alert">
          {errorMessage(error)}
        </span>
      ) : null}
    </div>
  );
}
