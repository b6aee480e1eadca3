'use client';

import { Fragment, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  backfillProgressQuery,
  deleteException,
  ruleExceptionsQuery,
  rulesListQuery,
  runRuleNow,
  setRuleEnabled,
  startBackfill,
} from '@/lib/queries/rules';
import { errorMessage } from '@/lib/queries/fetch-json';
import { exceptionOperatorLabels, type RuleListItem } from '@/lib/contracts/rules';
import { ErrorBox } from '@/components/ui/error-box';
import { Timestamp } from '@/components/ui/timestamp';
import { SeverityBadge } from '@/components/ui/badges';
import { severitySchema } from '@/lib/contracts/alerts';

export function RulesTable() {
  const rules = useQuery(rulesListQuery());
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="page">
      <h1>Rules</h1>
      {rules.isError ? <ErrorBox title="Could not load the rules." error={rules.error} /> : null}
      {rules.isPending ? <p className="muted">Loading rules…</p> : null}
      {rules.data ? (
        rules.data.items.length === 0 ? (
          <p className="muted">No rules are loaded.</p>
        ) : (
          <table className="data rules-table">
            <thead>
              <tr>
                <th scope="col">Enabled</th>
                <th scope="col">Rule</th>
                <th scope="col">Severity</th>
                <th scope="col">Interval</th>
                <th scope="col">Last run window</th>
                <th scope="col">Hits</th>
                <th scope="col">Alerts</th>
                <th scope="col">Result</th>
                <th scope="col">Pending gap</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((r) => (
                <Fragment key={r.ruleId}>
                  <RuleRow rule={r} expanded={open === r.ruleId} onExpand={() => setOpen(open === r.ruleId ? null : r.ruleId)} />
                  {open === r.ruleId ? (
                    <tr>
                      <td colSpan={10}>
                        <RuleDetail rule={r} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </div>
  );
}

function RuleRow({ rule, expanded, onExpand }: { rule: RuleListItem; expanded: boolean; onExpand: () => void }) {
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => setRuleEnabled({ ruleId: rule.ruleId, enabled }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['rules'] }),
  });
  const run = useMutation({
    mutationFn: () => runRuleNow(rule.ruleId),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: ['rules'] }), qc.invalidateQueries({ queryKey: ['alerts'] })]),
  });
  const last = rule.lastRun;
  const sev = severitySchema.safeParse(rule.severity);
  return (
    <tr data-testid="rule-row" data-rule-id={rule.ruleId}>
      <td>
        <label>
          <input type="checkbox" checked={rule.enabled} disabled={toggle.isPending} onChange={(e) => toggle.mutate(e.target.checked)} />
          <span className="sr-only">Enabled: {rule.name}</span>
        </label>
        {toggle.isError ? <span className="small" role="alert"> {errorMessage(toggle.error)}</span> : null}
      </td>
      <td style={{ whiteSpace: 'normal' }}>
        {rule.name} <span className="muted small">v{rule.version ?? '?'}</span>
      </td>
      <td>{sev.success ? <SeverityBadge severity={sev.data} /> : rule.severity}</td>
      <td className="mono">{rule.interval ?? '—'}</td>
      <td className="small">
        {last ? (
          <>
            <Timestamp iso={last.from} /> → <Timestamp iso={last.to} />
          </>
        ) : (
          'never run'
        )}
      </td>
      <td className="mono">{last?.hits ?? '—'}</td>
      <td className="mono">{last?.alertsCreated ?? '—'}</td>
      <td style={{ whiteSpace: 'normal', maxWidth: '20rem' }}>
        {rule.running ? 'running…' : last ? (last.error ? <span title={last.error}>{last.status}: {last.error}</span> : last.status) : '—'}
        {rule.consecutiveFailures > 0 ? <span className="small"> ({rule.consecutiveFailures} failures in a row)</span> : null}
      </td>
      <td className="small">
        {rule.pendingGap ? (
          <>
            <Timestamp iso={rule.pendingGap.from} /> → <Timestamp iso={rule.pendingGap.to} />
          </>
        ) : (
          'none'
        )}
      </td>
      <td>
        <span className="actions">
          <button type="button" onClick={() => run.mutate()} disabled={run.isPending} aria-label={`Run now: ${rule.name}`}>
            {run.isPending ? 'Running…' : 'Run now'}
          </button>
          <button type="button" onClick={onExpand} aria-expanded={expanded}>
            Backfill and exceptions<span className="sr-only">: {rule.name}</span>
          </button>
        </span>
        {run.isError ? (
          <div className="small" role="alert">
            {errorMessage(run.error)}
          </div>
        ) : run.data ? (
          <div className="small" role="status">
            {run.data.run.hits} hits, {run.data.run.alertsCreated} new alerts
          </div>
        ) : null}
      </td>
    </tr>
  );
}

function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function RuleDetail({ rule }: { rule: RuleListItem }) {
  const qc = useQueryClient();
  const [from, setFrom] = useState(() => toLocalInput(new Date(Date.now() - 24 * 3600_000)));
  const [to, setTo] = useState(() => toLocalInput(new Date()));
  const [formError, setFormError] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: (w: { from: string; to: string }) => startBackfill(rule.ruleId, w),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['rules', 'backfill', rule.ruleId] }),
  });
  const progress = useQuery(backfillProgressQuery(rule.ruleId));
  const b = progress.data?.backfill;
  const exceptions = useQuery(ruleExceptionsQuery(rule.ruleId));
  const remove = useMutation({
    mutationFn: (id: string) => deleteException(rule.ruleId, id),
    onSettled: () => qc.invalidateQueries({ queryKey: ['rules', 'exceptions', rule.ruleId] }),
  });
  return (
    <div className="form-grid" style={{ padding: '0.4rem 0' }}>
      <section aria-label={`Backfill ${rule.name}`}>
        <h3>Backfill</h3>
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new Date(from);
            const t = new Date(to);
            if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime()) || f >= t) {
              setFormError('Give a start before the end.');
              return;
            }
            setFormError(null);
            start.mutate({ from: f.toISOString(), to: t.toISOString() });
          }}
        >
          <label className="field">
            <span>From (local)</span>
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="field">
            <span>To (local)</span>
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit" disabled={start.isPending}>
            Start backfill
          </button>
        </form>
        {formError ? (
          <p className="error-box" role="alert">
            {formError}
          </p>
        ) : null}
        {start.isError ? <ErrorBox title="Backfill did not start." error={start.error} /> : null}
        {progress.isError ? <ErrorBox title="No backfill progress." error={progress.error} /> : null}
        {b ? (
          <div role="status" aria-live="polite" className="small">
            <progress max={Math.max(1, b.totalChunks)} value={b.doneChunks} aria-label="Backfill progress" /> {b.doneChunks} of {b.totalChunks} windows ·{' '}
            {b.alertsCreated} alerts · {b.status} (<Timestamp iso={b.range.from} /> → <Timestamp iso={b.range.to} />)
            {b.errors.map((e, i) => (
              <div key={i} role="alert">
                {e.window.from} → {e.window.to}: {e.message}
              </div>
            ))}
          </div>
        ) : null}
      </section>
      <section aria-label={`Exceptions of ${rule.name}`}>
        <h3>Exceptions</h3>
        {exceptions.isError ? <ErrorBox title="Could not load the exceptions." error={exceptions.error} /> : null}
        {exceptions.data && exceptions.data.items.length === 0 ? <p className="small muted">No exceptions.</p> : null}
        {exceptions.data && exceptions.data.items.length ? (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Entries</th>
                <th scope="col">Comment</th>
                <th scope="col">Expires</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {exceptions.data.items.map((x) => (
                <tr key={x.id} data-testid="exception-row">
                  <td className="mono">
                    {x.entries.map((e, i) => (
                      <div key={i}>
                        {e.field} {e.negate ? 'not ' : ''}
                        {exceptionOperatorLabels[e.operator]} {e.values.join(', ')}
                      </div>
                    ))}
                  </td>
                  <td style={{ whiteSpace: 'pre-wrap' }}>{x.comment}</td>
                  <td>{x.expiresAt ? <Timestamp iso={x.expiresAt} /> : 'never'}</td>
                  <td>
                    {x.createdBy} · <Timestamp iso={x.createdAt} />
                  </td>
                  <td>
                    <button type="button" className="danger" onClick={() => remove.mutate(x.id)} disabled={remove.isPending} aria-label={`Remove exception ${x.id}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {remove.isError ? <ErrorBox title="Could not remove the exception." error={remove.error} /> : null}
      </section>
    </div>
  );
}
