'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}

/**
 * A modal <dialog>: focus trapped by the browser, Escape closes it, Ctrl+Enter (⌘+Enter)
 * saves (submits its form, or presses its primary button), and focus goes back where it was.
 */
export function Dialog({ open, title, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      el.showModal();
      // the field marked data-autofocus, if any, rather than the first focusable one
      el.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    if (!open && el.open) el.close();
    if (!open && returnTo.current) {
      const back = returnTo.current;
      returnTo.current = null;
      // unless something else took focus meanwhile (e.g. a page change)
      if (back.isConnected && (document.activeElement === document.body || el.contains(document.activeElement))) back.focus();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={onClose}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
        const form = e.currentTarget.querySelector('form');
        const primary = e.currentTarget.querySelector<HTMLButtonElement>('button.primary');
        if (form) form.requestSubmit();
        else primary?.click();
        e.preventDefault();
      }}
    >
      {open ? (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}
