'use client';

import { useEffect, useRef } from 'react';
import type { StepState } from '@/lib/contracts/alerts';
import { checklistSectionKinds, type Guide, type GuideSection, type GuideStep } from '@/lib/contracts/guide';
import { Spans } from './spans';
import { Blocks } from './blocks';
import { Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';

export interface GuideChecklistProps {
  guide: Guide;
  states: Map<string, StepState>;
  focusedId: string | null;
  onFocusStep: (id: string) => void;
  onToggle: (step: GuideStep) => void;
  onNotApplicable: (step: GuideStep) => void;
  onNote: (step: GuideStep) => void;
  onOwner: (step: GuideStep) => void;
  busy: boolean;
  /** false: the checklist is shown read-only (each step's state as text, no tick/N-A/note/owner controls) */
  canWork: boolean;
  /** move focus to the focused step's evidence (the focused step offers it as a button) */
  onEvidence?: () => void;
}

export function GuideChecklist(props: GuideChecklistProps) {
  const { guide, canWork } = props;
  const t = useT();
  return (
    <div className="guide" aria-label={t('guide.label')}>
      <p className="kbd-help">
        {t('guide.keyboard')} <kbd>j</kbd>/<kbd>k</kbd> {t('guide.kbdMove')}
        {canWork ? (
          <>
            , <kbd>x</kbd> {t('guide.kbdTick')}, <kbd>a</kbd> {t('guide.kbdNa')}, <kbd>n</kbd> {t('guide.kbdNote')}
          </>
        ) : null}
        , <kbd>e</kbd> {t('shortcuts.evidence')}, <kbd>?</kbd> {t('shortcuts.help')}
      </p>
      {guide.sections.length === 0 ? <p className="muted">{t('guide.noSteps')}</p> : null}
      {guide.sections.map((section) => (
        <Section key={section.id} section={section} {...props} />
      ))}
    </div>
  );
}

function Section({ section, ...props }: { section: GuideSection } & GuideChecklistProps) {
  const t = useT();
  const headingId = `section-${section.id}`;
  const checklist = checklistSectionKinds.has(section.kind);
  if (!checklist && section.steps.length === 0 && section.context.length === 0) return null;
  return (
    <section className="guide-section" aria-labelledby={headingId} data-section-kind={section.kind}>
      <h2 id={headingId}>{section.title || t('guide.untitled')}</h2>
      {section.context.length ? (
        checklist ? (
          <div className="muted">
            <Blocks blocks={section.context} />
          </div>
        ) : (
          <details>
            <summary className="small">{t('guide.context')}</summary>
            <div className="muted">
              <Blocks blocks={section.context} />
            </div>
          </details>
        )
      ) : null}
      {checklist && section.steps.length ? <StepList steps={section.steps} response={section.kind === 'response'} {...props} /> : null}
    </section>
  );
}

function StepList({ steps, response, ...props }: { steps: GuideStep[]; response: boolean } & GuideChecklistProps) {
  return (
    <ul className="steps">
      {steps.map((step) => (
        <StepItem key={step.id} step={step} response={response} {...props} />
      ))}
    </ul>
  );
}

function StepItem({ step, response, ...props }: { step: GuideStep; response: boolean } & GuideChecklistProps) {
  const { states, focusedId, onFocusStep, onToggle, onNotApplicable, onNote, onOwner, busy, canWork, onEvidence } = props;
  const t = useT();
  const state = states.get(step.id);
  const value = state?.state ?? 'open';
  const focused = focusedId === step.id;
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  const checkboxId = `step-${step.id}`;
  return (
    <li
      ref={ref}
      className="step"
      data-testid="guide-step"
      data-step-id={step.id}
      data-state={value}
      data-focused={focused}
      aria-current={focused ? 'step' : undefined}
      // j/k put focus on the step itself; Tab passing through its controls does not re-point the
      // evidence panel (only a click, a tick or j/k choose the step)
      tabIndex={-1}
      onClick={(e) => {
        // a click in a nested step belongs to that step
        if ((e.target as HTMLElement).closest('[data-testid="guide-step"]') === e.currentTarget) onFocusStep(step.id);
      }}
    >
      <div className="step-row">
        {canWork ? (
          <input
            id={checkboxId}
            type="checkbox"
            checked={value === 'done'}
            disabled={busy}
            onChange={() => onToggle(step)}
            aria-labelledby={`${checkboxId}-text`}
            aria-describedby={state && value !== 'open' ? `${checkboxId}-meta` : undefined}
          />
        ) : (
          <span className={`step-state state-${value}`} data-testid="step-state">
            <span className="sr-only">{t('step.stateSr', { state: t(`stepState.${value}`) })}</span>
            <span aria-hidden="true">{value === 'done' ? '✓' : value === 'not_applicable' ? '–' : '○'}</span>
          </span>
        )}
        {/* Not a <label>: clicking the text only focuses the step (its evidence); the checkbox alone ticks. */}
        <div id={`${checkboxId}-text`} className="step-text">
          <Spans spans={step.spans} />
          {step.osquery.length ? <span className="chip">{t('guide.osqueryCount', { count: step.osquery.length })}</span> : null}
          {step.investigate.length ? <span className="chip">{t('guide.investigate')}</span> : null}
        </div>
        {canWork ? (
          <span className="step-tools">
            <button type="button" onClick={() => onNotApplicable(step)} disabled={busy}>
              {t('step.na')}
              <span className="sr-only">{t('step.naSr')}</span>
            </button>
            <button type="button" onClick={() => onNote(step)}>
              {t('step.note')}
              <span className="sr-only">{t('step.noteSr')}</span>
            </button>
            {response ? (
              <button type="button" onClick={() => onOwner(step)}>
                {t('step.owner')}
                <span className="sr-only">{t('step.ownerSr')}</span>
              </button>
            ) : null}
          </span>
        ) : null}
        {focused && onEvidence ? (
          <button type="button" className="link small skip-evidence" aria-controls="evidence" onClick={onEvidence} data-testid="step-evidence-link">
            {t('triage.skipEvidence')}
          </button>
        ) : null}
      </div>
      {state && (value !== 'open' || state.note || state.owner) ? (
        <div className="step-meta" id={`${checkboxId}-meta`}>
          {value === 'not_applicable' ? t('step.naReason', { reason: state.reason ?? '' }) : t(`stepState.${value}`)}
          {state.actor ? ` · ${t('step.by', { name: state.actor })}` : ''}
          {state.updatedAt ? (
            <>
              {' · '}
              <Timestamp iso={state.updatedAt} />
            </>
          ) : null}
          {state.owner ? ` · ${t('step.ownerIs', { name: state.owner })}` : ''}
          {state.note ? <div className="step-note">{t('step.noteIs', { note: state.note })}</div> : null}
        </div>
      ) : null}
      {step.details.length ? (
        <ul className="step-details small muted">
          {step.details.map((d, i) => (
            <li key={i}>
              {d.label ? <strong>{d.label}: </strong> : null}
              <Spans spans={d.spans} />
            </li>
          ))}
        </ul>
      ) : null}
      {step.extra.length ? (
        <div className="small">
          <Blocks blocks={step.extra} />
        </div>
      ) : null}
      {step.children.length ? <StepList steps={step.children} response={response} {...props} /> : null}
    </li>
  );
}
