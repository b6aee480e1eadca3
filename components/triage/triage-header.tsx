'use client';

import Link from 'next/link';
import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
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
import { CopyButton } from '@/components/ui/copy-button';
import { MiddleCut } from '@/components/shell/middle-cut';
import type { EvidenceKind } from '@/lib/contracts/guide';
import type { MessageKey } from '@/lib/i18n';
import { isTypingTarget } from './alert-queue';
import { neighbourAlert, queueHref } from './queue-memory';
import { SubmitActions } from './dialog-actions';

const noSubscription = () => () => {};

/** the verdict each close shortcut preselects */
const verdictKeys: Record<string, VerdictValue> = { t: 'true_positive', b: 'benign_true_positive', f: 'false_positive' };

/** An entity of the header whose evidence the panel can show instead of a step's. */
export type HeaderEntity = { kind: 'host' | 'user' | 'process' | 'file'; value: string };

/** The evidence about each kind of entity (all of it is about the alert's own host, user, process, file). */
export const entityEvidenceKinds: Record<HeaderEntity['kind'], EvidenceKind[]> = {
  host: ['related_alerts', 'logons'],
  user: ['logons', 'related_alerts'],
  process: ['process_tree', 'process_activity'],
  file: ['hash'],
};

export const entityLabelKeys: Record<HeaderEntity['kind'], MessageKey> = {
  host: 'triage.host',
  user: 'triage.user',
  process: 'triage.process',
  file: 'triage.file',
};

export interface TriageHeaderProps {
  data: AlertDetailResponse;
  completed: number;
  total: number;
  busy: boolean;
  onPatch: (patch: AlertPatch) => void;
  onNote: (body: string) => void;
  /** show the evidence about an entity of the header (host, user, process, file) */
  onEntity: (entity: HeaderEntity) => void;
}

export function TriageHeader({ data, completed, total, busy, onPatch, onEntity }: TriageHeaderProps) {
  const { alert } = data;
  // closing: the dialog is open, with this verdict chosen (null: none yet)
  const [closing, setClosing] = useState<{ verdict: VerdictValue | null } | null>(null);
  const router = useRouter();
  // the queue as the analyst left it, and its alerts before and after this one (this tab's memory)
  // (read from sessionStorage in the browser; the server renders the plain queue link)
  const navText = useSyncExternalStore(
    noSubscription,
    () => JSON.stringify([queueHref(), neighbourAlert(alert.id, -1), neighbourAlert(alert.id, 1)]),
    () => JSON.stringify(['/alerts', null, null]),
  );
  const nav = useMemo(() => {
    const [queue, prev, next] = JSON.parse(navText) as [string, string | null, string | null];
    return { queue, prev, next };
  }, [navText]);
  const [excepting, setExcepting] = useState(false);
  const t = useT();
  const perms = usePermissions();
  // only what the role may do on this alert is offered (the API refuses the rest anyway)
  const myName = perms.can('work') ? perms.name : null;
  const canWork = perms.canWork(alert.assignee);
  const pct = total ? Math.round((completed / total) * 100) : 0;

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey || busy) return;
      if (isTypingTarget(e.target) || document.querySelector('dialog[open]')) return;
      const go = (id: string | null) => id && router.push(`/alerts/${encodeURIComponent(id)}`);
      if (e.key === ']') go(nav.next);
      else if (e.key === '[') go(nav.prev);
      else if (e.key === 'A' && canWork && alert.status === 'open') onPatch({ expectedVersion: alert.version, status: 'acknowledged' });
      else if (e.key === 'm' && myName && alert.assignee === null) onPatch({ expectedVersion: alert.version, assignee: myName });
      else if (verdictKeys[e.key] && canWork && alert.status !== 'closed') setClosing({ verdict: verdictKeys[e.key]! });
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [alert, busy, canWork, myName, nav, onPatch, router]);

  const mitre = [...new Set(alert.mitre.map((m) => [m.tacticId, m.techniqueId].filter(Boolean).join('/')))].join(', ');
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
        <EntityFact kind="host" value={alert.hostName} onEntity={onEntity} />
        <EntityFact kind="user" value={alert.userName} onEntity={onEntity} />
        <EntityFact kind="process" value={alert.processName} onEntity={onEntity} />
        <EntityFact kind="file" value={alert.filePath} onEntity={onEntity} />
        <Fact label={t('triage.alertTime')} copy={alert.timestamp}>
          <Timestamp iso={alert.timestamp} />
        </Fact>
        <Fact label={t('assign.assignee')} copy={alert.assignee}>
          <TextValue value={alert.assignee ?? t('triage.unassigned')} />
        </Fact>
        {mitre ? (
          <Fact label={t('triage.mitre')} copy={mitre}>
            <TextValue value={mitre} />
          </Fact>
        ) : null}
      </dl>
      <div className="actions">
        <Link href={nav.queue} className="small" data-testid="back-to-queue">
          {t('triage.back')}
        </Link>
        {nav.prev ? (
          <Link href={`/alerts/${encodeURIComponent(nav.prev)}`} className="small" data-testid="prev-alert">
            {t('triage.prevAlert')}
          </Link>
        ) : null}
        {nav.next ? (
          <Link href={`/alerts/${encodeURIComponent(nav.next)}`} className="small" data-testid="next-alert">
            {t('triage.nextAlert')}
          </Link>
        ) : null}
        {canWork && alert.status === 'open' ? (
          <button type="button" disabled={busy} onClick={() => onPatch({ expectedVersion: alert.version, status: 'acknowledged' })}>
            {t('triage.acknowledge')}
          </button>
        ) : null}
        {canWork ? (
          alert.status !== 'closed' ? (
            <button type="button" className="primary" disabled={busy} onClick={() => setClosing({ verdict: null })}>
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
        open={closing !== null}
        verdict={closing?.verdict ?? null}
        onClose={() => setClosing(null)}
        onSubmit={(verdict, note) => {
          onPatch({ expectedVersion: alert.version, status: 'closed', verdict, ...(note ? { note } : {}) });
          setClosing(null);
        }}
      />
      <ExceptionDialog open={excepting} alert={alert} onClose={() => setExcepting(false)} />
    </div>
  );
}

/** A labelled value of the header (`children`); `copy`, when there is one, gets a copy button. */
function Fact({ label, copy, children }: { label: string; copy?: string | null; children: ReactNode }) {
  const t = useT();
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {children}
        {copy ? <CopyButton compact text={copy} label={t('copy.what', { what: label })} /> : null}
      </dd>
    </div>
  );
}

/** A value as text, cut with an ellipsis when long (whole on hover). */
function TextValue({ value }: { value: string | null }) {
  return (
    <span className="fact-value" title={value ?? undefined}>
      {value ?? '—'}
    </span>
  );
}

/** Host, user, process or file: the value links to the evidence about it, and can be copied. */
function EntityFact({ kind, value, onEntity }: { kind: HeaderEntity['kind']; value: string | null; onEntity: (entity: HeaderEntity) => void }) {
  const t = useT();
  const label = t(entityLabelKeys[kind]);
  return (
    <Fact label={label} copy={value}>
      {value ? (
        <button
          type="button"
          className="link fact-value"
          title={value}
          aria-controls="evidence"
          aria-label={t('triage.showEvidence', { what: `${label} ${value}` })}
          data-testid={`entity-${kind}`}
          onClick={() => onEntity({ kind, value })}
        >
          {kind === 'file' ? <MiddleCut path={value} /> : value}
        </button>
      ) : (
        <TextValue value={null} />
      )}
    </Fact>
  );
}

function CloseDialog({
  open,
  verdict: chosen,
  onClose,
  onSubmit,
}: {
  open: boolean;
  /** the verdict chosen by a shortcut (the note then has focus: Ctrl+Enter closes) */
  verdict: VerdictValue | null;
  onClose: () => void;
  onSubmit: (verdict: VerdictValue, note: string) => void;
}) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog open={open} title={t('close.title')} onClose={onClose}>
      <form
        key={chosen ?? 'none'}
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
              <input type="radio" name="verdict" value={v} required defaultChecked={v === chosen} /> {t(`verdict.${v}`)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('close.note')}</span>
          <textarea name="note" data-autofocus={chosen !== null ? '' : undefined} />
        </label>
        <SubmitActions error={error} onCancel={onClose} submitLabel={t('close.submit')} />
      </form>
    </Dialog>
  );
}
