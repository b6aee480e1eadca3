'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { alertDetailQuery, patchAlert, postNote, putStep } from '@/lib/queries/alerts';
import { ApiError } from '@/lib/queries/fetch-json';
import { checklistSectionKinds, flattenSteps, type GuideStep } from '@/lib/contracts/guide';
import type { AlertPatch, StepPut, StepState } from '@/lib/contracts/alerts';
import { alertDetailResponseSchema } from '@/lib/contracts/triage';
import { GuideChecklist } from '@/components/guide/guide-checklist';
import { spansToText } from '@/components/guide/spans';
import { ErrorBox } from '@/components/ui/error-box';
import { Dialog } from '@/components/ui/dialog';
import { entityEvidenceKinds, entityLabelKeys, TriageHeader, type HeaderEntity } from './triage-header';
import { EvidencePanel } from '@/components/evidence/evidence-panel';
import { NotesPanel } from './notes-panel';
import { CloseConfirm } from './close-confirm';
import { AlertHistory } from '@/components/auth/alert-history';
import { usePermissions } from '@/components/auth/use-permissions';
import { useErrorText, useT } from '@/components/i18n/use-t';
import { isTypingTarget } from './alert-queue';
import { neighbourAlert } from './queue-memory';
import { ShortcutsDialog } from './shortcuts';
import { SubmitActions } from './dialog-actions';

/** Focus a step of the checklist (its <li>), or the evidence panel. */
function focusStepElement(id: string) {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="guide-step"][data-step-id="${CSS.escape(id)}"]`)?.focus());
}
function focusEvidence() {
  requestAnimationFrame(() => document.getElementById('evidence')?.focus());
}

export interface TriageViewProps {
  alertId: string;
  /** the detail as the server rendered it (checked against the contract before use) */
  initial?: unknown;
}

type StepDialog = { kind: 'na' | 'note' | 'owner'; step: GuideStep } | null;

export function TriageView({ alertId, initial }: TriageViewProps) {
  const qc = useQueryClient();
  const router = useRouter();
  const t = useT();
  const [showKeys, setShowKeys] = useState(false);
  // after a close: the queue page had no alert after this one
  const [queueDone, setQueueDone] = useState(false);
  const errorText = useErrorText();
  const perms = usePermissions();
  const [seed] = useState(() => {
    const parsed = alertDetailResponseSchema.safeParse(initial);
    return parsed.success ? parsed.data : undefined;
  });
  const detail = useQuery({ ...alertDetailQuery(alertId), initialData: seed });
  const [focusedId, setFocusedId] = useState<string | null>(null);
  // an entity of the header (host, user, process, file) whose evidence is shown instead of the step's
  const [about, setAbout] = useState<HeaderEntity | null>(null);
  const focusStep = useCallback((id: string) => {
    setFocusedId(id);
    setAbout(null);
  }, []);
  const [dialog, setDialog] = useState<StepDialog>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  // a close asked for while checklist steps are open: confirmed once in CloseConfirm
  const [pendingClose, setPendingClose] = useState<{ patch: AlertPatch; open: GuideStep[] } | null>(null);

  const invalidate = useCallback(() => qc.invalidateQueries({ queryKey: ['alerts'] }), [qc]);

  const detailKey = alertDetailQuery(alertId).queryKey;
  const stepMutation = useMutation({
    mutationFn: ({ stepId, body }: { stepId: string; body: StepPut }) => putStep(alertId, stepId, body),
    // the tick shows at once; a refusal puts the previous state back and says why
    onMutate: async ({ stepId, body }) => {
      await qc.cancelQueries({ queryKey: detailKey });
      const previous = qc.getQueryData(detailKey);
      qc.setQueryData(detailKey, (old) => {
        if (!old) return old;
        const prev = old.steps.find((s) => s.stepId === stepId);
        const next: StepState = {
          stepId,
          section: body.section,
          state: body.state ?? prev?.state ?? 'open',
          reason: body.state === undefined ? (prev?.reason ?? null) : (body.reason ?? null),
          note: body.note ?? prev?.note ?? null,
          owner: body.owner !== undefined ? body.owner : (prev?.owner ?? null),
          actor: prev?.actor ?? null,
          updatedAt: prev?.updatedAt ?? null,
          version: prev?.version ?? 0,
        };
        return { ...old, steps: [...old.steps.filter((s) => s.stepId !== stepId), next] };
      });
      return { previous };
    },
    onSuccess: () => setActionError(null),
    onError: (err, _vars, ctx) => {
      if (ctx?.previous) qc.setQueryData(detailKey, ctx.previous);
      // a stale change (409): the server's message says who changed the step; the reload shows it
      setActionError(
        err instanceof ApiError && err.status === 409 ? t('triage.stepConflict', { message: err.message }) : t('triage.stepError', { message: errorText(err) }),
      );
    },
    onSettled: () => invalidate(),
  });
  const patchMutation = useMutation({
    mutationFn: (patch: AlertPatch) => patchAlert(alertId, patch),
    onSuccess: (_res, patch) => {
      setActionError(null);
      // closed: on to the next alert of the queue as it was listed
      if (patch.status === 'closed') {
        const next = neighbourAlert(alertId, 1);
        if (next) router.push(`/alerts/${encodeURIComponent(next)}`);
        else setQueueDone(true);
      }
      return invalidate();
    },
    onError: (err) => {
      setActionError(t('triage.patchError', { message: errorText(err) }));
      return invalidate();
    },
  });
  const noteMutation = useMutation({
    mutationFn: (body: string) => postNote(alertId, { body }),
    onSuccess: () => invalidate(),
    onError: (err) => setActionError(t('triage.noteError', { message: errorText(err) })),
  });

  const data = detail.data;
  // the checklist, notes and step dialogs are offered only to someone who may work this alert
  const canWork = data ? perms.canWork(data.alert.assignee) : false;
  const states = useMemo(() => new Map<string, StepState>((data?.steps ?? []).map((s) => [s.stepId, s])), [data?.steps]);
  const flat = useMemo(
    () =>
      (data?.guide?.sections ?? [])
        .filter((section) => checklistSectionKinds.has(section.kind))
        .flatMap((section) =>
          flattenSteps(section.steps).map((step) => ({ step, section: section.kind === 'response' ? ('response' as const) : ('guide' as const) })),
        ),
    [data?.guide],
  );
  // the history names steps by their text
  const stepTexts = useMemo(() => new Map(flat.map((f) => [f.step.id, spansToText(f.step.spans)])), [flat]);
  const sectionOf = useCallback((id: string) => flat.find((f) => f.step.id === id)?.section ?? 'guide', [flat]);
  const focused = flat.find((f) => f.step.id === focusedId)?.step ?? flat[0]?.step ?? null;

  const saveStep = useCallback(
    (step: GuideStep, patch: Partial<StepPut>) => {
      const prev = states.get(step.id);
      // a state change carries the version it was made on (a stale one is refused); a note
      // or owner never carries the state, so it cannot undo someone else's tick
      const body: StepPut =
        patch.state !== undefined
          ? {
              state: patch.state,
              expectedVersion: prev?.version ?? 0,
              section: sectionOf(step.id),
              ...(patch.state === 'not_applicable' && patch.reason !== undefined ? { reason: patch.reason } : {}),
            }
          : {
              section: sectionOf(step.id),
              ...(patch.note !== undefined ? { note: patch.note } : {}),
              ...(patch.owner !== undefined ? { owner: patch.owner } : {}),
            };
      stepMutation.mutate({ stepId: step.id, body });
    },
    [states, sectionOf, stepMutation],
  );

  const toggle = useCallback(
    (step: GuideStep) => {
      const cur = states.get(step.id)?.state ?? 'open';
      saveStep(step, { state: cur === 'done' ? 'open' : 'done' });
    },
    [states, saveStep],
  );

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey || dialog || showKeys) return;
      if (isTypingTarget(e.target) || document.querySelector('dialog[open]')) return;
      if (e.key === '?') {
        setShowKeys(true);
        e.preventDefault();
        return;
      }
      if (!flat.length) return;
      const idx = Math.max(0, flat.findIndex((f) => f.step.id === focused?.id));
      const cur = flat[idx]?.step;
      switch (e.key) {
        case 'j':
        case 'k': {
          const id = flat[e.key === 'j' ? Math.min(flat.length - 1, idx + 1) : Math.max(0, idx - 1)]!.step.id;
          focusStep(id);
          focusStepElement(id);
          break;
        }
        case 'e':
          // into the focused step's evidence, and from there back to the step
          if (document.activeElement?.closest('#evidence')) {
            if (cur) focusStepElement(cur.id);
          } else focusEvidence();
          break;
        case 'x':
          if (!canWork) return;
          if (cur) toggle(cur);
          break;
        case 'a':
          if (!canWork) return;
          if (cur) setDialog({ kind: 'na', step: cur });
          break;
        case 'n':
          if (!canWork) return;
          if (cur) setDialog({ kind: 'note', step: cur });
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [flat, focused, dialog, toggle, canWork, focusStep, showKeys]);

  if (detail.isPending) return <p className="page muted">{t('triage.loading')}</p>;
  if (detail.isError || !data) return <div className="page"><ErrorBox title={t('triage.loadError')} error={detail.error} /></div>;

  const total = flat.length;
  const completed = flat.filter((f) => {
    const s = states.get(f.step.id)?.state;
    return s === 'done' || s === 'not_applicable';
  }).length;

  return (
    <>
      <TriageHeader
        data={data}
        completed={completed}
        total={total}
        busy={patchMutation.isPending}
        onPatch={(patch) => {
          const open = patch.status === 'closed' ? flat.filter((f) => (states.get(f.step.id)?.state ?? 'open') === 'open').map((f) => f.step) : [];
          if (open.length) setPendingClose({ patch, open });
          else patchMutation.mutate(patch);
        }}
        onNote={(body) => noteMutation.mutate(body)}
        onEntity={setAbout}
      />
      {queueDone ? (
        <div className="page" style={{ paddingBottom: 0 }}>
          <p className="notice" role="status" data-testid="queue-done">
            {t('triage.queueDone')}
          </p>
        </div>
      ) : null}
      {actionError ? (
        <div className="page" style={{ paddingBottom: 0 }}>
          <div className="error-box" role="alert">
            {actionError}
          </div>
        </div>
      ) : null}
      <div className="triage-body">
        <div>
          {data.guide && data.guideVersion !== null && data.rule?.version != null && data.guideVersion !== data.rule.version ? (
            <p className="notice" data-testid="guide-version">
              {t('triage.guideVersion', { version: String(data.guideVersion), current: String(data.rule.version) })}
            </p>
          ) : null}
          {data.guide ? (
            <GuideChecklist
              guide={data.guide}
              states={states}
              focusedId={focused?.id ?? null}
              onFocusStep={focusStep}
              onToggle={toggle}
              onNotApplicable={(step) => setDialog({ kind: 'na', step })}
              onNote={(step) => setDialog({ kind: 'note', step })}
              onOwner={(step) => setDialog({ kind: 'owner', step })}
              busy={false}
              canWork={canWork}
              onEvidence={focusEvidence}
            />
          ) : (
            <p className="notice">{t('triage.noGuide')}</p>
          )}
          <NotesPanel notes={data.notes} onAdd={canWork ? (body) => noteMutation.mutate(body) : null} busy={noteMutation.isPending} />
          <AlertHistory entries={data.audit} stepTexts={stepTexts} />
        </div>
        <EvidencePanel
          alert={data.alert}
          step={focused}
          kinds={about ? entityEvidenceKinds[about.kind] : focused ? (data.evidenceKinds[focused.id] ?? ['none']) : []}
          about={about ? { label: `${t(entityLabelKeys[about.kind])} ${about.value}`, onBack: () => setAbout(null) } : null}
          onBackToStep={focused ? () => focusStepElement(focused.id) : undefined}
        />
      </div>
      <ShortcutsDialog open={showKeys} onClose={() => setShowKeys(false)} />
      <CloseConfirm
        openSteps={pendingClose?.open ?? null}
        total={total}
        onCancel={() => setPendingClose(null)}
        onConfirm={() => {
          if (pendingClose) patchMutation.mutate(pendingClose.patch);
          setPendingClose(null);
        }}
      />
      <StepTextDialog
        dialog={canWork ? dialog : null}
        states={states}
        onClose={() => setDialog(null)}
        onSubmit={(d, text) => {
          if (d.kind === 'na') saveStep(d.step, { state: 'not_applicable', reason: text });
          else if (d.kind === 'note') saveStep(d.step, { note: text });
          else saveStep(d.step, { owner: text || null });
          setDialog(null);
        }}
      />
    </>
  );
}

function StepTextDialog({
  dialog,
  states,
  onClose,
  onSubmit,
}: {
  dialog: StepDialog;
  states: Map<string, StepState>;
  onClose: () => void;
  onSubmit: (d: NonNullable<StepDialog>, text: string) => void;
}) {
  const t = useT();
  const title = !dialog ? '' : dialog.kind === 'na' ? t('stepDialog.naTitle') : dialog.kind === 'note' ? t('stepDialog.noteTitle') : t('stepDialog.ownerTitle');
  const prev = dialog ? states.get(dialog.step.id) : undefined;
  const initial = !dialog ? '' : dialog.kind === 'na' ? (prev?.reason ?? '') : dialog.kind === 'note' ? (prev?.note ?? '') : (prev?.owner ?? '');
  return (
    <Dialog open={dialog !== null} title={title} onClose={onClose}>
      {dialog ? (
        <form
          key={`${dialog.kind}-${dialog.step.id}`}
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            const text = String(new FormData(e.currentTarget).get('text') ?? '').trim();
            if (dialog.kind === 'na' && !text) return;
            onSubmit(dialog, text);
          }}
        >
          <p className="small muted">{spansToText(dialog.step.spans)}</p>
          <label className="field">
            <span>{dialog.kind === 'na' ? t('stepDialog.reason') : dialog.kind === 'note' ? t('stepDialog.note') : t('stepDialog.owner')}</span>
            {dialog.kind === 'owner' ? (
              <input name="text" defaultValue={initial} data-autofocus="" />
            ) : (
              <textarea name="text" defaultValue={initial} required={dialog.kind === 'na'} data-autofocus="" />
            )}
          </label>
          <SubmitActions onCancel={onClose} submitLabel={t('common.save')} />
        </form>
      ) : null}
    </Dialog>
  );
}
