'use client';

import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertValue } from '@/lib/contracts/alerts';
import { exceptionCreateSchema, exceptionOperatorSchema, type ExceptionOperator } from '@/lib/contracts/rules';
import { describeIssues } from '@/lib/contracts/errors';
import { createException, ruleExceptionsQuery } from '@/lib/queries/rules';
import { fieldValues } from '@/lib/eql/document';
import { describeError } from '@/lib/queries/error-text';
import { Dialog } from '@/components/ui/dialog';
import { ChoiceSelect } from '@/components/ui/choice-select';
import { useT } from '@/components/i18n/use-t';
import { usePermissions } from '@/components/auth/use-permissions';
import { DecisionButtons, ExceptionEntries, ExceptionState } from '@/components/rules/exception-approvals';
import { DismissAction, SubmitActions } from './dialog-actions';

/** Days an exception lasts when no expiry is given (the server's default, lib/detection/exceptions). */
const DEFAULT_DAYS = 30;

export interface ExceptionDialogProps {
  open: boolean;
  alert: AlertValue;
  onClose: () => void;
}

interface Draft {
  include: boolean;
  field: string;
  operator: ExceptionOperator;
  values: string;
}

/** Fields offered from the alert's source event, in the order an analyst reads them. */
const PREFILL_FIELDS = ['process.executable', 'process.name', 'file.path', 'host.name', 'user.name', 'process.parent.executable', 'process.code_signature.subject_name'];

function prefill(alert: AlertValue): Draft[] {
  const drafts: Draft[] = [];
  for (const field of PREFILL_FIELDS) {
    // the one document reader (dotted and nested keys, arrays): one value → is, several → is one of
    const vs = [...new Set(fieldValues(alert.event._source, field).map(String))];
    if (vs.length === 1) drafts.push({ include: field === 'process.executable' || field === 'file.path', field, operator: 'is', values: vs[0]! });
    else if (vs.length > 1) drafts.push({ include: false, field, operator: 'is_one_of', values: vs.join('\n') });
  }
  if (drafts.length === 0) drafts.push({ include: true, field: '', operator: 'is', values: '' });
  return drafts;
}

export function ExceptionDialog({ open, alert, onClose }: ExceptionDialogProps) {
  const t = useT();
  return (
    <Dialog open={open} title={t('exc.title', { rule: alert.ruleName })} onClose={onClose}>
      {open ? <ExceptionForm alert={alert} onDone={onClose} /> : null}
    </Dialog>
  );
}

function ExceptionForm({ alert, onDone }: { alert: AlertValue; onDone: () => void }) {
  const qc = useQueryClient();
  const t = useT();
  const perms = usePermissions();
  const inForceAtOnce = perms.can('exception:approve');
  const [drafts, setDrafts] = useState<Draft[]>(() => prefill(alert));
  const [neverExpires, setNeverExpires] = useState(false);
  const [comment, setComment] = useState(alert.verdict === 'benign_true_positive' ? t('verdict.benign_true_positive') : '');
  const [expires, setExpires] = useState('');
  const [closeMatching, setCloseMatching] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof createException>[1]) => createException(alert.ruleId, body),
    onSuccess: (res) => {
      const n = res.closedAlertIds.length;
      setResult(res.exception.status === 'pending' ? t('exc.proposed') : n ? t('exc.addedClosed', { count: n }) : t('exc.added'));
      return qc.invalidateQueries({ queryKey: ['alerts'] }).then(() => qc.invalidateQueries({ queryKey: ['rules'] }));
    },
    onError: (err) => setError(describeError(t, err)),
  });

  function update(i: number, patch: Partial<Draft>) {
    setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  }

  function submit() {
    const entries = drafts
      .filter((d) => d.include)
      .map((d) => ({
        field: d.field.trim(),
        operator: d.operator,
        values:
          d.operator === 'exists'
            ? []
            : d.operator === 'is_one_of'
              ? d.values.split('\n').map((v) => v.trim()).filter(Boolean)
              : [d.values],
      }));
    let expiresAt: string | null = null;
    if (expires && !neverExpires) {
      const when = new Date(expires);
      if (Number.isNaN(when.getTime())) {
        setError(t('exc.badExpiry'));
        return;
      }
      expiresAt = when.toISOString();
    }
    const body = { entries, comment, expiresAt, neverExpires: inForceAtOnce && neverExpires, closeMatchingAlerts: closeMatching, fromAlertId: alert.id };
    const parsed = exceptionCreateSchema.safeParse(body);
    if (!parsed.success) {
      setError(describeIssues(parsed.error));
      return;
    }
    setError(null);
    mutation.mutate(body);
  }

  if (result) {
    return (
      <div>
        <p role="status">{result}</p>
        <DismissAction label={t('exc.done')} onClick={onDone} />
      </div>
    );
  }

  return (
    <form
      className="form-grid"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="small muted">{inForceAtOnce ? t('exc.introInForce') : t('exc.introProposal')}</p>
      <PendingOfRule alert={alert} />
      {drafts.map((d, i) => (
        <fieldset key={i} className="entry-row" aria-label={t('exc.entry', { n: i + 1 })}>
          <label>
            <input type="checkbox" checked={d.include} onChange={(e) => update(i, { include: e.target.checked })} />
            <span className="sr-only">{t('exc.useEntry', { n: i + 1 })}</span>
          </label>
          <label className="field">
            <span>{t('exc.field')}</span>
            <input className="mono" value={d.field} onChange={(e) => update(i, { field: e.target.value })} />
          </label>
          <label className="field">
            <span>{t('exc.operator')}</span>
            <ChoiceSelect
              options={exceptionOperatorSchema.options}
              value={d.operator}
              onChange={(operator) => update(i, { operator })}
              label={(op) => t(`op.${op}`)}
            />
          </label>
          <label className="field">
            <span>{d.operator === 'is_one_of' ? t('exc.values') : d.operator === 'matches' ? t('exc.pattern') : t('exc.value')}</span>
            {d.operator === 'is_one_of' ? (
              <textarea className="mono" value={d.values} onChange={(e) => update(i, { values: e.target.value })} />
            ) : (
              <input className="mono" value={d.values} disabled={d.operator === 'exists'} onChange={(e) => update(i, { values: e.target.value })} />
            )}
          </label>
        </fieldset>
      ))}
      <div>
        <button type="button" onClick={() => setDrafts([...drafts, { include: true, field: '', operator: 'is', values: '' }])}>
          {t('exc.addEntry')}
        </button>
      </div>
      <label className="field">
        <span>{t('exc.comment')}</span>
        <textarea value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('exc.expiresDefault', { days: DEFAULT_DAYS })}</span>
        <input type="datetime-local" value={expires} disabled={neverExpires} onChange={(e) => setExpires(e.target.value)} />
      </label>
      {inForceAtOnce ? (
        <label>
          <input type="checkbox" checked={neverExpires} onChange={(e) => setNeverExpires(e.target.checked)} /> {t('exc.neverExpires')}
        </label>
      ) : null}
      <label>
        <input type="checkbox" checked={closeMatching} onChange={(e) => setCloseMatching(e.target.checked)} /> {t('exc.closeOnApproval')}
      </label>
      <SubmitActions error={error} onCancel={onDone} submitLabel={inForceAtOnce ? t('exc.submit') : t('exc.submitProposal')} pending={mutation.isPending} />
    </form>
  );
}

/** The rule's proposals waiting for a lead (leads approve or reject them here too). */
function PendingOfRule({ alert }: { alert: AlertValue }) {
  const t = useT();
  const list = useQuery(ruleExceptionsQuery(alert.ruleId));
  const pending = (list.data?.items ?? []).filter((x) => x.status === 'pending');
  return (
    <section aria-labelledby="exc-pending-title" className="small" data-testid="exception-dialog-pending">
      <h3 id="exc-pending-title" className="small">
        {t('exc.pendingTitle')} ({pending.length})
      </h3>
      {pending.length === 0 ? <p className="muted">{t('exc.pendingNone')}</p> : null}
      <ul>
        {pending.map((x) => (
          <li key={x.id}>
            <ExceptionEntries x={x} />
            <span>
              {x.createdBy} · <ExceptionState x={x} />
            </span>{' '}
            <DecisionButtons x={x} ruleName={alert.ruleName} />
          </li>
        ))}
      </ul>
    </section>
  );
}
