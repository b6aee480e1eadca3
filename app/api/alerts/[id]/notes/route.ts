import { notePostSchema } from '@/lib/contracts/alerts';
import { addNote, claimsOnWork, getAlertOrThrow, listNotes, wellFormedDeep } from '@/lib/cases';
import { json, parseJsonBody, requireWork, withRoute } from '../../../_lib/route';

// GET /api/alerts/:id/notes — the alert's notes, oldest first
export const GET = withRoute<{ id: string }>(({ params }) => json({ items: wellFormedDeep(listNotes(params.id)) }));

// POST /api/alerts/:id/notes — append a note (notes are never edited); an analyst's note claims an unassigned alert
export const POST = withRoute<{ id: string }>(
  async ({ req, params, actor, user }) => {
    const { body } = await parseJsonBody(req, notePostSchema);
    requireWork(user, getAlertOrThrow(params.id).assignee);
    return json({ note: addNote(params.id, body, { actor, claim: user ? claimsOnWork(user.role) : false }) }, 201);
  },
  { action: 'work' },
);
