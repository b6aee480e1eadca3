'use client';

import { Fragment, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  backfillProgressQuery,
  deleteException,
  reloadRuleFiles,
  ruleExceptionsQuery,
  rulesListQuery,
  runRuleNow,
  setRuleEnabled,
  startBackfill,
} from '@/lib/queries/rules';
import { errorMessage } from '@/lib/queries/fetch-json';
import type { RuleListItem } from '@/lib/contracts/rules';
import { ErrorBox } from '@/components/ui/error-box';
import { Timestamp } from '@/components/ui/timestamp';
import { SeverityBadge } from '@/components/ui/badges';
import { severitySchema } from '@/lib/contracts/alerts';
import { useT } from '@/components/i18n/use-t';
import { usePermissions } from '@/components/auth/use-permissions';
import type { Translate } from '@/lib/i18n';

type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed';

/** The permissions the rules page shows controls for (the API checks each again). */
interface RulePermissions {
  /** enable/disable, run now, backfill (admins) */
  manage: boolean;
  /** remove an exception (leads and admins) */
  deleteException: boolean;
}

function runStatus(t: Translate, status: RunStatus): string {
  return t(`run.${status}`);
}

export function RulesTable() {
  const t = useT();
  const perms = usePermissions();
  const allowed: RulePermissions = { manage: perms.can('rules:manage'), deleteException: perms.can('exception:delete') };
  const rules = useQuery(rulesListQuery());
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="page">
      <h1>{t('rules.title')}</h1>
      {allowed.manage ? <ReloadRules /> : null}
      {rules.data && rules.data.errors.length ? (
        <div className="notice" data-testid="rule-file-errors">
          <h2 className="small">{t('rules.fileErrors')}</h2>
          <ul>
            {rules.data.errors.map((e) => (
              <li key={`${e.file}\u0000${e.message}`}>
                <span className="mono">{e.file}</span>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {rules.isError ? <ErrorBox title={t('rules.loadError')} error={rules.error} /> : null}
      {rules.isPending ? <p className="muted">{t('rules.loading')}</p> : null}
      {rules.data ? (
        rules.data.items.length === 0 ? (
          <p className="muted">{t('rules.none')}</p>
        ) : (
          <table className="data rules-table">
            <thead>
              <tr>
                <th scope="col">{t('rules.enabled')}</th>
                <th scope="col">{t('rules.rule')}</th>
                <th scope="col">{t('rules.severity')}</th>
                <th scope="col">{t('rules.interval')}</th>
                <th scope="col">{t('rules.lastWindow')}</th>
                <th scope="col">{t('rules.hits')}</th>
                <th scope="col">{t('rules.alerts')}</th>
                <th scope="col">{t('rules.result')}</th>
                <th scope="col">{t('rules.pendingGap')}</th>
                <th scope="col">{t('rules.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((r) => (
                <Fragment key={r.ruleId}>
                  <RuleRow rule={r} allowed={allowed} expanded={open === r.ruleId} onExpand={() => setOpen(open === r.ruleId ? null : r.ruleId)} />
                  {open === r.ruleId ? (
                    <tr>
                      <td colSpan={10}>
                        <RuleDetail rule={r} allowed={allowed} />
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

/** Read the rule files again (admins): what was added, upgraded and removed. */
function ReloadRules() {
  const t = useT();
  const qc = useQueryClient();
  const reload = useMutation({ mutationFn: reloadRuleFiles, onSettled: () => qc.invalidateQueries({ queryKey: ['rules'] }) });
  const r = reload.data;
  return (
    <div className="rules-reload">
      <button type="button" disabled={reload.isPending} onClick={() => reload.mutate()}>
        {reload.isPending ? t('rules.reloading') : t('rules.reload')}
      </button>
      <div role="status" data-testid="rules-reloaded">
        {r ? (
          <>
            <p className="small">
              {t('rules.reloaded', { rules: r.rules, added: r.added.length, upgraded: r.upgraded.length, removed: r.removed.length })}{' '}
              {r.upgraded.length ? t('rules.reloadKeeps') : null}
            </p>
            {r.added.length + r.upgraded.length + r.removed.length ? (
              <ul className="small">
                {r.added.map((a) => (
                  <li key={`a-${a.ruleId}`}>{t('rules.reloadItem.added', { name: a.name, version: a.version })}</li>
                ))}
                {r.upgraded.map((u) => (
                  <li key={`u-${u.ruleId}`}>{t('rules.reloadItem.upgraded', { name: u.name, from: u.from, to: u.to })}</li>
                ))}
                {r.removed.map((x) => (
                  <li key={`r-${x.ruleId}`}>{t('rules.reloadItem.removed', { name: x.name, version: x.version })}</li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>
      {reload.isError ? <ErrorBox title={t('rules.reload')} error={reload.error} /> : null}
    </div>
  );
}

function RuleRow({ rule, allowed, expanded, onExpand }: { rule: RuleListItem; allowed: RulePermissions; expanded: boolean; onExpand: () => void }) {
  const t = useT();
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
        {allowed.manage ? (
          <label>
            <input type="checkbox" checked={rule.enabled} disabled={toggle.isPending} onChange={(e) => toggle.mutate(e.target.checked)} />
            <span className="sr-only">{t('rules.enabledFor', { name: rule.name })}</span>
          </label>
        ) : (
          <span className="small" data-testid="rule-enabled">
            {rule.enabled ? t('rules.on') : t('rules.off')}
          </span>
        )}
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
          t('rules.neverRun')
        )}
      </td>
      <td className="mono">{last?.hits ?? '—'}</td>
      <td className="mono">{last?.alertsCreated ?? '—'}</td>
      <td style={{ whiteSpace: 'normal', maxWidth: '20rem' }}>
        {rule.running ? t('rules.running') : last ? (last.error ? <span title={last.error}>{runStatus(t, last.status)}: {last.error}</span> : runStatus(t, last.status)) : '—'}
        {rule.consecutiveFailures > 0 ? <span className="small"> {t('rules.failures', { count: rule.consecutiveFailures })}</span> : null}
      </td>
      <td className="small">
        {rule.pendingGap ? (
          <>
            <Timestamp iso={rule.pendingGap.from} /> → <Timestamp iso={rule.pendingGap.to} />
          </>
        ) : (
          t('common.none')
        )}
      </td>
      <td>
        <span className="actions">
          {allowed.manage ? (
            <button type="button" onClick={() => run.mutate()} disabled={run.isPending} aria-label={t('rules.runNowFor', { name: rule.name })}>
              {run.isPending ? t('rules.runningNow') : t('rules.runNow')}
            </button>
          ) : null}
          <button type="button" onClick={onExpand} aria-expanded={expanded}>
            {allowed.manage ? t('rules.backfillAndExceptions') : t('rules.exceptionsButton')}
            <span className="sr-only">: {rule.name}</span>
          </button>
        </span>
        {run.isError ? (
          <div className="small" role="alert">
            {errorMessage(run.error)}
          </div>
        ) : run.data ? (
          <div className="small" role="status">
            {t('rules.ran', { hits: run.data.run.hits, alerts: run.data.run.alertsCreated })}
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

function RuleDetail({ rule, allowed }: { rule: RuleListItem; allowed: RulePermissions }) {
  return (
    <div className="form-grid" style={{ padding: '0.4rem 0' }}>
      {allowed.manage ? <Backfill rule={rule} /> : null}
      <Exceptions rule={rule} canDelete={allowed.deleteException} />
    </div>
  );
}

function Backfill({ rule }: { rule: RuleListItem }) {
  const t = useT();
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
  return (
    <section aria-label={t('rules.backfillFor', { name: rule.name })}>
      <h3>{t('rules.backfill')}</h3>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new Date(from);
          const end = new Date(to);
          if (Number.isNaN(f.getTime()) || Number.isNaN(end.getTime()) || f >= end) {
            setFormError(t('rules.startBeforeEnd'));
            return;
          }
          setFormError(null);
          start.mutate({ from: f.toISOString(), to: end.toISOString() });
        }}
      >
        <label className="field">
          <span>{t('rules.from')}</span>
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('rules.to')}</span>
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit" disabled={start.isPending}>
          {t('rules.startBackfill')}
        </button>
      </form>
      {formError ? (
        <p className="error-box" role="alert">
          {formError}
        </p>
      ) : null}
      {start.isError ? <ErrorBox title={t('rules.backfillNotStarted')} error={start.error} /> : null}
      {progress.isError ? <ErrorBox title={t('rules.noProgress')} error={progress.error} /> : null}
      {b ? (
        <div role="status" aria-live="polite" className="small">
          <progress max={Math.max(1, b.totalChunks)} value={b.doneChunks} aria-label={t('rules.backfillProgress')} /> {t('rules.windows', { done: b.doneChunks, total: b.totalChunks })} ·{' '}
          {t('rules.alertsCount', { count: b.alertsCreated })} · {runStatus(t, b.status)} (<Timestamp iso={b.range.from} /> → <Timestamp iso={b.range.to} />)
          {b.errors.map((e, i) => (
            <div key={i} role="alert">
              {e.window.from} → {e.window.to}: {e.message}
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}

function Exceptions({ rule, canDelete }: { rule: RuleListItem; canDelete: boolean }) {
  const t = useT();
  const qc = useQueryClient();
  const exceptions = useQuery(ruleExceptionsQuery(rule.ruleId));
  const remove = useMutation({
    mutationFn: (id: string) => deleteException(rule.ruleId, id),
    onSettled: () => qc.invalidateQueries({ queryKey: ['rules', 'exceptions', rule.ruleId] }),
  });
  return (
    <section aria-label={t('rules.exceptionsFor', { name: rule.name })}>
      <h3>{t('rules.exceptions')}</h3>
      {exceptions.isError ? <ErrorBox title={t('rules.exceptionsError')} error={exceptions.error} /> : null}
      {exceptions.data && exceptions.data.items.length === 0 ? <p className="small muted">{t('rules.noExceptions')}</p> : null}
      {exceptions.data && exceptions.data.items.length ? (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('rules.entries')}</th>
              <th scope="col">{t('rules.comment')}</th>
              <th scope="col">{t('rules.expires')}</th>
              <th scope="col">{t('rules.created')}</th>
              {canDelete ? (
                <th scope="col">
                  <span className="sr-only">{t('rules.remove')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {exceptions.data.items.map((x) => (
              <tr key={x.id} data-testid="exception-row">
                <td className="mono">
                  {x.entries.map((e, i) => (
                    <div key={i}>
                      {e.field} {e.negate ? `${t('op.not')} ` : ''}
                      {t(`op.${e.operator}`)} {e.values.join(', ')}
                    </div>
                  ))}
                </td>
                <td style={{ whiteSpace: 'pre-wrap' }}>{x.comment}</td>
                <td>{x.expiresAt ? <Timestamp iso={x.expiresAt} /> : t('common.never')}</td>
                <td>
                  {x.createdBy} · <Timestamp iso={x.createdAt} />
                </td>
                {canDelete ? (
                  <td>
                    <button type="button" className="danger" onClick={() => remove.mutate(x.id)} disabled={remove.isPending} aria-label={t('rules.removeException', { id: x.id })}>
                      {t('rules.remove')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {remove.isError ? <ErrorBox title={t('rules.removeError')} error={remove.error} /> : null}
    </section>
  );
}
