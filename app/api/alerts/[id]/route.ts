import { alertPatchSchema } from '@/lib/contracts/alerts';
import { claimsOnWork, getAlertOrThrow, updateAlert } from '@/lib/cases';
import { can, getUserByName } from '@/lib/auth';
import { alertDetail } from '../../_lib/alert-detail';
import { json, parseJsonBody, requireWork, RouteError, withRoute } from '../../_lib/route';

// GET /api/alerts/:id — the alert, its rule and guide (with evidence kinds per step), checklist state, notes, history
export const GET = withRoute<{ id: string }>(({ params }) => json(alertDetail(params.id)));

// PATCH /api/alerts/:id — status / verdict / assignee, refused when expectedVersion is stale
// Analysts work alerts assigned to them or unassigned, and may take an unassigned alert or
// release their own; assigning anyone else needs a lead (lib/auth 'assign').
export const PATCH = withRoute<{ id: string }>(
  async ({ req, params, actor, user }) => {
    const { expectedVersion, ...change } = await parseJsonBody(req, alertPatchSchema);
    const current = getAlertOrThrow(params.id);
    requireWork(user, current.assignee);
    if (change.assignee !== undefined && change.assignee !== current.assignee && user) {
      const selfService = (current.assignee === null && change.assignee === user.name) || (current.assignee === user.name && change.assignee === null);
      if (!selfService && !can(user.role, 'assign')) {
        throw new RouteError('forbidden', `assignee: your role (${user.role}) may take an unassigned alert or release your own; assigning others needs a lead`);
      }
      if (change.assignee !== null) {
        const target = getUserByName(change.assignee);
        if (!target || target.disabled) throw new RouteError('invalid_request', `assignee: no active user '${change.assignee}'`);
        if (!can(target.role, 'work')) throw new RouteError('invalid_request', `assignee: ${target.name} is a ${target.role} and cannot work alerts`);
        change.assignee = target.name;
      }
    }
    // working an unassigned alert claims it (lib/cases/claim; GUIDEPOST_CLAIM_ON_WORK)
    if (user && claimsOnWork(user.role) && change.assignee === undefined && current.assignee === null && current.status !== 'closed') {
      change.assignee = user.name;
      if (change.status === undefined && current.status === 'open') change.status = 'acknowledged';
    }
    return json({ alert: updateAlert(params.id, change, { expectedVersion, actor }) });
  },
  { action: 'work' },
);
