'use client';

import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AlertValue } from '@/lib/contracts/alerts';
import { exceptionCreateSchema, exceptionOperatorSchema, type ExceptionOperator } from '@/lib/contracts/rules';
import { describeIssues } from '@/lib/contracts/errors';
import { createException } from '@/lib/queries/rules';
import { errorMessage } from '@/lib/queries/fetch-json';
import { Dialog } from '@/components/ui/dialog';
import { useT } from '@/components/i18n/use-t';

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

export function readField(source: Record<string, unknown>, path: string): unknown {
  if (path in source) return source[path];
  let cur: unknown = source;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function prefill(alert: AlertValue): Draft[] {
  const drafts: Draft[] = [];
  for (const field of PREFILL_FIELDS) {
    const v = readField(alert.event._source, field);
    if (typeof v === 'string' || typeof v === 'number') {
      drafts.push({ include: field === 'process.executable' || field === 'file.path', field, operator: 'is', values: String(v) });
    }
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
  const [drafts, setDrafts] = useState<Draft[]>(() => prefill(alert));
  const [comment, setComment] = useState(alert.verdict === 'benign_true_positive' ? t('verdict.benign_true_positive') : '');
  const [expires, setExpires] = useState('');
  const [closeMatching, setCloseMatching] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof createException>[1]) => createException(alert.ruleId, body),
    onSuccess: (res) => {
      const n = res.closedAlertIds.length;
      setResult(n ? t('exc.addedClosed', { count: n }) : t('exc.added'));
      return qc.invalidateQueries({ queryKey: ['alerts'] }).then(() => qc.invalidateQueries({ queryKey: ['rules'] }));
    },
    onError: (err) => setError(errorMessage(err)),
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
    if (expires) {
      const when = new Date(expires);
      if (Number.isNaN(when.getTime())) {
        setError(t('exc.badExpiry'));
        return;
      }
      expiresAt = when.toISOString();
    }
    const body = { entries, comment, expiresAt, closeMatchingAlerts: closeMatching, fromAlertId: alert.id };
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
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onDone} autoFocus>
            {t('exc.done')}
          </button>
        </div>
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
      <p className="small muted">{t('exc.intro')}</p>
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
            <select value={d.operator} onChange={(e) => update(i, { operator: exceptionOperatorSchema.parse(e.target.value) })}>
              {exceptionOperatorSchema.options.map((op) => (
                <option key={op} value={op}>
                  {t(`op.${op}`)}
                </option>
              ))}
            </select>
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
        <span>{t('exc.expires')}</span>
        <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </label>
      <label>
        <input type="checkbox" checked={closeMatching} onChange={(e) => setCloseMatching(e.target.checked)} /> {t('exc.closeMatching')}
      </label>
      {error ? (
        <p className="error-box" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {t('exc.submit')}
        </button>
      </div>
    </form>
  );
}
