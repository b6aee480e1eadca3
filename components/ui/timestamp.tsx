'use client';

import { useSyncExternalStore } from 'react';
import { useLanguage, useT } from '@/components/i18n/use-t';

export interface TimestampProps {
  iso: string | null | undefined;
  className?: string;
}

const subscribe = () => () => {};

/** UTC ISO-8601 as text; the local time on hover (computed only in the browser). */
export function Timestamp({ iso, className }: TimestampProps) {
  const t = useT();
  const lang = useLanguage();
  const local = useSyncExternalStore(
    subscribe,
    () => (iso ? formatLocal(iso, lang === 'zh' ? 'zh-CN' : undefined) : ''),
    () => '',
  );
  if (!iso) return <span className={className}>—</span>;
  return (
    <time dateTime={iso} title={local ? t('time.local', { time: local }) : undefined} className={className ?? 'mono'}>
      {formatUtc(iso)}
    </time>
  );
}

export function formatUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('.000Z', 'Z');
}

/** The local time in the browser's time zone; written the user's way (Chinese users: zh-CN, others: the browser's locale). */
function formatLocal(iso: string, locale: string | undefined): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}
