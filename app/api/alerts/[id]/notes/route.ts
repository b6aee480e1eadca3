import { notePostSchema } from '@/lib/contracts/alerts';
import { addNoteAs, listNotes, wellFormedDeep } from '@/lib/cases';
import { json, parseJsonBody, signedIn, withRoute } from '../../../_lib/route';

// GET /api/alerts/:id/notes — the alert's notes, oldest first
export const GET = withRoute<{ id: string }>(({ params }) => json({ items: wellFormedDeep(listNotes(params.id)) }));

// POST /api/alerts/:id/notes — append a note (notes are never edited); an analyst's note claims an unassigned alert
export const POST = withRoute<{ id: string }>(
  async ({ req, params, user }) => {
    const { body } = await parseJsonBody(req, notePostSchema);
    return json({ note: addNoteAs(signedIn(user), params.id, body) }, 201);
  },
  { action: 'work' },
);
