import { notePostSchema } from '@/lib/contracts/alerts';
import { addNote, getAlertOrThrow, listNotes } from '@/lib/cases';
import { json, parseJsonBody, requireWork, withRoute } from '../../../_lib/route';

// GET /api/alerts/:id/notes — the alert's notes, oldest first
export const GET = withRoute<{ id: string }>(({ params }) => json({ items: listNotes(params.id) }));

// POST /api/alerts/:id/notes — append a note (notes are never edited)
export const POST = withRoute<{ id: string }>(
  async ({ req, params, actor, user }) => {
    const { body } = await parseJsonBody(req, notePostSchema);
    requireWork(user, getAlertOrThrow(params.id).assignee);
    return json({ note: addNote(params.id, body, { actor }) }, 201);
  },
  { action: 'work' },
);
