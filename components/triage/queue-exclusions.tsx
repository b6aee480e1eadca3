'use client';

import { useT } from '@/components/i18n/use-t';
import type { MessageKey } from '@/lib/i18n';

/** The queue's filter-out parameters (the triage page's "exclude" pivots on the source event's fields). */
export const QUEUE_EXCLUDE_KEYS = ['not_host', 'not_user', 'not_process', 'not_file'] as const;
export type QueueExcludeKey = (typeof QUEUE_EXCLUDE_KEYS)[number];
export type QueueExclude = Partial<Record<QueueExcludeKey, string>>;

const whatKeys: Record<QueueExcludeKey, MessageKey> = {
  not_host: 'queue.excluding.host',
  not_user: 'queue.excluding.user',
  not_process: 'queue.excluding.process',
  not_file: 'queue.excluding.file',
};

/** The filter-out values an address names (`{}` when none), cut to 512 characters as the other filters. */
export function excludeOfSearch(sp: URLSearchParams): { exclude?: QueueExclude } {
  const exclude: QueueExclude = {};
  for (const key of QUEUE_EXCLUDE_KEYS) {
    const v = (sp.get(key) ?? '').trim().slice(0, 512);
    if (v) exclude[key] = v;
  }
  return Object.keys(exclude).length ? { exclude } : {};
}

/** The active exclusions, each with a button that removes it. */
export function QueueExclusions({ exclude, go }: { exclude: QueueExclude; go: (patch: { exclude?: QueueExclude }) => void }) {
  const t = useT();
  const active = QUEUE_EXCLUDE_KEYS.flatMap((k) => (exclude[k] ? [[k, exclude[k]] as const] : []));
  return (
    <ul className="toolbar small" aria-label={t('queue.excluding.label')} data-testid="queue-exclusions" style={{ listStyle: 'none', paddingLeft: 0 }}>
      {active.map(([key, value]) => (
        <li key={key} className="chip" data-testid="queue-exclusion">
          {t('queue.excluding', { what: t(whatKeys[key]), value })}{' '}
          <button
            type="button"
            className="link"
            style={{ minWidth: 24, minHeight: 24 }}
            aria-label={t('queue.excluding.remove', { value })}
            onClick={() => {
              const next: QueueExclude = { ...exclude };
              delete next[key];
              go({ exclude: Object.keys(next).length ? next : undefined });
            }}
          >
            ✕
          </button>
        </li>
      ))}
    </ul>
  );
}
