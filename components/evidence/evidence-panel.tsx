'use client';

import type { AlertValue } from '@/lib/contracts/alerts';
import type { GuideStep } from '@/lib/contracts/guide';
import { spansToText } from '@/components/guide/spans';
import { RawEvent } from './raw-event';
import { OsqueryList } from './osquery-list';

export interface EvidencePanelProps {
  alert: AlertValue;
  step: GuideStep | null;
}

export function EvidencePanel({ alert, step }: EvidencePanelProps) {
  return (
    <aside className="evidence" aria-label="Evidence for the focused step" data-testid="evidence">
      <h2>Evidence</h2>
      {step ? <p className="small muted">For: {spansToText(step.spans)}</p> : null}
      {step && step.osquery.length ? <OsqueryList blocks={step.osquery} source={alert.event._source} /> : <p>No evidence for this step.</p>}
      <RawEvent event={alert.event} />
    </aside>
  );
}
