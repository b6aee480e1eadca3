import { getAlertOrThrow } from '@/lib/cases';
import { siblingsOfAlert } from '@/lib/server/triage';
import { json, withRoute } from '../../../_lib/route';

// GET /api/alerts/:id/siblings — the other children of the subject process's parent (on demand)
export const GET = withRoute<{ id: string }>(async ({ params }) => json(await siblingsOfAlert(getAlertOrThrow(params.id))));
