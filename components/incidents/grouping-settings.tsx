'use client';

import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { groupingSettingsQuery, saveGroupingSettings } from '@/lib/queries/incidents';
import type { GroupingSettingsResponse } from '@/lib/contracts/incidents';
import { errorText, useLanguage, useT } from '@/components/i18n/use-t';
import { formatUtc } from '@/components/ui/timestamp';
import styles from './incidents.module.css';

const KEYS = ['process', 'host', 'user'] as const;

/** Admins: the grouping's window and keys. */
export function GroupingSettings() {
  const t = useT();
  const q = useQuery(groupingSettingsQuery());
  if (!q.data) return <p role="status">{t('common.loading')}</p>;
  const e = q.data.effective ?? { windowMinutes: 60, keys: [...KEYS] };
  return <SettingsForm key={`${e.windowMinutes}|${e.keys.join(',')}`} initial={e} data={q.data} />;
}

function SettingsForm({ initial, data }: { initial: { windowMinutes: number; keys: string[] }; data: GroupingSettingsResponse }) {
  const t = useT();
  const lang = useLanguage();
  const qc = useQueryClient();
  const [windowMinutes, setWindow] = useState(String(initial.windowMinutes));
  const [keys, setKeys] = useState<string[]>(initial.keys);
  const windowId = useId();
  const save = useMutation({
    mutationFn: () => saveGroupingSettings({ windowMinutes: Number(windowMinutes), keys }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['incidents'] }),
  });
  return (
    <section className={styles.section} aria-labelledby="grouping-settings">
      <h2 id="grouping-settings">{t('set.title')}</h2>
      <form
        className={styles.inline}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label htmlFor={windowId}>{t('set.window')}</label>
        <input id={windowId} type="number" min={1} max={10080} step={1} value={windowMinutes} onChange={(e) => setWindow(e.target.value)} style={{ width: '6rem' }} />
        <fieldset className={styles.inline}>
          <legend>{t('set.keys')}</legend>
          {KEYS.map((k) => (
            <label key={k}>
              <input type="checkbox" checked={keys.includes(k)} onChange={(e) => setKeys((prev) => (e.target.checked ? [...prev, k] : prev.filter((x) => x !== k)))} />{' '}
              {t(`inc.key.${k}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={save.isPending || keys.length === 0}>
          {t('set.save')}
        </button>
      </form>
      {data.saved ? (
        <p className="muted small">{t('set.saved', { who: data.saved.updatedBy, at: formatUtc(data.saved.updatedAt) })}</p>
      ) : (
        <p className="muted small">{t('set.fromEnv')}</p>
      )}
      {data.envError ? <p className="notice">{data.envError}</p> : null}
      {save.error ? (
        <p className="error-box" role="alert">
          {errorText(t, lang, save.error)}
        </p>
      ) : null}
    </section>
  );
}
