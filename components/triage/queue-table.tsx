'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

const ROW_HEIGHT = 32;

/** One column of a queue: its header (and sort, when it sorts) and how a row shows it. */
export interface QueueColumn<T> {
  id: string;
  header: string;
  sort?: { active: boolean; order: 'asc' | 'desc'; onToggle: () => void };
  cell: (row: T) => ReactNode;
  title?: (row: T) => string | undefined;
  className?: string;
}

export interface QueueTableSelection<T> {
  ids: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
  onAll: (on: boolean) => void;
  rowLabel: (row: T) => string;
  allLabel: string;
}

export interface QueueTableProps<T> {
  label: string;
  items: readonly T[];
  rowKey: (row: T) => string;
  columns: QueueColumn<T>[];
  /** data-testid of each row */
  rowTestId: string;
  /** the row's data-* attributes (ids, versions) for tests and tools */
  rowData?: (row: T) => Record<`data-${string}`, string | number | boolean | undefined>;
  /** a class giving head and rows their grid columns (the alert queue's are global) */
  gridClass?: string;
  selection?: QueueTableSelection<T> | null;
  /** what shows instead of rows: while loading, or when none match */
  placeholder?: ReactNode;
  /** the link j/k focuses in a row (its class) */
  linkClass: string;
  /** j/k move through the rows (one table of a page has them) */
  keyboard?: boolean;
  /** the scrolling body's height in px (default: the window's, as the queue's) */
  bodyHeight?: number;
}

/** True when a key press belongs to a text field, a select or a dialog, not to page shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('dialog, [role="dialog"]')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

/**
 * The queue's table, for alerts and incidents alike: a header row (sort buttons, a select-all
 * box when rows can be selected) and the rows, virtualised (only the rows in view are in the
 * page, so 100k rows cost what 40 do), j/k to move between them.
 */
export function QueueTable<T>(p: QueueTableProps<T>) {
  const { selection, items } = p;
  const selectedCount = selection ? items.filter((r) => selection.ids.has(p.rowKey(r))).length : 0;
  return (
    <div className={`queue${selection ? ' selectable' : ''}`} role="table" aria-label={p.label} aria-rowcount={items.length + 1}>
      <div className={`queue-head ${p.gridClass ?? ''}`} role="row" aria-rowindex={1}>
        {selection ? (
          <div role="columnheader" className="select-cell">
            <SelectAll total={items.length} selected={selectedCount} onChange={selection.onAll} label={selection.allLabel} />
          </div>
        ) : null}
        {p.columns.map((col) => (
          <div key={col.id} role="columnheader" data-col={col.id} aria-sort={col.sort?.active ? (col.sort.order === 'asc' ? 'ascending' : 'descending') : undefined}>
            {col.sort ? (
              <button type="button" onClick={col.sort.onToggle} aria-pressed={col.sort.active}>
                {col.header}
                {col.sort.active ? (col.sort.order === 'asc' ? ' ▲' : ' ▼') : ''}
              </button>
            ) : (
              col.header
            )}
          </div>
        ))}
      </div>
      {p.placeholder ?? <Rows {...p} />}
    </div>
  );
}

/** The header checkbox: all rows on/off, mixed (indeterminate) when some are. */
function SelectAll({ total, selected, onChange, label }: { total: number; selected: number; onChange: (on: boolean) => void; label: string }) {
  const ref = useRef<HTMLInputElement>(null);
  const all = total > 0 && selected === total;
  const some = selected > 0 && !all;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = some;
  }, [some]);
  return (
    <input
      ref={ref}
      type="checkbox"
      checked={all}
      aria-checked={some ? 'mixed' : all}
      disabled={total === 0}
      onChange={() => onChange(!all)}
      aria-label={label}
      title={label}
      data-testid="select-all"
    />
  );
}

function Rows<T>({ items, rowKey, columns, rowTestId, rowData, gridClass, selection, linkClass, keyboard, bodyHeight }: QueueTableProps<T>) {
  const parentRef = useRef<HTMLDivElement>(null);
  // the row j/k last moved to; focus goes to its link (real focus: Enter opens it)
  const [active, setActive] = useState<number | null>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1200, height: bodyHeight ?? 600 },
  });

  useEffect(() => {
    if (!keyboard) return;
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (e.key !== 'j' && e.key !== 'k') return;
      if (items.length === 0) return;
      e.preventDefault();
      // start from the row holding focus, if any
      const focusedRow = document.activeElement?.closest<HTMLElement>(`[data-testid="${rowTestId}"]`);
      const from = focusedRow ? Number(focusedRow.dataset.index) : active;
      const next = from === null || Number.isNaN(from) ? 0 : Math.min(items.length - 1, Math.max(0, from + (e.key === 'j' ? 1 : -1)));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [keyboard, items.length, active, virtualizer, rowTestId]);

  // once the row is rendered (it may have just scrolled into the window), focus its link
  useEffect(() => {
    if (active === null) return;
    const frame = requestAnimationFrame(() => {
      parentRef.current?.querySelector<HTMLElement>(`[data-index="${active}"] a.${linkClass}`)?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [active, linkClass]);

  return (
    <div
      ref={parentRef}
      className="queue-body"
      role="rowgroup"
      style={bodyHeight !== undefined ? { height: Math.min(bodyHeight, items.length * ROW_HEIGHT + 2), minHeight: 0 } : undefined}
      onFocus={(e) => {
        const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
        if (row && (e.target as HTMLElement).matches(`a.${linkClass}`)) setActive(Number(row.dataset.index));
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = items[v.index];
          if (row === undefined) return null;
          const id = rowKey(row);
          return (
            <div
              key={id}
              role="row"
              aria-rowindex={v.index + 2}
              className={`queue-row ${gridClass ?? ''}`}
              data-testid={rowTestId}
              data-index={v.index}
              data-selected={selection ? selection.ids.has(id) : undefined}
              {...rowData?.(row)}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
            >
              {selection ? (
                <div role="cell" className="select-cell">
                  <input
                    type="checkbox"
                    checked={selection.ids.has(id)}
                    onChange={(e) => selection.onToggle(id, e.target.checked)}
                    aria-label={selection.rowLabel(row)}
                    data-testid="select-row"
                  />
                </div>
              ) : null}
              {columns.map((col) => (
                <div key={col.id} role="cell" className={col.className} data-col={col.id} title={col.title?.(row)}>
                  {col.cell(row)}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
