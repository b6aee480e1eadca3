/**
 * What people do to incidents: merge, split, move an alert, change status / assignee, close
 * with one verdict, tick the incident's response steps. Each change pins the alerts of the
 * incidents it touches (the grouping never undoes it), bumps the incident's version (a stale
 * change is refused, never silently overwritten) and is audited in the same transaction.
 */
import { createHash } from 'node:crypto';
import type { AlertStatus, Verdict } from '../detection/types';
import { CaseError } from '../cases/errors';
import { updateAlert } from '../cases/workflow';
import { getAlertRow } from '../store/alerts';
import { appendAudit } from '../store/audit';
import { getDb, prepared, type AppDb } from '../store/db';
import {
  bumpIncidentVersion,
  ensureIncident,
  getIncidentRow,
  memberIds,
  membershipOf,
  refreshIncidentSummary,
  resolveIncidentId,
  retireIncident,
  setMembership,
  touchIncident,
} from '../store/incidents';
import type { IncidentSummary, MembershipReason } from './types';
import { RESPONSE_STEPS, type ResponseStepId } from './steps';
import { notifyAssigned } from './notify/events';

export interface ManualContext {
  actor: string;
  now?: Date;
}

function nowOf(ctx: ManualContext): string {
  return (ctx.now ?? new Date()).toISOString();
}

/** A manual change: one IMMEDIATE transaction on app.db, at the context's time (now unless a test sets it). */
function manualChange<T>(ctx: ManualContext, change: (db: AppDb, now: string) => T): T {
  const db = getDb();
  const now = nowOf(ctx);
  return db.transaction(() => change(db, now)).immediate();
}

/** The incident (following aliases), or a CaseError 'not_found'. */
export function getIncidentOrThrow(id: string, db: AppDb = getDb()): IncidentSummary {
  const resolved = resolveIncidentId(db, id);
  const inc = resolved ? getIncidentRow(db, resolved, RESPONSE_STEPS.length) : null;
  if (!inc) throw new CaseError('not_found', `incident ${id} not found`);
  return inc;
}

function checkVersion(inc: IncidentSummary, expected: number | undefined): void {
  if (expected !== undefined && inc.version !== expected) {
    throw new CaseError('conflict', `incident ${inc.id} was changed by someone else (now version ${inc.version}, you had version ${expected}); reload it and try again`, inc.version);
  }
}

function bump(db: AppDb, id: string, now: string): void {
  prepared(db, 'UPDATE incidents SET version = version + 1, updated_at = ? WHERE id = ?').run(now, id);
}

function openOrThrow(inc: IncidentSummary, what: string): void {
  if (inc.status === 'closed') throw new CaseError('invalid_request', `${what}: incident ${inc.id} is closed (reopen it first)`);
}

/** The incident a merge or split changes: it exists, is at the version the caller saw, and is open. */
function changeableIncident(db: AppDb, id: string, expectedVersion: number | undefined, what: string): IncidentSummary {
  const inc = getIncidentOrThrow(id, db);
  checkVersion(inc, expectedVersion);
  openOrThrow(inc, what);
  return inc;
}

/** Merge `sourceIds` into `targetId`: their alerts move there and stay; the sources' ids lead to it. */
export function mergeIncidents(targetId: string, sourceIds: string[], ctx: ManualContext & { expectedVersion?: number }): IncidentSummary {
  return manualChange(ctx, (db, now) => {
    const target = changeableIncident(db, targetId, ctx.expectedVersion, 'merge');
    const sources = [...new Set(sourceIds)].map((id) => getIncidentOrThrow(id, db)).filter((s) => s.id !== target.id);
    if (sources.length === 0) throw new CaseError('invalid_request', 'merge: name at least one other incident to merge into this one');
    for (const s of sources) openOrThrow(s, 'merge');
    touchIncident(db, target.id);
    const moved: Record<string, string[]> = {};
    for (const s of sources) {
      const ids = memberIds(db, s.id);
      moved[s.id] = ids;
      for (const alertId of ids) {
        const m = membershipOf(db, alertId);
        const reason: MembershipReason = m?.reason ?? { kind: 'manual', action: 'merge', actor: ctx.actor, at: now, fromIncidentId: s.id };
        setMembership(db, alertId, target.id, true, reason);
      }
      retireIncident(db, s.id, target.id);
      appendAudit(db, { actor: ctx.actor, entity: 'incident', entityId: s.id, action: 'merged_into', after: { into: target.id, alerts: ids }, at: now });
    }
    refreshIncidentSummary(db, target.id, now);
    bump(db, target.id, now);
    bumpIncidentVersion(db);
    appendAudit(db, { actor: ctx.actor, entity: 'incident', entityId: target.id, action: 'merge', before: { alertCount: target.alertCount }, after: { merged: moved }, at: now });
    return getIncidentOrThrow(target.id, db);
  });
}

/** Split `alertIds` out of their incident into a new one. Returns the new incident. */
export function splitAlerts(incidentId: string, alertIds: string[], ctx: ManualContext & { expectedVersion?: number }): IncidentSummary {
  return manualChange(ctx, (db, now) => {
    const source = changeableIncident(db, incidentId, ctx.expectedVersion, 'split');
    const ids = [...new Set(alertIds)].sort();
    const members = new Set(memberIds(db, source.id));
    const outside = ids.filter((id) => !members.has(id));
    if (ids.length === 0) throw new CaseError('invalid_request', 'split: name the alerts to split off');
    if (outside.length) throw new CaseError('invalid_request', `split: alert ${outside.join(', ')} is not in incident ${source.id}`);
    if (ids.length >= members.size) throw new CaseError('invalid_request', 'split: at least one alert must stay in the incident');
    const newId = `INC-${createHash('sha256').update(`split\n${source.id}\n${ids.join('\n')}\n${now}`).digest('hex').slice(0, 12).toUpperCase()}`;
    touchIncident(db, source.id);
    ensureIncident(db, newId, now);
    prepared(db, 'UPDATE incidents SET touched = 1 WHERE id = ?').run(newId);
    for (const id of ids) setMembership(db, id, newId, true, { kind: 'manual', action: 'split', actor: ctx.actor, at: now, fromIncidentId: source.id });
    refreshIncidentSummary(db, source.id, now);
    refreshIncidentSummary(db, newId, now);
    bump(db, source.id, now);
    bumpIncidentVersion(db);
    appendAudit(db, { actor: ctx.actor, entity: 'incident', entityId: source.id, action: 'split', after: { alerts: ids, into: newId }, at: now });
    appendAudit(db, { actor: ctx.actor, entity: 'incident', entityId: newId, action: 'created_by_split', after: { from: source.id, alerts: ids }, at: now });
    return getIncidentOrThrow(newId, db);
  });
}

/** Move one alert into another (open) incident. */
export function moveAlert(alertId: string, targetId: string, ctx: ManualContext): IncidentSummary {
  return manualChange(ctx, (db, now) => {
    const m = membershipOf(db, alertId);
    if (!m) throw new CaseError('not_found', `alert ${alertId} is in no incident`);
    const target = getIncidentOrThrow(targetId, db);
    openOrThrow(target, 'move');
    if (m.incidentId === target.id) throw new CaseError('invalid_request', `move: alert ${alertId} is already in ${target.id}`);
    const source = getIncidentOrThrow(m.incidentId, db);
    openOrThrow(source, 'move');
    touchIncident(db, source.id);
    touchIncident(db, target.id);
    setMembership(db, alertId, target.id, true, { kind: 'manual', action: 'move', actor: ctx.actor, at: now, fromIncidentId: source.id });
    if (memberIds(db, source.id).length === 0) retireIncident(db, source.id, target.id);
    else {
      refreshIncidentSummary(db, source.id, now);
      bump(db, source.id, now);
    }
    refreshIncidentSummary(db, target.id, now);
    bump(db, target.id, now);
    bumpIncidentVersion(db);
    appendAudit(db, { actor: ctx.actor, entity: 'incident', entityId: source.id, action: 'alert_moved_out', after: { alert: alertId, to: target.id }, at: now });
    appendAudit(db, { actor: ctx.actor, entity: 'incident', entityId: target.id, action: 'alert_moved_in', after: { alert: alertId, from: source.id }, at: now });
    return getIncidentOrThrow(target.id, db);
  });
}

export interface IncidentChange {
  status?: AlertStatus;
  assignee?: string | null;
  verdict?: Verdict;
  note?: string;
}

const allowed: Record<AlertStatus, AlertStatus[]> = {
  open: ['acknowledged', 'closed'],
  acknowledged: ['open', 'closed'],
  closed: ['open'],
};

/**
 * Change an incident's status or assignee. Closing needs a verdict: it closes every alert of
 * the incident that is not closed yet with that verdict and the note (alerts already closed
 * keep their own verdict). Returns the incident and the alerts it closed.
 */
export function updateIncident(
  id: string,
  change: IncidentChange,
  ctx: ManualContext & {
    expectedVersion: number;
    /** whether the actor may close an alert with this assignee (the route: canWorkAlert); absent: any */
    mayCloseAlertOf?: (assignee: string | null) => boolean;
  },
): { incident: IncidentSummary; closedAlerts: string[] } {
  return manualChange(ctx, (db, now) => {
    const before = getIncidentOrThrow(id, db);
    checkVersion(before, ctx.expectedVersion);
    const sets: string[] = [];
    const params: (string | null)[] = [];
    const closedAlerts: string[] = [];
    if (change.status !== undefined && change.status !== before.status) {
      if (!allowed[before.status].includes(change.status)) throw new CaseError('invalid_request', `status: an incident that is ${before.status} cannot become ${change.status}`);
      sets.push('status = ?');
      params.push(change.status);
      if (!before.acknowledgedAt) {
        sets.push('acknowledged_at = ?');
        params.push(now);
      }
      if (change.status === 'closed') {
        if (!change.verdict) throw new CaseError('invalid_request', 'verdict: closing an incident needs a verdict (true_positive, benign_true_positive or false_positive)');
        const note = change.note?.trim() ?? '';
        sets.push('closed_at = ?', 'verdict = ?', 'closing_note = ?');
        params.push(now, change.verdict, note || null);
        const toClose = memberIds(db, before.id)
          .map((alertId) => getAlertRow(db, alertId))
          .filter((a): a is NonNullable<typeof a> => !!a && a.status !== 'closed');
        // an analyst's close must not close alerts someone else owns (the alerts' own rule)
        const others = ctx.mayCloseAlertOf ? toClose.filter((a) => !ctx.mayCloseAlertOf!(a.assignee)) : [];
        if (others.length) {
          const named = others.slice(0, 5).map((a) => `${a.id} (${a.assignee ?? 'nobody'})`).join(', ');
          throw new CaseError(
            'forbidden',
            `closing: ${others.length} alert(s) of incident ${before.id} are assigned to someone else: ${named}${others.length > 5 ? ', …' : ''}; only they or a lead may close them`,
          );
        }
        for (const a of toClose) {
          const alertId = a.id;
          updateAlert(alertId, { status: 'closed', verdict: change.verdict, note: note || `closed with incident ${before.id}` }, { expectedVersion: a.version, actor: ctx.actor, now: ctx.now });
          closedAlerts.push(alertId);
        }
      }
      if (before.status === 'closed') {
        sets.push('closed_at = NULL', 'verdict = NULL', 'closing_note = NULL');
      }
    } else if (change.verdict !== undefined) {
      throw new CaseError('invalid_request', 'verdict: give it with status closed');
    }
    if (change.assignee !== undefined && change.assignee !== before.assignee) {
      const a = change.assignee === null ? null : change.assignee.trim();
      if (a === '') throw new CaseError('invalid_request', 'assignee: must not be empty (use null to unassign)');
      sets.push('assignee = ?');
      params.push(a);
    }
    if (sets.length === 0) throw new CaseError('invalid_request', 'nothing to change: give status or assignee');
    prepared(db, `UPDATE incidents SET ${sets.join(', ')} WHERE id = ?`).run(...params, before.id);
    touchIncident(db, before.id);
    refreshIncidentSummary(db, before.id, now);
    bump(db, before.id, now);
    bumpIncidentVersion(db);
    const after = getIncidentOrThrow(before.id, db);
    const snap = (i: IncidentSummary) => ({ status: i.status, assignee: i.assignee, verdict: i.verdict, closingNote: i.closingNote, version: i.version });
    const action = after.status !== before.status ? (after.status === 'closed' ? 'close' : before.status === 'closed' ? 'reopen' : `status:${after.status}`) : 'assign';
    appendAudit(db, { actor: ctx.actor, entity: 'incident', entityId: before.id, action, before: snap(before), after: { ...snap(after), ...(closedAlerts.length ? { closedAlerts } : {}) }, at: now });
    if (after.assignee && after.assignee !== before.assignee) notifyAssigned(after, ctx.actor, ctx.now ?? new Date(), db);
    return { incident: after, closedAlerts };
  });
}

export interface IncidentStep {
  stepId: ResponseStepId;
  state: 'open' | 'done' | 'not_applicable';
  owner: string | null;
  note: string | null;
  actor: string | null;
  updatedAt: string | null;
}

export function listIncidentSteps(id: string, db: AppDb = getDb()): IncidentStep[] {
  const rows = prepared<{
    step_id: string;
    state: IncidentStep['state'];
    owner: string | null;
    note: string | null;
    actor: string;
    updated_at: string;
  }>(db, 'SELECT step_id, state, owner, note, actor, updated_at FROM incident_steps WHERE incident_id = ?').all(id);
  const byId = new Map(rows.map((r) => [r.step_id, r]));
  return RESPONSE_STEPS.map((stepId) => {
    const r = byId.get(stepId);
    return { stepId, state: r?.state ?? 'open', owner: r?.owner ?? null, note: r?.note ?? null, actor: r?.actor ?? null, updatedAt: r?.updated_at ?? null };
  });
}

/** Set a response step's state and owner. */
export function setIncidentStep(
  id: string,
  stepId: ResponseStepId,
  change: { state: IncidentStep['state']; owner?: string | null; note?: string | null },
  ctx: ManualContext,
): IncidentStep[] {
  return manualChange(ctx, (db, now) => {
    const inc = getIncidentOrThrow(id, db);
    const before = listIncidentSteps(inc.id, db).find((s) => s.stepId === stepId)!;
    const owner = change.owner === undefined ? before.owner : change.owner;
    const note = change.note === undefined ? before.note : change.note;
    prepared(
      db,
      `INSERT INTO incident_steps (incident_id, step_id, state, owner, note, actor, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (incident_id, step_id) DO UPDATE SET state = excluded.state, owner = excluded.owner, note = excluded.note, actor = excluded.actor, updated_at = excluded.updated_at`,
    ).run(inc.id, stepId, change.state, owner, note, ctx.actor, now);
    touchIncident(db, inc.id);
    bump(db, inc.id, now);
    bumpIncidentVersion(db);
    appendAudit(db, { actor: ctx.actor, entity: 'incident', entityId: inc.id, action: 'step', before: { stepId, state: before.state, owner: before.owner }, after: { stepId, state: change.state, owner }, at: now });
    return listIncidentSteps(inc.id, db);
  });
}
