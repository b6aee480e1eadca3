import { alertPatchSchema } from '@/lib/contracts/alerts';
import { changeAlertAs } from '@/lib/cases';
import { alertDetail } from '@/lib/server/alert-detail';
import { json, parseJsonBody, signedIn, withRoute } from '../../_lib/route';

// GET /api/alerts/:id — the alert, its rule and guide (with evidence kinds per step), checklist state, notes, history
export const GET = withRoute<{ id: string }>(({ params }) => json(alertDetail(params.id)));

// PATCH /api/alerts/:id — status / verdict / assignee, refused when expectedVersion is stale;
// who may work and assign whom is lib/cases/assignment's policy
export const PATCH = withRoute<{ id: string }>(
  async ({ req, params, user }) => {
    const { expectedVersion, ...change } = await parseJsonBody(req, alertPatchSchema);
    return json({ alert: changeAlertAs(signedIn(user), params.id, change, expectedVersion) });
  },
  { action: 'work' },
);
