'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { AlertDetailResponse } from '@/lib/contracts/triage';
import { verdictSchema, type AlertPatch, type VerdictValue } from '@/lib/contracts/alerts';
import { SeverityBadge, StatusBadge, VerdictText } from '@/components/ui/badges';
import { Timestamp } from '@/components/ui/timestamp';
import { Dialog } from '@/components/ui/dialog';
import { ExceptionDialog } from './exception-dialog';
import { caseExportUrl } from '@/lib/contracts/export';
import { AssignControl } from '@/components/auth/assign-control';
import { usePermissions } from '@/components/auth/use-permissions';
import { useT } from '@/components/i18n/use-t';

export interface TriageHeaderProps {
  data: AlertDetailResponse;
  completed: number;
  total: number;
  busy: boolean;
  onPatch: (patch: AlertPatch) => void;
  onNote: (body: string) => void;
}

export function TriageHeader({ data, completed, total, busy, onPatch }: TriageHeaderProps) {
  const { alert } = data;
  const [closing, setClosing] = useState(false);
  const [excepting, setExcepting] = useState(false);
  const t = useT();
  const perms = usePermissions();
  // only what the role may do on this alert is offered (the API refuses the rest anyway)
  const myName = perms.can('work') ? perms.name : null;
  const canWork = perms.canWork(alert.assignee);
  const pct = total ? Math.round((completed / total) * 100) : 0;
  return (
    <div className="triage-header" data-testid="triage-header">
      <div className="triage-title">
        <h1>{alert.ruleName}</h1>
        <SeverityBadge severity={alert.severity} />
        <span className="small">
          {t('triage.risk')} <span className="mono">{alert.riskScore}</span>
        </span>
        <StatusBadge status={alert.status} />
        <span className="small" data-testid="verdict">
          <VerdictText verdict={alert.verdict} />
        </span>
        <span className="progress small" data-testid="progress">
          <span className="progress-bar" aria-hidden="true">
            <span style={{ width: `${pct}%` }} />
          </span>
          {t('triage.progress', { done: completed, total })}
        </span>
      </div>
      <dl className="facts">
        <Fact label={t('triage.host')} value={alert.hostName} />
        <Fact label={t('triage.user')} value={alert.userName} />
        <Fact label={t('triage.process')} value={alert.processName} />
        <Fact label={t('triage.file')} value={alert.filePath} />
        <div>
          <dt>{t('triage.alertTime')}</dt>
          <dd>
            <Timestamp iso={alert.timestamp} />
          </dd>
        </div>
        <Fact label={t('assign.assignee')} value={alert.assignee ?? t('triage.unassigned')} />
        {alert.mitre.length ? (
          <Fact label={t('triage.mitre')} value={[...new Set(alert.mitre.map((m) => [m.tacticId, m.techniqueId].filter(Boolean).join('/')))].join(', ')} />
        ) : null}
      </dl>
      <div className="actions">
        <Link href="/alerts" className="small">
          {t('triage.back')}
        </Link>
        {canWork && alert.status === 'open' ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ expectedVersion: alert.version, status: 'acknowledged' })}>
            {t('triage.acknowledge')}
          </button>
        ) : null}
        {canWork ? (
          alert.status !== 'closed' ? (
            <button type="button" className="primary" disabled={busy} onClick={() => setClosing(true)}>
              {t('triage.closeWithVerdict')}
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={() => onPatch({ expectedVersion: alert.version, status: 'open', verdict: null })}>
              {t('triage.reopen')}
            </button>
          )
        ) : null}
        {myName && alert.assignee === null ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ expectedVersion: alert.version, assignee: myName })}>
            {t('triage.assignToMe')}
          </button>
        ) : null}
        {myName && alert.assignee === myName ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ expectedVersion: alert.version, assignee: null })}>
            {t('triage.unassignMe')}
          </button>
        ) : null}
        <AssignControl alert={alert} busy={busy} onAssign={onPatch} />
        {perms.can('exception:create') ? (
          <button type="button" disabled={busy} onClick={() => setExcepting(true)}>
            {t('triage.addException')}
          </button>
        ) : null}
        <span className="small">
          {t('triage.export')}{' '}
          <a href={caseExportUrl(alert.id, 'markdown', true)}>{t('export.markdown')}</a> · <a href={caseExportUrl(alert.id, 'json', true)}>{t('export.json')}</a> ·{' '}
          <a href={caseExportUrl(alert.id, 'html')} target="_blank" rel="noopener noreferrer">
            {t('export.report')}
          </a>
        </span>
      </div>
      {perms.ready && !canWork ? (
        <p className="small muted readonly-note" data-testid="read-only">
          {perms.can('work')
            ? t('triage.readOnlyAssigned', { name: alert.assignee ?? '—' })
            : t('triage.readOnlyViewer', { role: perms.role ? t(`role.${perms.role}`) : '' })}
        </p>
      ) : null}
      <CloseDialog
        open={closing}
        onClose={() => setClosing(false)}
        onSubmit={(verdict, note) => {
          onPatch({ expectedVersion: alert.version, status: 'closed', verdict, ...(note ? { note } : {}) });
          setClosing(false);
        }}
      />
      <ExceptionDialog open={excepting} alert={alert} onClose={() => setExcepting(false)} />
    </div>
  );
}

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <div title={value ?? undefined}>
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </div>
  );
}

function CloseDialog({ open, onClose, onSubmit }: { open: boolean; onClose: () => void; onSubmit: (verdict: VerdictValue, note: string) => void }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog open={open} title={t('close.title')} onClose={onClose}>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const verdict = verdictSchema.safeParse(form.get('verdict'));
          if (!verdict.success) {
            setError(t('close.chooseVerdict'));
            return;
          }
          setError(null);
          onSubmit(verdict.data, String(form.get('note') ?? '').trim());
        }}
      >
        <fieldset>
          <legend>{t('close.verdict')}</legend>
          {verdictSchema.options.map((v) => (
            <label key={v} style={{ display: 'block' }}>
              <input type="radio" name="verdict" value={v} required /> {t(`verdict.${v}`)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('close.note')}</span>
          <textarea name="note" />
        </label>
        {error ? (
          <p className="error-box" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('close.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
