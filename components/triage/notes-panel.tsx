'use client';

import type { NoteValue } from '@/lib/contracts/alerts';
import { Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';

export interface NotesPanelProps {
  notes: NoteValue[];
  /** null: the user may read the notes but not add one (no form is shown) */
  onAdd: ((body: string) => void) | null;
  busy: boolean;
}

/** Findings on the alert; notes only append. Note text is shown as text. */
export function NotesPanel({ notes, onAdd, busy }: NotesPanelProps) {
  const t = useT();
  return (
    <section aria-labelledby="notes-heading" className="guide-section">
      <h2 id="notes-heading">{t('notes.title')}</h2>
      {notes.length === 0 ? <p className="muted small">{t('notes.empty')}</p> : null}
      <ul className="steps" data-testid="notes">
        {notes.map((n) => (
          <li key={n.id} className="step">
            <div className="small muted">
              {n.author ?? t('notes.unknownAuthor')} · <Timestamp iso={n.createdAt} />
            </div>
            <div style={{ whiteSpace: 'pre-wrap' }} data-testid="note-body">
              {n.body}
            </div>
          </li>
        ))}
      </ul>
      {onAdd ? (
        <form
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const body = String(new FormData(form).get('body') ?? '').trim();
            if (!body) return;
            onAdd(body);
            form.reset();
          }}
        >
          <label className="field">
            <span>{t('notes.add')}</span>
            <textarea name="body" />
          </label>
          <div>
            <button type="submit" disabled={busy}>
              {t('notes.submit')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
