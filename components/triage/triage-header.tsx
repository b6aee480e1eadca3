'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { AlertDetailResponse } from '@/lib/contracts/triage';
import { verdictLabels, verdictSchema, type AlertPatch, type VerdictValue } from '@/lib/contracts/alerts';
import { SeverityBadge, StatusBadge, VerdictText } from '@/components/ui/badges';
import { Timestamp } from '@/components/ui/timestamp';
import { Dialog } from '@/components/ui/dialog';
import { ExceptionDialog } from './exception-dialog';
import { useQuery } from '@tanstack/react-query';
import { meQuery } from '@/lib/queries/auth';
import { caseExportUrl } from '@/lib/contracts/export';
import { AssignControl } from '@/components/auth/assign-control';

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
  const me = useQuery(meQuery());
  const myName = me.data?.can.work ? me.data.user.name : null;
  const pct = total ? Math.round((completed / total) * 100) : 0;
  return (
    <div className="triage-header" data-testid="triage-header">
      <div className="triage-title">
        <h1>{alert.ruleName}</h1>
        <SeverityBadge severity={alert.severity} />
        <span className="small">
          risk <span className="mono">{alert.riskScore}</span>
        </span>
        <StatusBadge status={alert.status} />
        <span className="small" data-testid="verdict">
          <VerdictText verdict={alert.verdict} />
        </span>
        <span className="progress small" data-testid="progress">
          <span className="progress-bar" aria-hidden="true">
            <span style={{ width: `${pct}%` }} />
          </span>
          {completed} of {total} steps
        </span>
      </div>
      <dl className="facts">
        <Fact label="Host" value={alert.hostName} />
        <Fact label="User" value={alert.userName} />
        <Fact label="Process" value={alert.processName} />
        <Fact label="File" value={alert.filePath} />
        <div>
          <dt>Alert time</dt>
          <dd>
            <Timestamp iso={alert.timestamp} />
          </dd>
        </div>
        <Fact label="Assignee" value={alert.assignee ?? 'unassigned'} />
        {alert.mitre.length ? (
          <Fact label="MITRE" value={[...new Set(alert.mitre.map((m) => [m.tacticId, m.techniqueId].filter(Boolean).join('/')))].join(', ')} />
        ) : null}
      </dl>
      <div className="actions">
        <Link href="/alerts" className="small">
          ← Queue
        </Link>
        {alert.status === 'open' ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ expectedVersion: alert.version, status: 'acknowledged' })}>
            Acknowledge
          </button>
        ) : null}
        {alert.status !== 'closed' ? (
          <button type="button" className="primary" disabled={busy} onClick={() => setClosing(true)}>
            Close with verdict…
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => onPatch({ expectedVersion: alert.version, status: 'open', verdict: null })}>
            Reopen
          </button>
        )}
        {myName && alert.assignee === null ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ expectedVersion: alert.version, assignee: myName })}>
            Assign to me
          </button>
        ) : null}
        {myName && alert.assignee === myName ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ expectedVersion: alert.version, assignee: null })}>
            Unassign me
          </button>
        ) : null}
        <AssignControl alert={alert} busy={busy} onAssign={onPatch} />
        <button type="button" disabled={busy} onClick={() => setExcepting(true)}>
          Add exception…
        </button>
        <span className="small">
          Export:{' '}
          <a href={caseExportUrl(alert.id, 'markdown', true)}>Markdown</a> · <a href={caseExportUrl(alert.id, 'json', true)}>JSON</a> ·{' '}
          <a href={caseExportUrl(alert.id, 'html')} target="_blank" rel="noopener noreferrer">
            Printable report
          </a>
        </span>
      </div>
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
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog open={open} title="Close the alert" onClose={onClose}>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const verdict = verdictSchema.safeParse(form.get('verdict'));
          if (!verdict.success) {
            setError('Choose a verdict.');
            return;
          }
          setError(null);
          onSubmit(verdict.data, String(form.get('note') ?? '').trim());
        }}
      >
        <fieldset>
          <legend>Verdict</legend>
          {verdictSchema.options.map((v) => (
            <label key={v} style={{ display: 'block' }}>
              <input type="radio" name="verdict" value={v} required /> {verdictLabels[v]}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Closing note</span>
          <textarea name="note" />
        </label>
        {error ? (
          <p className="error-box" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Close alert
          </button>
        </div>
      </form>
    </Dialog>
  );
}
