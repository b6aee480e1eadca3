'use client';

import { useEffect, useRef } from 'react';
import type { StepState } from '@/lib/contracts/alerts';
import { checklistSectionKinds, type Guide, type GuideSection, type GuideStep } from '@/lib/contracts/guide';
import { Spans } from './spans';
import { Blocks } from './blocks';
import { Timestamp } from '@/components/ui/timestamp';

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
}

export function GuideChecklist(props: GuideChecklistProps) {
  const { guide } = props;
  return (
    <div className="guide" aria-label="Investigation guide checklist">
      <p className="kbd-help">
        Keyboard: <kbd>j</kbd>/<kbd>k</kbd> next/previous step, <kbd>x</kbd> tick, <kbd>a</kbd> not applicable, <kbd>n</kbd> note.
      </p>
      {guide.sections.length === 0 ? <p className="muted">This rule&apos;s guide has no steps.</p> : null}
      {guide.sections.map((section) => (
        <Section key={section.id} section={section} {...props} />
      ))}
    </div>
  );
}

function Section({ section, ...props }: { section: GuideSection } & GuideChecklistProps) {
  const headingId = `section-${section.id}`;
  const checklist = checklistSectionKinds.has(section.kind);
  if (!checklist && section.steps.length === 0 && section.context.length === 0) return null;
  return (
    <section className="guide-section" aria-labelledby={headingId} data-section-kind={section.kind}>
      <h2 id={headingId}>{section.title || 'Guide'}</h2>
      {section.context.length ? (
        checklist ? (
          <div className="muted">
            <Blocks blocks={section.context} />
          </div>
        ) : (
          <details>
            <summary className="small">Context</summary>
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
  const { states, focusedId, onFocusStep, onToggle, onNotApplicable, onNote, onOwner, busy } = props;
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
      onClickCapture={() => onFocusStep(step.id)}
      onFocusCapture={() => onFocusStep(step.id)}
    >
      <div className="step-row">
        <input
          id={checkboxId}
          type="checkbox"
          checked={value === 'done'}
          disabled={busy}
          onChange={() => onToggle(step)}
          aria-labelledby={`${checkboxId}-text`}
          aria-describedby={state && value !== 'open' ? `${checkboxId}-meta` : undefined}
        />
        {/* Not a <label>: clicking the text only focuses the step (its evidence); the checkbox alone ticks. */}
        <div id={`${checkboxId}-text`} className="step-text">
          <Spans spans={step.spans} />
          {step.osquery.length ? <span className="chip">{step.osquery.length === 1 ? 'Osquery' : `${step.osquery.length} Osquery`}</span> : null}
          {step.investigate.length ? <span className="chip">Investigate</span> : null}
        </div>
        <span className="step-tools">
          <button type="button" onClick={() => onNotApplicable(step)} disabled={busy}>
            N/A<span className="sr-only"> (mark not applicable)</span>
          </button>
          <button type="button" onClick={() => onNote(step)}>
            Note<span className="sr-only"> on this step</span>
          </button>
          {response ? (
            <button type="button" onClick={() => onOwner(step)}>
              Owner<span className="sr-only"> of this step</span>
            </button>
          ) : null}
        </span>
      </div>
      {state && (value !== 'open' || state.note || state.owner) ? (
        <div className="step-meta" id={`${checkboxId}-meta`}>
          {value === 'done' ? 'Done' : value === 'not_applicable' ? `Not applicable: ${state.reason ?? ''}` : 'Open'}
          {state.actor ? ` · by ${state.actor}` : ''}
          {state.updatedAt ? (
            <>
              {' · '}
              <Timestamp iso={state.updatedAt} />
            </>
          ) : null}
          {state.owner ? ` · owner: ${state.owner}` : ''}
          {state.note ? <div className="step-note">Note: {state.note}</div> : null}
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
