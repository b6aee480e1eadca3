/**
 * Rule exceptions (false-positive analysis): created from an alert with entries prefilled
 * from its fields, a comment and an optional expiry. Unexpired exceptions go with every run
 * of the rule (the event source drops matching events before EQL runs), so they suppress
 * future alerts; on creation they can also close the rule's open alerts they match
 * (evaluated here in JS against each alert's event).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ExceptionEntry } from '../events/types';
import type { Alert, Verdict } from './types';
import { getDb } from '../store/db';
import { deleteException, getException, insertException, listExceptionsOf, type RuleException } from '../store/exceptions';
import { listUnclosedAlertsOfRule, updateAlertRow, getAlertRow } from '../store/alerts';
import { appendAudit } from '../store/audit';
import { appendNote } from '../store/notes';
import { CaseError } from '../cases/errors';
import { getFieldValues } from './fields';
import { itemMatches } from './exception-match';

export type { RuleException };

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

export const exceptionEntrySchema = z
  .object({
    field: z.string().trim().min(1, 'field is required').max(256),
    operator: z.enum(['is', 'is_one_of', 'matches', 'exists']),
    values: z.array(z.string().max(4096)).max(1000).default([]),
    negate: z.boolean().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.operator !== 'exists' && e.values.length === 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `operator ${e.operator} needs at least one value` });
    if (e.operator === 'is' && e.values.length > 1) ctx.addIssue({ code: 'custom', path: ['values'], message: 'operator is takes one value (use is_one_of)' });
  });

export const createExceptionSchema = z.object({
  ruleId: z.string().trim().min(1),
  entries: z.array(exceptionEntrySchema).min(1, 'an exception needs at least one entry').max(50),
  comment: z.string().trim().max(20_000).default(''),
  /** ISO date-time; absent or null = never expires */
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
  /** the alert it is created from */
  fromAlertId: z.string().optional(),
  /** close the rule's open / acknowledged alerts the exception matches */
  closeMatchingAlerts: z.boolean().default(false),
  /** verdict given to the alerts it closes (default benign_true_positive) */
  closeVerdict: z.enum(['true_positive', 'benign_true_positive', 'false_positive']).default('benign_true_positive'),
});
export type CreateExceptionInput = z.input<typeof createExceptionSchema>;

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

/** Whether an exception's entries match an alert (for sequences: any of its events). */
export function exceptionMatchesAlert(entries: ExceptionEntry[], alert: Pick<Alert, 'event' | 'sequenceEvents'>): boolean {
  const item = { id: 'preview', entries };
  const events = alert.sequenceEvents && alert.sequenceEvents.length ? alert.sequenceEvents : [alert.event];
  return events.some((e) => itemMatches(e._source, item));
}

/** The rule's unclosed alerts an exception would close (preview). */
export function alertsMatchingEntries(ruleId: string, entries: ExceptionEntry[]): Alert[] {
  return listUnclosedAlertsOfRule(ruleId).filter((a) => exceptionMatchesAlert(entries, a));
}

function invalid(error: z.ZodError): CaseError {
  return new CaseError('invalid_request', error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; '));
}

/**
 * Create an exception (audited); optionally close the open alerts it matches (each close
 * audited, with a note naming the exception). All in one transaction.
 */
export function createException(input: unknown, ctx: { actor: string; now?: Date }): { exception: RuleException; closedAlertIds: string[] } {
  const parsed = createExceptionSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  const p = parsed.data;
  const now = (ctx.now ?? new Date()).toISOString();
  const expiresAt = p.expiresAt ? new Date(p.expiresAt).toISOString() : null;
  if (expiresAt && expiresAt <= now) throw new CaseError('invalid_request', `expiresAt: ${p.expiresAt} is already past`);
  const entries: ExceptionEntry[] = p.entries.map((e) => ({ field: e.field, operator: e.operator, values: e.operator === 'exists' ? [] : e.values, ...(e.negate ? { negate: true } : {}) }));
  const db = getDb();
  return db
    .transaction(() => {
      if (p.fromAlertId) {
        const from = getAlertRow(p.fromAlertId, db);
        if (!from) throw new CaseError('not_found', `alert ${p.fromAlertId} not found`);
        if (from.ruleId !== p.ruleId) throw new CaseError('invalid_request', `fromAlertId: alert ${p.fromAlertId} belongs to rule ${from.ruleId}, not ${p.ruleId}`);
      }
      const exception: RuleException = {
        id: randomUUID(),
        ruleId: p.ruleId,
        entries,
        comment: p.comment,
        expiresAt,
        createdBy: ctx.actor,
        createdAt: now,
        sourceAlertId: p.fromAlertId ?? null,
      };
      insertException(exception, db);
      appendAudit({ actor: ctx.actor, entity: 'exception', entityId: exception.id, action: 'create', after: exception, at: now }, db);
      const closedAlertIds: string[] = [];
      if (p.closeMatchingAlerts) {
        for (const alert of alertsMatchingEntries(p.ruleId, entries)) {
          const verdict: Verdict = p.closeVerdict;
          const note = `Closed by exception ${exception.id}${p.comment ? `: ${p.comment}` : ''}`;
          if (!updateAlertRow(alert.id, { status: 'closed', verdict, closingNote: note, closedAt: now, ...(alert.acknowledgedAt ? {} : { acknowledgedAt: now }) }, alert.version, now, db)) continue;
          appendNote({ alertId: alert.id, body: note, author: ctx.actor, createdAt: now }, db);
          appendAudit(
            {
              actor: ctx.actor,
              entity: 'alert',
              entityId: alert.id,
              action: 'close',
              before: { status: alert.status, verdict: alert.verdict, assignee: alert.assignee, version: alert.version },
              after: { status: 'closed', verdict, closingNote: note, exceptionId: exception.id, version: alert.version + 1 },
              at: now,
            },
            db,
          );
          closedAlertIds.push(alert.id);
        }
      }
      return { exception, closedAlertIds };
    })
    .immediate();
}

/** Exceptions of a rule (with expired ones unless `activeOnly`). */
export function listExceptions(ruleId: string, opts: { activeOnly?: boolean; now?: Date } = {}): RuleException[] {
  return listExceptionsOf(ruleId, opts.activeOnly ? (opts.now ?? new Date()).toISOString() : undefined);
}

/** Remove an exception (audited). Future runs no longer apply it. */
export function removeException(id: string, ctx: { actor: string; now?: Date; /** refuse when it belongs to another rule */ ruleId?: string }): RuleException {
  const now = (ctx.now ?? new Date()).toISOString();
  const db = getDb();
  return db
    .transaction(() => {
      const before = getException(id, db);
      if (!before || (ctx.ruleId !== undefined && before.ruleId !== ctx.ruleId)) {
        throw new CaseError('not_found', `exception ${id} not found${ctx.ruleId ? ` on rule ${ctx.ruleId}` : ''}`);
      }
      deleteException(id, db);
      appendAudit({ actor: ctx.actor, entity: 'exception', entityId: id, action: 'remove', before, at: now }, db);
      return before;
    })
    .immediate();
}
