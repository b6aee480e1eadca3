/**
 * Working an alert claims it (issue 17 item 5): the first change an analyst makes to an
 * alert (a tick, a step note or owner, a note) assigns an unassigned alert to them, and an
 * open alert of theirs becomes acknowledged, so two analysts do not work one alert unknowingly
 * and the dashboard counts it as in progress. GUIDEPOST_CLAIM_ON_WORK=on|off (default on).
 * Leads and admins supervise: their changes never claim.
 */
import { z } from 'zod';
import type { Alert } from '../detection/types';
import type { AppDb } from '../store/db';
import { getAlertRow, updateAlertRow, type AlertRowPatch } from '../store/alerts';
import { appendAudit } from '../store/audit';

const claimEnv = z.enum(['on', 'off']);

/** GUIDEPOST_CLAIM_ON_WORK (on when unset); a bad value is an error naming it. */
export function claimOnWorkSetting(env: Record<string, string | undefined> = process.env): boolean {
  const raw = env.GUIDEPOST_CLAIM_ON_WORK;
  if (raw === undefined || raw.trim() === '') return true;
  const v = claimEnv.safeParse(raw.trim().toLowerCase());
  if (!v.success) throw new Error(`GUIDEPOST_CLAIM_ON_WORK must be on or off (got ${JSON.stringify(raw)})`);
  return v.data === 'on';
}

/** Does a change by someone of `role` claim the alert (setting on, and the role is analyst)? */
export function claimsOnWork(role: string, env: Record<string, string | undefined> = process.env): boolean {
  return role === 'analyst' && claimOnWorkSetting(env);
}

/**
 * Inside the caller's transaction: an unassigned alert goes to `actor`, and an open alert of
 * `actor` becomes acknowledged (audited as 'claim'). Closed alerts and alerts of others are
 * left alone. Returns the alert after the change, or null when nothing changed.
 */
export function claimAlert(alertId: string, actor: string, now: string, db: AppDb): Alert | null {
  const before = getAlertRow(db, alertId);
  if (!before || before.status === 'closed') return null;
  if (before.assignee !== null && before.assignee !== actor) return null;
  const patch: AlertRowPatch = {};
  if (before.assignee === null) patch.assignee = actor;
  if (before.status === 'open') {
    patch.status = 'acknowledged';
    if (!before.acknowledgedAt) patch.acknowledgedAt = now;
  }
  if (Object.keys(patch).length === 0) return null;
  if (!updateAlertRow(db, alertId, patch, before.version, now)) return null;
  const after = getAlertRow(db, alertId);
  if (!after) return null;
  const snap = (a: Alert) => ({ status: a.status, assignee: a.assignee, version: a.version });
  appendAudit(db, { actor, entity: 'alert', entityId: alertId, action: 'claim', before: snap(before), after: snap(after), at: now });
  return after;
}
