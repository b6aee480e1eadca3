'use client';

/**
 * Exception approvals in the UI: the state of an exception (pending, approved by whom,
 * rejected), a lead's approve / reject buttons, and the list of proposals waiting for a lead
 * (rules page). The server decides who may do what; these only offer what will work.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  exceptionCreateResponseSchema,
  pendingExceptionsResponseSchema,
  type ExceptionDecisionInput,
  type RuleExceptionValue,
} from '@/lib/contracts/rules';
import { fetchJson } from '@/lib/queries/fetch-json';
import { ErrorBox } from '@/components/ui/error-box';
import { Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';
import { usePermissions } from '@/components/auth/use-permissions';

export function pendingExceptionsQuery() {
  return queryOptions({
    queryKey: ['rules', 'exceptions', 'pending'],
    queryFn: ({ signal }) => fetchJson('/api/rules/exceptions/pending', pendingExceptionsResponseSchema, { signal }),
    refetchInterval: 30_000,
  });
}

export function decideException(ruleId: string, exceptionId: string, body: ExceptionDecisionInput) {
  return fetchJson(`/api/rules/${encodeURIComponent(ruleId)}/exceptions/${encodeURIComponent(exceptionId)}`, exceptionCreateResponseSchema, {
    method: 'POST',
    body,
  });
}

/** "Pending approval" / "Approved by lee" / "Rejected by lee" / "In force" (older than approvals). */
export function ExceptionState({ x }: { x: Pick<RuleExceptionValue, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote'> }) {
  const t = useT();
  const text =
    x.status === 'pending'
      ? t('excState.pending')
      : x.status === 'rejected'
        ? t('excState.rejected', { name: x.decidedBy ?? '?' })
        : x.decidedBy
          ? t('excState.approved', { name: x.decidedBy })
          : t('excState.inForce');
  return (
    <span data-testid="exception-state" data-state={x.status}>
      <strong>{text}</strong>
      {x.decidedAt ? (
        <>
          {' · '}
          <Timestamp iso={x.decidedAt} />
        </>
      ) : null}
      {x.decisionNote ? <span className="small muted" style={{ display: 'block', whiteSpace: 'pre-wrap' }}>{x.decisionNote}</span> : null}
    </span>
  );
}

/** Approve / reject buttons for a lead on someone else's pending proposal (nothing otherwise). */
export function DecisionButtons({ x, ruleName }: { x: RuleExceptionValue; ruleName: string }) {
  const t = useT();
  const qc = useQueryClient();
  const perms = usePermissions();
  const [done, setDone] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') => decideException(x.ruleId, x.id, { decision }),
    onSuccess: (res) => {
      if (res.exception.status === 'approved' && res.closedAlertIds.length) setDone(t('excDecide.approvedClosed', { count: res.closedAlertIds.length }));
      return Promise.all([qc.invalidateQueries({ queryKey: ['rules'] }), qc.invalidateQueries({ queryKey: ['alerts'] })]);
    },
  });
  if (x.status !== 'pending' || !perms.can('exception:approve')) return done ? <p role="status" className="small">{done}</p> : null;
  if (x.createdBy === perms.name) return <span className="small muted">{t('excDecide.own')}</span>;
  return (
    <span className="toolbar">
      {(['approve', 'reject'] as const).map((d) => (
        <button
          key={d}
          type="button"
          className={d === 'approve' ? 'primary' : 'danger'}
          disabled={decide.isPending}
          onClick={() => decide.mutate(d)}
          aria-label={t(`excDecide.${d}Label`, { name: x.createdBy, rule: ruleName })}
        >
          {t(`excDecide.${d}`)}
        </button>
      ))}
      {decide.isError ? <ErrorBox title={t('excDecide.error')} error={decide.error} /> : null}
    </span>
  );
}

/** One exception's entries as text (field, not, operator, values). */
export function ExceptionEntries({ x }: { x: Pick<RuleExceptionValue, 'entries'> }) {
  const t = useT();
  return (
    <>
      {x.entries.map((e, i) => (
        <div key={i} className="mono">
          {e.field} {e.negate ? `${t('op.not')} ` : ''}
          {t(`op.${e.operator}`)} {e.values.join(', ')}
        </div>
      ))}
    </>
  );
}

/** The rules page's list of proposals waiting for a lead, across rules (shown when there are any). */
export function PendingExceptions() {
  const t = useT();
  const pending = useQuery(pendingExceptionsQuery());
  if (pending.isError) return <ErrorBox title={t('excPending.error')} error={pending.error} />;
  const items = pending.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="exceptions-pending-title" data-testid="exceptions-pending">
      <h2 id="exceptions-pending-title">
        {t('excPending.title')} ({items.length})
      </h2>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('excPending.rule')}</th>
            <th scope="col">{t('excPending.entries')}</th>
            <th scope="col">{t('rules.comment')}</th>
            <th scope="col">{t('excPending.by')}</th>
            <th scope="col">{t('excPending.expires')}</th>
            <th scope="col">{t('rules.state')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((x) => (
            <tr key={x.id} data-testid="pending-exception-row">
              <td>{x.ruleName ?? x.ruleId}</td>
              <td>
                <ExceptionEntries x={x} />
                {x.closeMatchingAlerts ? <div className="small muted">{t('excPending.closes')}</div> : null}
              </td>
              <td style={{ whiteSpace: 'pre-wrap' }}>{x.comment}</td>
              <td>
                {x.createdBy} · <Timestamp iso={x.createdAt} />
              </td>
              <td>{x.expiresAt ? <Timestamp iso={x.expiresAt} /> : t('common.never')}</td>
              <td>
                <ExceptionState x={x} /> <DecisionButtons x={x} ruleName={x.ruleName ?? x.ruleId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
