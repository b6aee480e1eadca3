'use client';

import type { NoteValue } from '@/lib/contracts/alerts';
import { Timestamp } from '@/components/ui/timestamp';

export interface NotesPanelProps {
  notes: NoteValue[];
  onAdd: (body: string) => void;
  busy: boolean;
}

/** Findings on the alert; notes only append. Note text is shown as text. */
export function NotesPanel({ notes, onAdd, busy }: NotesPanelProps) {
  return (
    <section aria-labelledby="notes-heading" className="guide-section">
      <h2 id="notes-heading">Notes</h2>
      {notes.length === 0 ? <p className="muted small">No notes yet.</p> : null}
      <ul className="steps" data-testid="notes">
        {notes.map((n) => (
          <li key={n.id} className="step">
            <div className="small muted">
              {n.author ?? 'unknown'} · <Timestamp iso={n.createdAt} />
            </div>
            <div style={{ whiteSpace: 'pre-wrap' }} data-testid="note-body">
              {n.body}
            </div>
          </li>
        ))}
      </ul>
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
          <span>Add a note</span>
          <textarea name="body" />
        </label>
        <div>
          <button type="submit" disabled={busy}>
            Add note
          </button>
        </div>
      </form>
    </section>
  );
}
