import { notePostSchema } from '@/lib/contracts/alerts';
import { addNote, listNotes } from '@/lib/cases';
import { json, parseJsonBody, withRoute } from '../../../_lib/route';

// GET /api/alerts/:id/notes — the alert's notes, oldest first
export const GET = withRoute<{ id: string }>(({ params }) => json({ items: listNotes(params.id) }));

// POST /api/alerts/:id/notes — append a note (notes are never edited)
export const POST = withRoute<{ id: string }>(async ({ req, params, actor }) => {
  const { body } = await parseJsonBody(req, notePostSchema);
  return json({ note: addNote(params.id, body, { actor }) }, 201);
});
