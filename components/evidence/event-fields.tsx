'use client';

import { useState } from 'react';
import Link from 'next/link';
import type { EqlEventValue } from '@/lib/contracts/alerts';
import { CopyButton } from '@/components/ui/copy-button';
import { useT } from '@/components/i18n/use-t';

/** The most fields listed (a larger event is still whole in the JSON below). */
const MAX_FIELDS = 400;

/** Every field with a value, by its dotted path, arrays of scalars as one list; in path order. */
export function eventFields(source: unknown): { field: string; values: string[] }[] {
  const out = new Map<string, string[]>();
  const walk = (v: unknown, path: string, depth: number) => {
    if (v === null || v === undefined || depth > 32) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, path, depth + 1);
      return;
    }
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, path ? `${path}.${k}` : k, depth + 1);
      return;
    }
    const list = out.get(path) ?? [];
    list.push(String(v));
    out.set(path, list);
  };
  walk(source, '', 0);
  return [...out.entries()].map(([field, values]) => ({ field, values })).sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/** Where a value pivots to: the queue filtered on it (host and user by field, the rest by free text). */
export function pivotHref(field: string, value: string): string | null {
  if (value.length > 200) return null;
  if (field === 'host.name' || field === 'host.hostname') return `/alerts?${new URLSearchParams({ host: value, status: 'open,acknowledged,closed' })}`;
  if (field === 'user.name') return `/alerts?${new URLSearchParams({ user: value, status: 'open,acknowledged,closed' })}`;
  if (/^(process\.(name|executable)|file\.(path|name)|process\.parent\.(name|executable))$/.test(field)) return `/alerts?${new URLSearchParams({ q: value, status: 'open,acknowledged,closed' })}`;
  return null;
}

/** The queue parameter that leaves out alerts with a field's value (filter-out), by event field. */
const EXCLUDE_PARAM: Record<string, string> = {
  'host.name': 'not_host',
  'host.hostname': 'not_host',
  'user.name': 'not_user',
  'process.name': 'not_process',
  'file.path': 'not_file',
};

/** Where a value pivots out to: the queue without the alerts of that host, user, process name or file path (exact, any case). */
export function pivotOutHref(field: string, value: string): string | null {
  const param = EXCLUDE_PARAM[field];
  if (!param || value.length > 200 || value.trim() === '') return null;
  return `/alerts?${new URLSearchParams({ [param]: value, status: 'open,acknowledged,closed' })}`;
}

/** The source event as a table of fields: each value copies, and the entity fields open the queue filtered on them. */
export function EventFields({ event }: { event: EqlEventValue }) {
  const t = useT();
  // the rows are built when the table is opened: closed, the page holds no second copy of every value
  const [open, setOpen] = useState(false);
  const fields = eventFields(event._source);
  const shown = fields.slice(0, MAX_FIELDS);
  return (
    <details className="group" data-testid="event-fields" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('fields.title', { count: fields.length })}</summary>
      {open ? (
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('fields.field')}</th>
            <th scope="col">{t('fields.value')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map(({ field, values }) => {
            const value = values.join(', ');
            const href = values.length === 1 ? pivotHref(field, values[0]!) : null;
            const outHref = values.length === 1 ? pivotOutHref(field, values[0]!) : null;
            return (
              <tr key={field} data-testid="event-field">
                <th scope="row" className="mono">
                  {field}
                </th>
                <td className="mono">
                  <div className="copy-row">
                    <span>{value}</span>
                    <CopyButton text={value} label={t('fields.copy', { field })} compact />
                    {href ? (
                      <Link href={href} aria-label={t('fields.pivot', { field, value })}>
                        {t('fields.pivotShort')}
                      </Link>
                    ) : null}
                    {outHref ? (
                      <Link href={outHref} aria-label={t('fields.pivotOut', { field, value })} data-testid="pivot-out">
                        {t('fields.pivotOutShort')}
                      </Link>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      ) : null}
      {open && fields.length > shown.length ? <p className="small muted">{t('fields.more', { count: fields.length - shown.length })}</p> : null}
    </details>
  );
}
