/**
 * Rule exceptions (false-positive analysis) and the policy around them.
 *
 * An exception is created from an alert with entries prefilled from its fields. What a SOC
 * expects, enforced here (the routes only pass the signed-in user):
 * - An analyst's exception is a PROPOSAL (`pending`): it suppresses nothing and closes nothing
 *   until a lead or admin approves it (`approved`) or rejects it (`rejected`); who decided,
 *   when and why is kept. Nobody decides on their own proposal. A lead's or admin's own
 *   exception is in force at once (recorded as decided by them).
 * - Only approved, unexpired exceptions go with a run of the rule (the event source drops
 *   matching events before EQL runs), so they suppress future alerts.
 * - Every exception expires: by default DEFAULT_EXCEPTION_DAYS after it is created, at most
 *   maxExceptionDays() (GUIDEPOST_EXCEPTION_MAX_DAYS) ahead; only a lead or admin may ask, explicitly
 *   (`neverExpires`), for one that never does.
 * - An exception that would silence the rule is refused: one that matches a document without
 *   any of its fields (only negated entries, e.g. `no.such exists` negated), and one that
 *   matches every one of the rule's recent alerts (when it has at least MATCH_ALL_MIN_ALERTS).
 * - "Close matching alerts" happens when the exception comes into force (approval, or a lead's
 *   own exception): it closes the rule's alerts that are still `open` (not those someone has
 *   acknowledged and is working) and that the approver may work; each close is audited and
 *   noted on the alert.
 * - Every creation, decision, removal and close is in the audit trail.
 * Matching is THE exception matcher (./exception-match).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors';
import type { Alert, Verdict } from '../domain/alert';
import { exceptionCreateSchema, exceptionDecisionSchema, type ExceptionEntry } from '../domain/exception';
import { can, canWorkAlert, type Role } from '../auth/roles';
import { getDb, type AppDb } from '../store/db';
import {
  decideException as decideExceptionRow,
  deleteException,
  getException,
  insertException,
  listExceptionsByStatus,
  listExceptionsOf,
  openAlertsOfRule,
  recentAlertsOfRule,
  type RuleException,
} from '../store/exceptions';
import { listUnclosedAlertsOfRule, updateAlertRow, getAlertRow } from '../store/alerts';
import { appendAudit } from '../store/audit';
import { appendNote } from '../store/notes';
import { getFieldValues } from './fields';
import { compileItem } from '../events/exception-match';

export type { RuleException };
export type { ExceptionStatus } from '../store/exceptions';

/** Fields offered, in this order, when an exception is created from an alert. */
export const EXCEPTION_FIELDS = [
  'process.executable',
  'process.name',
  'process.parent.executable',
  'process.code_signature.subject_name',
  'process.hash.sha256',
  'file.path',
  'file.hash.sha256',
  'host.name',
  'user.name',
] as const;

/** An exception without an explicit expiry lasts this long. */
export const DEFAULT_EXCEPTION_DAYS = 30;
/** The furthest an expiry may be set, unless GUIDEPOST_EXCEPTION_MAX_DAYS says otherwise. */
export const DEFAULT_MAX_EXCEPTION_DAYS = 90;
/** An exception matching every recent alert of a rule that has at least this many is refused. */
export const MATCH_ALL_MIN_ALERTS = 3;
/** How many of the rule's most recent alerts that check looks at. */
const MATCH_ALL_SAMPLE = 2000;
/** How many open alerts one approval closes at most. */
const CLOSE_LIMIT = 10_000;
const DAY_MS = 86_400_000;

/** GUIDEPOST_EXCEPTION_MAX_DAYS (1–3650), else DEFAULT_MAX_EXCEPTION_DAYS. */
export function maxExceptionDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GUIDEPOST_EXCEPTION_MAX_DAYS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_EXCEPTION_DAYS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 3650) {
    throw new Error(`GUIDEPOST_EXCEPTION_MAX_DAYS: expected a whole number of days from 1 to 3650, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** What createException takes: the API's contract plus the rule id (defined once in lib/domain). */
export const createExceptionSchema = exceptionCreateSchema.extend({ ruleId: z.string().trim().min(1) });
export type CreateExceptionInput = z.input<typeof createExceptionSchema>;

/** Who acts. The API passes the signed-in user; trusted in-process callers (CLI, seeding) default to admin. */
export interface ExceptionActor {
  actor: string;
  role?: Role;
  now?: Date;
}

/** Entries prefilled from an alert's event: `is` for every offered field the event has. */
export function suggestExceptionEntries(alert: Pick<Alert, 'event'>): ExceptionEntry[] {
  const out: ExceptionEntry[] = [];
  for (const field of EXCEPTION_FIELDS) {
    const values = getFieldValues(alert.event._source, field).filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v));
    if (values.length === 1) out.push({ field, operator: 'is', values: [String(values[0])] });
    else if (values.length > 1) out.push({ field, operator: 'is_one_of', values: [...new Set(values.map(String))] });
  }
  return out;
}

function alertMatcher(entries: ExceptionEntry[]): (alert: Pick<Alert, 'event' | 'sequenceEvents'>) => boolean {
  const item = compileItem({ entries });
  return (alert) => {
    const events = alert.sequenceEvents && alert.sequenceEvents.length ? alert.sequenceEvents : [alert.event];
    return events.some((e) => item(e._source));
  };
}

/** Whether an exception's entries match an alert (for sequences: any of its events). */
export function exceptionMatchesAlert(entries: ExceptionEntry[], alert: Pick<Alert, 'event' | 'sequenceEvents'>): boolean {
  return alertMatcher(entries)(alert);
}

/** The rule's unclosed alerts an exception matches (preview). */
export function alertsMatchingEntries(ruleId: string, entries: ExceptionEntry[]): Alert[] {
  const matches = alertMatcher(entries);
  return listUnclosedAlertsOfRule(getDb(), ruleId).filter(matches);
}

function invalid(error: z.ZodError): AppError {
  return new AppError('invalid_request', error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; '));
}

/** An error the API answers with 403. */
export class ExceptionPolicyError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
    this.name = 'ExceptionPolicyError';
  }
}

const isLead = (role: Role): boolean => can(role, 'exception:approve');

/**
 * Refuses an exception that would silence the rule: one that matches a document holding none
 * of its fields, or every one of the rule's recent alerts.
 */
export function assertNotVacuous(ruleId: string, entries: ExceptionEntry[], db: AppDb = getDb()): void {
  if (compileItem({ entries })({})) {
    throw new AppError(
      'invalid_request',
      'entries: this exception matches events that have none of its fields (every entry is negated), so it would silence the rule; add at least one entry that is not negated',
    );
  }
  const sample = recentAlertsOfRule(db, ruleId, MATCH_ALL_SAMPLE);
  if (sample.length >= MATCH_ALL_MIN_ALERTS) {
    const matches = alertMatcher(entries);
    if (sample.every(matches)) {
      throw new AppError(
        'invalid_request',
        `entries: this exception matches all ${sample.length} recent alerts of rule ${ruleId}, so it would switch the rule off; narrow it (add an entry such as host.name or process.executable)`,
      );
    }
  }
}

/**
 * Closes the rule's `open` alerts an exception matches (those the closer may work), each
 * audited and noted. Returns the ids closed.
 */
function closeOpenMatchingAlerts(exception: RuleException, closer: { name: string; role: Role }, verdict: Verdict, now: string, db: AppDb): string[] {
  const matches = alertMatcher(exception.entries);
  const closed: string[] = [];
  const note = `Closed by exception ${exception.id}${exception.comment ? `: ${exception.comment}` : ''}`;
  for (const alert of openAlertsOfRule(db, exception.ruleId, CLOSE_LIMIT)) {
    if (!canWorkAlert(closer, alert.assignee) || !matches(alert)) continue;
    if (!updateAlertRow(db, alert.id, { status: 'closed', verdict, closingNote: note, closedAt: now, acknowledgedAt: alert.acknowledgedAt ?? now }, alert.version, now)) continue;
    appendNote(db, { alertId: alert.id, body: note, author: closer.name, createdAt: now });
    appendAudit(db, {
        actor: closer.name,
        entity: 'alert',
        entityId: alert.id,
        action: 'close',
        before: { status: alert.status, verdict: alert.verdict, assignee: alert.assignee, version: alert.version },
        after: { status: 'closed', verdict, closingNote: note, exceptionId: exception.id, version: alert.version + 1 },
        at: now,
      });
    closed.push(alert.id);
  }
  return closed;
}

function resolveExpiry(p: z.infer<typeof createExceptionSchema>, role: Role, now: Date): string | null {
  if (p.neverExpires) {
    if (p.expiresAt) throw new AppError('invalid_request', 'expiresAt: give an expiry or neverExpires, not both');
    if (!isLead(role)) throw new ExceptionPolicyError('only a lead or admin may create an exception that never expires; give it an expiry');
    return null;
  }
  if (!p.expiresAt) return new Date(now.getTime() + DEFAULT_EXCEPTION_DAYS * DAY_MS).toISOString();
  const at = new Date(p.expiresAt);
  if (at.getTime() <= now.getTime()) throw new AppError('invalid_request', `expiresAt: ${p.expiresAt} is already past`);
  const max = maxExceptionDays();
  if (at.getTime() > now.getTime() + max * DAY_MS) {
    throw new AppError('invalid_request', `expiresAt: ${p.expiresAt} is more than ${max} days ahead (the most an exception may last${isLead(role) ? '; a lead may ask for one that never expires' : ''})`);
  }
  return at.toISOString();
}

/**
 * Create an exception (audited): a lead's or admin's is in force at once (and closes the open
 * alerts it matches when asked); an analyst's is a proposal waiting for approval. One transaction.
 */
export function createException(input: unknown, ctx: ExceptionActor): { exception: RuleException; closedAlertIds: string[] } {
  const parsed = createExceptionSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  const p = parsed.data;
  const role: Role = ctx.role ?? 'admin';
  if (!can(role, 'exception:create')) throw new ExceptionPolicyError(`your role (${role}) may not create exceptions`);
  const nowDate = ctx.now ?? new Date();
  const now = nowDate.toISOString();
  const expiresAt = resolveExpiry(p, role, nowDate);
  const entries: ExceptionEntry[] = p.entries.map((e) => ({ field: e.field, operator: e.operator, values: e.operator === 'exists' ? [] : e.values, ...(e.negate ? { negate: true } : {}) }));
  const inForce = isLead(role);
  const db = getDb();
  return db
    .transaction(() => {
      if (p.fromAlertId) {
        const from = getAlertRow(db, p.fromAlertId);
        if (!from) throw new AppError('not_found', `alert ${p.fromAlertId} not found`);
        if (from.ruleId !== p.ruleId) throw new AppError('invalid_request', `fromAlertId: alert ${p.fromAlertId} belongs to rule ${from.ruleId}, not ${p.ruleId}`);
      }
      assertNotVacuous(p.ruleId, entries, db);
      const exception: RuleException = {
        id: randomUUID(),
        ruleId: p.ruleId,
        entries,
        comment: p.comment,
        expiresAt,
        createdBy: ctx.actor,
        createdAt: now,
        sourceAlertId: p.fromAlertId ?? null,
        status: inForce ? 'approved' : 'pending',
        decidedBy: inForce ? ctx.actor : null,
        decidedAt: inForce ? now : null,
        decisionNote: '',
        closeMatchingAlerts: p.closeMatchingAlerts,
        closeVerdict: p.closeMatchingAlerts ? p.closeVerdict : null,
      };
      insertException(db, exception);
      appendAudit(db, { actor: ctx.actor, entity: 'exception', entityId: exception.id, action: inForce ? 'create' : 'propose', after: exception, at: now });
      const closedAlertIds =
        inForce && p.closeMatchingAlerts ? closeOpenMatchingAlerts(exception, { name: ctx.actor, role }, p.closeVerdict, now, db) : [];
      return { exception, closedAlertIds };
    })
    .immediate();
}

export { exceptionDecisionSchema };

/** The exception `id` (of rule `ruleId` when given), or not_found. */
function getExceptionOrThrow(db: AppDb, id: string, ruleId: string | undefined): RuleException {
  const found = getException(db, id);
  if (!found || (ruleId !== undefined && found.ruleId !== ruleId)) {
    throw new AppError('not_found', `exception ${id} not found${ruleId !== undefined ? ` on rule ${ruleId}` : ''}`);
  }
  return found;
}

/**
 * Approve or reject a pending exception (leads and admins; not one's own proposal). Approval
 * puts it in force (checked again: not expired meanwhile, not vacuous against today's alerts)
 * and, when the proposal asked for it, closes the rule's open alerts it matches. Audited.
 */
export function decideException(
  id: string,
  input: unknown,
  ctx: { actor: string; role: Role; ruleId?: string; now?: Date },
): { exception: RuleException; closedAlertIds: string[] } {
  const parsed = exceptionDecisionSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  const { decision, note } = parsed.data;
  if (!isLead(ctx.role)) throw new ExceptionPolicyError(`your role (${ctx.role}) may not approve or reject exceptions`);
  const nowDate = ctx.now ?? new Date();
  const now = nowDate.toISOString();
  const db = getDb();
  return db
    .transaction(() => {
      const before = getExceptionOrThrow(db, id, ctx.ruleId);
      if (before.status !== 'pending') {
        throw new AppError('conflict', `exception ${id} is already ${before.status}${before.decidedBy ? ` (by ${before.decidedBy}${before.decidedAt ? ` at ${before.decidedAt}` : ''})` : ''}`);
      }
      if (before.createdBy === ctx.actor) throw new ExceptionPolicyError('you proposed this exception; another lead or admin must decide on it');
      if (decision === 'approve') {
        if (before.expiresAt !== null && before.expiresAt <= now) throw new AppError('invalid_request', `exception ${id} expired at ${before.expiresAt} while it waited; reject it and propose a new one`);
        assertNotVacuous(before.ruleId, before.entries, db);
      }
      const status = decision === 'approve' ? 'approved' : 'rejected';
      if (!decideExceptionRow(db, id, { status, decidedBy: ctx.actor, decidedAt: now, note })) throw new AppError('conflict', `exception ${id} is no longer pending`);
      const exception: RuleException = { ...before, status, decidedBy: ctx.actor, decidedAt: now, decisionNote: note };
      appendAudit(db, { actor: ctx.actor, entity: 'exception', entityId: id, action: decision, before: { status: before.status }, after: { status, decidedBy: ctx.actor, decidedAt: now, note }, at: now });
      const closedAlertIds =
        status === 'approved' && before.closeMatchingAlerts
          ? closeOpenMatchingAlerts(exception, { name: ctx.actor, role: ctx.role }, before.closeVerdict ?? 'benign_true_positive', now, db)
          : [];
      return { exception, closedAlertIds };
    })
    .immediate();
}

/** Exceptions of a rule (all states, expired included), or only those in force now with `activeOnly`. */
export function listExceptions(ruleId: string, opts: { activeOnly?: boolean; now?: Date } = {}): RuleException[] {
  return listExceptionsOf(getDb(), ruleId, opts.activeOnly ? (opts.now ?? new Date()).toISOString() : undefined);
}

/** The proposals waiting for a lead, across rules, oldest first. */
export function listPendingExceptions(): RuleException[] {
  return listExceptionsByStatus(getDb(), 'pending');
}

/** Remove an exception (audited). Future runs no longer apply it. */
export function removeException(id: string, ctx: { actor: string; now?: Date; /** refuse when it belongs to another rule */ ruleId?: string }): RuleException {
  const now = (ctx.now ?? new Date()).toISOString();
  const db = getDb();
  return db
    .transaction(() => {
      const before = getExceptionOrThrow(db, id, ctx.ruleId);
      deleteException(db, id);
      appendAudit(db, { actor: ctx.actor, entity: 'exception', entityId: id, action: 'remove', before, at: now });
      return before;
    })
    .immediate();
}
