'use client';

import { toggled } from '@/components/ui/toggled';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { incidentDetailQuery, incidentMutations, incidentTimelineQuery } from '@/lib/queries/incidents';
import { assignableQuery, meQuery } from '@/lib/queries/auth';
import type { IncidentDetailResponse, IncidentMemberValue, StormRowValue } from '@/lib/contracts/incidents';
import { verdictSchema } from '@/lib/contracts/alerts';
import { reasonText } from '@/lib/incidents/reason-text';
import { SeverityBadge, StatusBadge, VerdictText } from '@/components/ui/badges';
import { Timestamp, formatUtc } from '@/components/ui/timestamp';
import { ErrorBox } from '@/components/ui/error-box';
import { VerdictSelect } from '@/components/ui/verdict-select';
import { useLanguage, useT, errorText } from '@/components/i18n/use-t';
import styles from './incidents.module.css';

/** One incident: its alerts and why each is there, timeline, entities, response checklist, actions, history. */
export function IncidentView({ id }: { id: string }) {
  const t = useT();
  const router = useRouter();
  const q = useQuery(incidentDetailQuery(id));
  const realId = q.data?.incident.id;
  // an absorbed incident's id answers with the incident that absorbed it: show that one's address
  useEffect(() => {
    if (realId && realId !== id) router.replace(`/incidents/${encodeURIComponent(realId)}`);
  }, [realId, id, router]);
  if (q.isError) return <div className="page"><ErrorBox title={t('inc.loadFailed')} error={q.error} /></div>;
  if (!q.data) return <div className="page" role="status">{t('common.loading')}</div>;
  const d = q.data;
  return (
    <div>
      <Header d={d} />
      <div className={styles.layout}>
        <div>
          <AlertsSection d={d} />
          <TimelineSection id={d.incident.id} />
        </div>
        <div>
          <ChecklistSection d={d} />
          <EntitiesSection d={d} />
          <HistorySection d={d} />
        </div>
      </div>
    </div>
  );
}

function useIncidentMutation<T, R>(fn: (arg: T) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => qc.invalidateQueries({ queryKey: ['incidents'] }),
  });
}

function MutationError({ error }: { error: unknown }) {
  const t = useT();
  const lang = useLanguage();
  if (!error) return null;
  return (
    <p className="error-box" role="alert">
      {errorText(t, lang, error)}
    </p>
  );
}

/** Whether the signed-in user may work this incident: a role that works, and a lead or its assignee (or nobody's yet). */
function useIncidentWork(inc: IncidentDetailResponse['incident']) {
  const me = useQuery(meQuery());
  const canWork = !!me.data?.can.work && (me.data.can.assign || inc.assignee === null || inc.assignee === me.data.user.name);
  return { me, canWork };
}

function Header({ d }: { d: IncidentDetailResponse }) {
  const t = useT();
  const inc = d.incident;
  const { me, canWork } = useIncidentWork(inc);
  const canAssign = !!me.data?.can.assign;
  const assignable = useQuery(assignableQuery(canAssign));
  const patch = useIncidentMutation((body: Parameters<typeof incidentMutations.patch>[1]) => incidentMutations.patch(inc.id, body));
  const [verdict, setVerdict] = useState('');
  const [note, setNote] = useState('');
  const verdictId = useId();
  const noteId = useId();
  const assignId = useId();
  const othersId = useId();
  const parsedVerdict = verdictSchema.safeParse(verdict);
  // alerts not closed that someone else owns: an analyst's close may not close them (the server refuses it too)
  const othersAlerts = me.data ? d.members.filter((m) => m.status !== 'closed' && m.assignee !== null && m.assignee !== me.data!.user.name) : [];
  const blockedByOthers = othersAlerts.length > 0 && !canAssign;
  const othersNames = [...new Set(othersAlerts.map((m) => m.assignee!))].join(', ');
  return (
    <section className="triage-header" aria-labelledby="incident-title">
      <div className="triage-title">
        <Link href="/incidents">← {t('inc.back')}</Link>
        <h1 id="incident-title" style={{ margin: 0, fontSize: '1.2rem' }} className="mono">
          {inc.id}
        </h1>
        <SeverityBadge severity={inc.severity} />
        <StatusBadge status={inc.status} />
        <span className="muted">{t('inc.summary', { alerts: inc.alertCount, open: inc.openAlerts, hosts: inc.hosts.length })}</span>
        {inc.verdict ? (
          <span>
            {t('inc.verdictOf', { verdict: '' })}
            <VerdictText verdict={inc.verdict} />
          </span>
        ) : null}
      </div>
      <div className="facts">
        <span>
          {t('inc.col.assignee')}: {inc.assignee ?? t('dash.unassigned')}
        </span>
        <span>
          {t('inc.col.firstSeen')}: <Timestamp iso={inc.firstSeen} />
        </span>
        <span>
          {t('inc.col.lastSeen')}: <Timestamp iso={inc.lastSeen} />
        </span>
        <span>
          {t('inc.col.risk')}: {inc.riskScore}
        </span>
        <span className={styles.inline}>
          {t('inc.export')}:
          <a href={`/api/incidents/${encodeURIComponent(inc.id)}/export?format=markdown`}>{t('export.markdown')}</a>
          <a href={`/api/incidents/${encodeURIComponent(inc.id)}/export?format=json`}>{t('export.json')}</a>
          <a href={`/api/incidents/${encodeURIComponent(inc.id)}/export?format=report`} target="_blank" rel="noreferrer">
            {t('export.report')}
          </a>
        </span>
      </div>
      {canWork ? (
        <div className="actions">
          {inc.status === 'open' ? (
            <button type="button" disabled={patch.isPending} onClick={() => patch.mutate({ expectedVersion: inc.version, status: 'acknowledged' })}>
              {t('inc.acknowledge')}
            </button>
          ) : null}
          {inc.assignee === null && me.data ? (
            <button type="button" disabled={patch.isPending} onClick={() => patch.mutate({ expectedVersion: inc.version, assignee: me.data!.user.name })}>
              {t('inc.takeIt')}
            </button>
          ) : null}
          {inc.assignee !== null && inc.assignee === me.data?.user.name ? (
            <button type="button" disabled={patch.isPending} onClick={() => patch.mutate({ expectedVersion: inc.version, assignee: null })}>
              {t('inc.release')}
            </button>
          ) : null}
          {canAssign && assignable.data ? (
            <span className={styles.inline}>
              <label htmlFor={assignId}>{t('inc.assign')}</label>
              <select
                id={assignId}
                value={inc.assignee ?? ''}
                disabled={patch.isPending}
                onChange={(e) => patch.mutate({ expectedVersion: inc.version, assignee: e.target.value || null })}
              >
                <option value="">{t('dash.unassigned')}</option>
                {assignable.data.items.map((u) => (
                  <option key={u.name} value={u.name}>
                    {u.name}
                  </option>
                ))}
              </select>
            </span>
          ) : null}
          {inc.status === 'closed' ? (
            <button type="button" disabled={patch.isPending} onClick={() => patch.mutate({ expectedVersion: inc.version, status: 'open' })}>
              {t('inc.reopen')}
            </button>
          ) : (
            <form
              className={styles.inline}
              aria-label={t('inc.close')}
              onSubmit={(e) => {
                e.preventDefault();
                if (!parsedVerdict.success) return;
                patch.mutate({ expectedVersion: inc.version, status: 'closed', verdict: parsedVerdict.data, note: note.trim() || undefined });
              }}
            >
              <label htmlFor={verdictId}>{t('inc.close.verdict')}</label>
              <VerdictSelect id={verdictId} value={verdict} onChange={setVerdict} testId="incident-verdict" />
              <label htmlFor={noteId}>{t('inc.close.note')}</label>
              <input id={noteId} value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} />
              <button type="submit" className="primary" disabled={!parsedVerdict.success || patch.isPending || blockedByOthers} aria-describedby={othersAlerts.length ? othersId : undefined}>
                {t('inc.close.submit')}
              </button>
              {othersAlerts.length ? (
                <span id={othersId} className={blockedByOthers ? 'error-box' : 'muted'} data-testid="incident-close-others">
                  {t(blockedByOthers ? 'inc.close.othersBlocked' : 'inc.close.othersIncluded', { n: othersAlerts.length, names: othersNames })}
                </span>
              ) : null}
            </form>
          )}
        </div>
      ) : null}
      {patch.data?.closedAlerts ? (
        <p role="status" className="muted">
          {t('inc.close.done', { n: patch.data.closedAlerts.length })}
        </p>
      ) : null}
      <MutationError error={patch.error} />
    </section>
  );
}

function AlertsSection({ d }: { d: IncidentDetailResponse }) {
  const t = useT();
  const router = useRouter();
  const inc = d.incident;
  const canWork = useIncidentWork(inc).canWork && inc.status !== 'closed';
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [mergeIds, setMergeIds] = useState('');
  const [moveAlert, setMoveAlert] = useState('');
  const [moveTo, setMoveTo] = useState('');
  const split = useIncidentMutation((ids: string[]) => incidentMutations.split(inc.id, ids, inc.version));
  const merge = useIncidentMutation((ids: string[]) => incidentMutations.merge(inc.id, ids, inc.version));
  const move = useIncidentMutation((a: { alertId: string; to: string }) => incidentMutations.move(inc.id, a.alertId, a.to));
  const mergeId = useId();
  const moveAlertId = useId();
  const moveToId = useId();
  const toggle = (id: string) => setSelected((prev) => toggled(prev, id));
  return (
    <section className={styles.section} aria-labelledby="incident-alerts">
      <h2 id="incident-alerts">{t('inc.alerts')}</h2>
      <ul className="steps" data-testid="incident-alerts">
        {d.rows.map((row) => (
          <StormRow key={row.alertId} row={row} canWork={canWork} selected={selected} toggle={toggle} />
        ))}
      </ul>
      {canWork ? (
        <div style={{ marginTop: '0.6rem' }}>
          <h3 style={{ fontSize: '0.95rem', margin: '0.4rem 0' }}>{t('inc.actions')}</h3>
          <div className={styles.inline}>
            <button
              type="button"
              disabled={selected.size === 0 || split.isPending}
              onClick={() =>
                split.mutate([...selected], {
                  onSuccess: () => setSelected(new Set()),
                })
              }
            >
              {t('inc.split.selected')} ({selected.size})
            </button>
          </div>
          {split.data ? (
            <p role="status">
              <Link href={`/incidents/${encodeURIComponent(split.data.incident.id)}`}>{t('inc.newIncident', { id: split.data.incident.id })}</Link>
            </p>
          ) : null}
          <MutationError error={split.error} />
          <form
            className={styles.inline}
            style={{ marginTop: '0.4rem' }}
            onSubmit={(e) => {
              e.preventDefault();
              const ids = mergeIds.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
              if (ids.length) merge.mutate(ids, { onSuccess: () => setMergeIds('') });
            }}
          >
            <label htmlFor={mergeId}>{t('inc.merge.label')}</label>
            <input id={mergeId} value={mergeIds} onChange={(e) => setMergeIds(e.target.value)} data-testid="merge-input" />
            <button type="submit" disabled={merge.isPending || !mergeIds.trim()}>
              {t('inc.merge.submit')}
            </button>
          </form>
          <MutationError error={merge.error} />
          <form
            className={styles.inline}
            style={{ marginTop: '0.4rem' }}
            onSubmit={(e) => {
              e.preventDefault();
              if (moveAlert && moveTo.trim())
                move.mutate({ alertId: moveAlert, to: moveTo.trim() }, { onSuccess: (r) => router.push(`/incidents/${encodeURIComponent(r.incident.id)}`) });
            }}
          >
            <label htmlFor={moveAlertId}>{t('inc.move.alert')}</label>
            <select id={moveAlertId} value={moveAlert} onChange={(e) => setMoveAlert(e.target.value)}>
              <option value="">—</option>
              {d.members.map((m) => (
                <option key={m.alertId} value={m.alertId}>
                  {m.ruleName} · {formatUtc(m.timestamp)}
                </option>
              ))}
            </select>
            <label htmlFor={moveToId}>{t('inc.move.label')}</label>
            <input id={moveToId} value={moveTo} onChange={(e) => setMoveTo(e.target.value)} />
            <button type="submit" disabled={move.isPending || !moveAlert || !moveTo.trim()}>
              {t('inc.move.submit')}
            </button>
          </form>
          <MutationError error={move.error} />
        </div>
      ) : null}
    </section>
  );
}

function StormRow({ row, canWork, selected, toggle }: { row: StormRowValue; canWork: boolean; selected: Set<string>; toggle: (id: string) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const first = row.alerts[0]!;
  if (row.count === 1) return <MemberItem m={first} canWork={canWork} selected={selected} toggle={toggle} />;
  return (
    <li className="step" data-testid="incident-storm" data-count={row.count}>
      <div className="step-row">
        <span className="step-text">
          <SeverityBadge severity={first.severity} /> <strong>{row.ruleName}</strong> · {row.hostName ?? '—'} · <span className="mono">{row.subject}</span>
          <br />
          <span className={styles.reason}>{t('inc.storm', { n: row.count, first: formatUtc(row.first), last: formatUtc(row.last) })}</span>
        </span>
        <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? t('inc.storm.collapse', { n: row.count }) : t('inc.storm.expand', { n: row.count })}
        </button>
      </div>
      {open ? (
        <ul className={styles.nested}>
          {row.alerts.map((m) => (
            <MemberItem key={m.alertId} m={m} canWork={canWork} selected={selected} toggle={toggle} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function MemberItem({ m, canWork, selected, toggle }: { m: IncidentMemberValue; canWork: boolean; selected: Set<string>; toggle: (id: string) => void }) {
  const t = useT();
  return (
    <li className="step" data-testid="incident-alert" data-alert-id={m.alertId}>
      <div className="step-row">
        {canWork ? (
          <input type="checkbox" checked={selected.has(m.alertId)} onChange={() => toggle(m.alertId)} aria-label={t('inc.select', { id: `${m.ruleName} ${formatUtc(m.timestamp)}` })} />
        ) : null}
        <span className="step-text">
          <SeverityBadge severity={m.severity} /> <Link href={`/alerts/${encodeURIComponent(m.alertId)}`}>{m.ruleName}</Link> · {m.hostName ?? '—'}
          {m.userName ? ` · ${m.userName}` : ''} · <Timestamp iso={m.timestamp} /> <StatusBadge status={m.status} />
          <br />
          <span className={styles.reason} data-testid="incident-reason">
            {reasonText(t, m.reason)}
          </span>
        </span>
      </div>
    </li>
  );
}

function TimelineSection({ id }: { id: string }) {
  const t = useT();
  const q = useQuery(incidentTimelineQuery(id));
  return (
    <section className={styles.section} aria-labelledby="incident-timeline">
      <h2 id="incident-timeline">{t('inc.timeline')}</h2>
      {q.isError ? <ErrorBox title={t('inc.timeline')} error={q.error} /> : null}
      {!q.data ? (
        <p role="status">{t('inc.timeline.loading')}</p>
      ) : (
        <>
          {q.data.sourceError ? <p className="notice">{t('inc.timeline.sourceError', { message: q.data.sourceError })}</p> : null}
          {q.data.truncated ? <p className="notice">{t('inc.timeline.truncated')}</p> : null}
          <table className={styles.table} data-testid="incident-timeline">
            <thead>
              <tr>
                <th scope="col">{t('inc.timeline.time')}</th>
                <th scope="col">{t('inc.timeline.host')}</th>
                <th scope="col">{t('inc.timeline.kind')}</th>
                <th scope="col">{t('inc.timeline.what')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((it, i) => (
                <tr key={it.alertId ?? (it.event ? `${it.event._index}/${it.event._id}` : i)} className={it.kind === 'alert' ? styles.kindAlert : undefined}>
                  <td>
                    <Timestamp iso={it.time} />
                  </td>
                  <td>{it.host ?? '—'}</td>
                  <td>{it.kind === 'alert' ? t('inc.timeline.alert') : it.kind}</td>
                  <td style={{ wordBreak: 'break-word' }}>
                    {it.alertId ? <Link href={`/alerts/${encodeURIComponent(it.alertId)}`}>{it.summary}</Link> : it.summary}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function EntitiesSection({ d }: { d: IncidentDetailResponse }) {
  const t = useT();
  return (
    <section className={styles.section} aria-labelledby="incident-entities">
      <h2 id="incident-entities">{t('inc.entities')}</h2>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">{t('inc.entity.kind')}</th>
            <th scope="col">{t('inc.entity.value')}</th>
            <th scope="col">{t('inc.entity.alerts')}</th>
          </tr>
        </thead>
        <tbody>
          {d.entities.map((e) => (
            <tr key={`${e.kind}:${e.value}`}>
              <td>{t(`inc.entity.${e.kind}`)}</td>
              <td className="mono" style={{ wordBreak: 'break-all' }}>
                {e.value}
              </td>
              <td>{e.alerts}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ChecklistSection({ d }: { d: IncidentDetailResponse }) {
  const t = useT();
  const inc = d.incident;
  const { me, canWork } = useIncidentWork(inc);
  const step = useIncidentMutation((a: { stepId: string; state: string; owner?: string | null }) =>
    incidentMutations.step(inc.id, a.stepId, { state: a.state, ...(a.owner !== undefined ? { owner: a.owner } : {}) }),
  );
  const assignable = useQuery(assignableQuery(!!me.data?.can.assign));
  const owners = [...new Set([...(assignable.data?.items.map((u) => u.name) ?? []), ...(me.data ? [me.data.user.name] : [])])].sort();
  return (
    <section className={styles.section} aria-labelledby="incident-checklist">
      <h2 id="incident-checklist">
        {t('inc.checklist')} ({inc.progress.done}/{inc.progress.total})
      </h2>
      <ul className={styles.steps}>
        {d.steps.map((s) => {
          const text = t(`inc.step.${s.stepId}` as Parameters<typeof t>[0]);
          return (
            <li key={s.stepId} className={styles.step} data-testid="incident-step" data-state={s.state}>
              <span aria-hidden="true">{s.state === 'done' ? '✓' : s.state === 'not_applicable' ? '–' : '○'}</span>
              <span className={styles.stepText}>
                {text} <span className="sr-only">({t(`inc.step.state.${s.state}`)})</span>
              </span>
              {canWork ? (
                <>
                  <select
                    aria-label={t('inc.step.ownerOf', { step: text })}
                    value={s.owner ?? ''}
                    disabled={step.isPending}
                    onChange={(e) => step.mutate({ stepId: s.stepId, state: s.state, owner: e.target.value || null })}
                  >
                    <option value="">{t('inc.step.owner')}: —</option>
                    {[...new Set([...owners, ...(s.owner ? [s.owner] : [])])].map((o) => (
                      <option key={o} value={o}>
                        {o}
                      </option>
                    ))}
                  </select>
                  {s.state === 'open' ? (
                    <>
                      <button type="button" disabled={step.isPending} onClick={() => step.mutate({ stepId: s.stepId, state: 'done' })}>
                        {t('inc.step.done')}
                      </button>
                      <button type="button" disabled={step.isPending} onClick={() => step.mutate({ stepId: s.stepId, state: 'not_applicable' })}>
                        {t('inc.step.na')}
                      </button>
                    </>
                  ) : (
                    <button type="button" disabled={step.isPending} onClick={() => step.mutate({ stepId: s.stepId, state: 'open' })}>
                      {t('inc.step.reopen')}
                    </button>
                  )}
                </>
              ) : s.owner ? (
                <span className="muted">
                  {t('inc.step.owner')}: {s.owner}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <MutationError error={step.error} />
    </section>
  );
}

function HistorySection({ d }: { d: IncidentDetailResponse }) {
  const t = useT();
  return (
    <section className={styles.section} aria-labelledby="incident-history">
      <h2 id="incident-history">{t('inc.history')}</h2>
      {d.history.length === 0 ? (
        <p className="muted">{t('inc.history.empty')}</p>
      ) : (
        <ol className={styles.steps} data-testid="incident-history">
          {d.history.map((h) => (
            <li key={h.id} className={styles.step}>
              <Timestamp iso={h.at} /> <strong>{h.actor}</strong> {h.action}
              <span className="mono small" style={{ wordBreak: 'break-all' }}>
                {h.after ? JSON.stringify(h.after) : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
