'use client';

import { Fragment, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { TIMELINE_RANGES, type TimelineEntryValue } from '@/lib/contracts/timeline';
import { alertTimelineQuery } from '@/lib/queries/timeline';
import { countByKind, filterTimeline, formatOffset, sliceAround, TIMELINE_KINDS, type TimelineKind } from '@/lib/investigation/timeline';
import { Timestamp } from '@/components/ui/timestamp';
import { CopyButton } from '@/components/ui/copy-button';
import { ErrorBox } from '@/components/ui/error-box';
import { useT } from '@/components/i18n/use-t';
import type { MessageKey, Translate } from '@/lib/i18n';
import styles from './timeline.module.css';

/** Entries shown at first on each side of the alert, and added by each "show more". */
const PAGE = 50;

const kindKeys: Record<TimelineKind, MessageKey> = {
  alert: 'tl.kind.alert',
  process: 'tl.kind.process',
  dns: 'tl.kind.dns',
  network: 'tl.kind.network',
  file: 'tl.kind.file',
  registry: 'tl.kind.registry',
  library: 'tl.kind.library',
  logon: 'tl.kind.logon',
  other: 'tl.kind.other',
};
const isKind = (k: string): k is TimelineKind => (TIMELINE_KINDS as readonly string[]).includes(k);
export const timelineKindLabel = (t: Translate, kind: string): string => (isKind(kind) ? t(kindKeys[kind]) : kind);

function rangeLabel(t: Translate, seconds: number): string {
  if (seconds % 3600 === 0) return t('tl.range.h', { n: seconds / 3600 });
  if (seconds % 60 === 0) return t('tl.range.min', { n: seconds / 60 });
  return t('tl.range.s', { n: seconds });
}

const processText = (t: Translate, e: TimelineEntryValue) => (e.processName ? `${e.processName}${e.pid !== null ? ` (${e.pid})` : ''}` : e.entityId ? e.entityId : t('tl.noProcess'));

export interface TimelineViewProps {
  alertId: string;
  /** generations of the process tree shown (its processes' events are read) */
  depth: number;
  /** names of the tree's processes, by entity id, for the process filter */
  processes: { entityId: string; label: string }[];
  /** when the process tree is on the page: select and focus a process in it */
  onShowInTree?: ((entityId: string) => void) | undefined;
}

/**
 * The process tree's events and the host's logons around the alert, in time order: zoomable
 * (range around the alert), filterable by kind and process, keyboard navigable (arrow keys,
 * Home/End; Enter shows the event's fields, Escape goes back). A long list shows PAGE entries
 * each side of the alert, more on demand.
 */
export function TimelineView({ alertId, depth, processes, onShowInTree }: TimelineViewProps) {
  const t = useT();
  const id = useId();
  const [seconds, setSeconds] = useState<number>(600);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const [entityId, setEntityId] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const [more, setMore] = useState({ before: PAGE, after: PAGE });
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const details = useRef(new Map<string, HTMLDivElement>());
  const query = useQuery(alertTimelineQuery(alertId, seconds, depth));
  const data = query.data;

  const entries = useMemo(() => data?.entries ?? [], [data]);
  const counts = useMemo(() => countByKind(entries), [entries]);
  const present = TIMELINE_KINDS.filter((k) => k !== 'alert' && (counts[k] ?? 0) > 0);
  const kinds = useMemo(() => new Set(TIMELINE_KINDS.filter((k) => !hidden.has(k))), [hidden]);
  const filtered = useMemo(() => filterTimeline(entries, kinds, entityId), [entries, kinds, entityId]);
  const anchor = Math.max(0, filtered.findIndex((e) => e.kind === 'alert'));
  const { start, end } = sliceAround(filtered.length, anchor, more.before, more.after);
  const shown = filtered.slice(start, end);
  const current = shown.some((e) => e.key === active) ? active : (filtered[anchor]?.key ?? shown[0]?.key ?? null);

  const reset = () => setMore({ before: PAGE, after: PAGE });
  const focusEntry = (key: string) => {
    setActive(key);
    buttons.current.get(key)?.focus();
  };
  const toggle = (key: string) => {
    const opening = open !== key;
    setOpen(opening ? key : null);
    setActive(key);
    // the fields get the focus (Escape brings it back to the entry)
    if (opening) requestAnimationFrame(() => details.current.get(key)?.focus());
  };

  function onKey(e: KeyboardEvent<HTMLOListElement>) {
    const target = e.target as HTMLElement;
    if (e.key === 'Escape' && open) {
      const key = open;
      setOpen(null);
      focusEntry(key);
      e.preventDefault();
      return;
    }
    if (!target.dataset.entry) return;
    const i = shown.findIndex((x) => x.key === target.dataset.entry);
    let next: TimelineEntryValue | undefined;
    if (e.key === 'ArrowDown') next = shown[i + 1];
    else if (e.key === 'ArrowUp') next = shown[i - 1];
    else if (e.key === 'Home') next = shown[0];
    else if (e.key === 'End') next = shown[shown.length - 1];
    else return;
    e.preventDefault();
    if (next) focusEntry(next.key);
    else if (e.key === 'ArrowDown' && end < filtered.length) reveal(filtered[end]!.key, 'after');
    else if (e.key === 'ArrowUp' && start > 0) reveal(filtered[start - 1]!.key, 'before');
  }

  /** past the shown part: show the next page on that side and move to the entry just past it */
  function reveal(key: string, side: 'before' | 'after') {
    setMore((m) => ({ ...m, [side]: m[side] + PAGE }));
    setActive(key);
    requestAnimationFrame(() => buttons.current.get(key)?.focus());
  }

  return (
    <section aria-labelledby={`${id}-h`} className="group" data-testid="timeline">
      <h3 id={`${id}-h`}>{t('tl.title')}</h3>
      {data ? (
        <p className="small muted" data-testid="timeline-summary">
          {t('tl.summary', { n: Math.max(0, entries.length - 1), p: data.entityIds.length, from: data.window.from, to: data.window.to })}
        </p>
      ) : null}
      {data?.truncated ? <p className="cut-note">{t('tl.truncated')}</p> : null}
      <div className={styles.controls}>
        <fieldset>
          <legend>{t('tl.range')}</legend>
          {TIMELINE_RANGES.map((s) => (
            <label key={s}>
              <input
                type="radio"
                name={`${id}-range`}
                value={s}
                checked={seconds === s}
                onChange={() => {
                  setSeconds(s);
                  reset();
                }}
              />
              {rangeLabel(t, s)}
            </label>
          ))}
        </fieldset>
        {present.length ? (
          <fieldset data-testid="timeline-kinds">
            <legend>{t('tl.kinds')}</legend>
            {present.map((k) => (
              <label key={k}>
                <input
                  type="checkbox"
                  value={k}
                  checked={!hidden.has(k)}
                  onChange={(e) => {
                    const next = new Set(hidden);
                    if (e.target.checked) next.delete(k);
                    else next.add(k);
                    setHidden(next);
                    reset();
                  }}
                />
                {t('tl.kindCount', { kind: timelineKindLabel(t, k), n: counts[k] ?? 0 })}
              </label>
            ))}
          </fieldset>
        ) : null}
        {processes.length > 1 ? (
          <label>
            <span>{t('tl.process')}</span>
            <select
              value={entityId ?? ''}
              onChange={(e) => {
                setEntityId(e.target.value || null);
                reset();
              }}
              data-testid="timeline-process"
            >
              <option value="">{t('tl.allProcesses')}</option>
              {processes.map((p) => (
                <option key={p.entityId} value={p.entityId}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {query.isPending ? <p className="muted small">{t('tl.loading')}</p> : null}
      {query.isError ? <ErrorBox title={t('tl.failed')} error={query.error} /> : null}
      {data && filtered.length <= 1 ? <p className="small">{t('tl.empty')}</p> : null}
      {start > 0 ? (
        <button type="button" className="small" onClick={() => setMore((m) => ({ ...m, before: m.before + PAGE }))} data-testid="timeline-earlier">
          {t('tl.earlier', { n: Math.min(PAGE, start) })}
        </button>
      ) : null}
      {shown.length ? (
        <ol className={styles.list} aria-label={t('tl.list')} onKeyDown={onKey} data-testid="timeline-list">
          {shown.map((e) => {
            const expanded = open === e.key;
            const kind = timelineKindLabel(t, e.kind);
            const proc = processText(t, e);
            return (
              <li key={e.key} className={e.kind === 'alert' ? styles.alert : undefined} data-testid="timeline-entry" data-kind={e.kind} data-entity={e.entityId ?? ''} data-offset={e.offsetMs}>
                <button
                  type="button"
                  className={styles.entry}
                  data-entry={e.key}
                  ref={(el) => {
                    if (el) buttons.current.set(e.key, el);
                    else buttons.current.delete(e.key);
                  }}
                  tabIndex={current === e.key ? 0 : -1}
                  aria-expanded={expanded}
                  aria-controls={expanded ? `${id}-d-${e.key}` : undefined}
                  aria-current={e.kind === 'alert' ? 'true' : undefined}
                  onFocus={() => setActive(e.key)}
                  onClick={() => toggle(e.key)}
                >
                  <span className={styles.offset}>{formatOffset(e.offsetMs)}</span>
                  <span>{kind}</span>
                  <span className={styles.process}>{proc}</span>
                  <span className={styles.summary}>{e.summary}</span>
                </button>
                {expanded ? (
                  <div
                    id={`${id}-d-${e.key}`}
                    role="region"
                    aria-label={t('tl.fields')}
                    tabIndex={-1}
                    className={styles.detail}
                    data-testid="timeline-detail"
                    ref={(el) => {
                      if (el) details.current.set(e.key, el);
                      else details.current.delete(e.key);
                    }}
                  >
                    <dl>
                      <dt>{t('tl.time')}</dt>
                      <dd>
                        <Timestamp iso={e.time} />
                      </dd>
                      <dt>{t('tl.process')}</dt>
                      <dd>{proc}</dd>
                      {Object.entries(e.fields).map(([f, v]) => (
                        <Fragment key={f}>
                          <dt className="mono">{f}</dt>
                          <dd>
                            {v} <CopyButton text={v} label={t('fields.copy', { field: f })} compact />
                          </dd>
                        </Fragment>
                      ))}
                    </dl>
                    {e.entityId ? (
                      <div className={styles.actions}>
                        {onShowInTree ? (
                          <button type="button" className="small" onClick={() => onShowInTree(e.entityId!)} data-testid="timeline-show-in-tree">
                            {t('tl.showInTree', { process: proc })}
                          </button>
                        ) : null}
                        {processes.length > 1 && entityId !== e.entityId ? (
                          <button
                            type="button"
                            className="small"
                            onClick={() => {
                              setEntityId(e.entityId);
                              reset();
                              focusEntry(e.key);
                            }}
                          >
                            {t('tl.filterProcess')}
                          </button>
                        ) : null}
                      </div>
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      {end < filtered.length ? (
        <button type="button" className="small" onClick={() => setMore((m) => ({ ...m, after: m.after + PAGE }))} data-testid="timeline-later">
          {t('tl.later', { n: Math.min(PAGE, filtered.length - end) })}
        </button>
      ) : null}
      {filtered.length > shown.length ? (
        <p className="small muted" aria-live="polite">
          {t('tl.shown', { first: start + 1, last: end, n: filtered.length })}
        </p>
      ) : null}
    </section>
  );
}
