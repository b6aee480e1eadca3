'use client';

import { useT } from '@/components/i18n/use-t';

/** A form dialog's end: the error (when there is one, announced), then Cancel and the primary submit. */
export function SubmitActions({ error, onCancel, submitLabel, pending = false }: { error?: string | null; onCancel: () => void; submitLabel: string; pending?: boolean }) {
  const t = useT();
  return (
    <>
      {error ? (
        <p className="error-box" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary" disabled={pending}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}

/** A dialog's one button (Done, Close), focused when the dialog opens. */
export function DismissAction({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <div className="dialog-actions">
      <button type="button" className="primary" onClick={onClick} autoFocus>
        {label}
      </button>
    </div>
  );
}
