'use client';

import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AlertValue } from '@/lib/contracts/alerts';
import type { EvidenceKind, GuideStep } from '@/lib/contracts/guide';
import { fileEvidenceFromEvent, type EvidenceResponse } from '@/lib/contracts/evidence';
import { alertEvidenceQuery } from '@/lib/queries/alerts';
import { spansToText } from '@/components/guide/spans';
import { ErrorBox } from '@/components/ui/error-box';
import { RawEvent } from './raw-event';
import { OsqueryList } from './osquery-list';
import { ProcessTreeView } from './process-tree';
import { RelatedAlertsView } from './related-alerts';
import { ActivityView } from './activity';
import { LogonsView } from './logons';
import { FileEvidenceView } from './file-evidence';
import { InvestigateButtons } from './investigate';

export interface EvidencePanelProps {
  alert: AlertValue;
  step: GuideStep | null;
  kinds: EvidenceKind[];
}

const partNames: Record<string, string> = {
  processTree: 'processTree',
  relatedAlerts: 'relatedAlerts',
  activity: 'activity',
  logons: 'logons',
  file: 'file',
};

function partOf<K extends 'processTree' | 'relatedAlerts' | 'activity' | 'logons' | 'file'>(
  ev: EvidenceResponse | undefined,
  key: K,
): { value: EvidenceResponse[K] | null; error: string | null } {
  if (!ev) return { value: null, error: null };
  const err = ev.errors.find((e) => e.part === partNames[key]);
  return { value: ev[key], error: err ? err.message : null };
}

export function EvidencePanel({ alert, step, kinds }: EvidencePanelProps) {
  const [hours, setHours] = useState(48);
  const evidence = useQuery(alertEvidenceQuery(alert.id, hours));
  const ev = evidence.data;
  const tree = partOf(ev, 'processTree');
  const related = partOf(ev, 'relatedAlerts');
  const activity = partOf(ev, 'activity');
  const logons = partOf(ev, 'logons');
  const file = partOf(ev, 'file');
  const fileValue = file.value ?? fileEvidenceFromEvent(alert.event._source);

  const has = (k: EvidenceKind) => kinds.includes(k);
  const activityKinds = has('process_activity') ? undefined : [...(has('network') || has('dns') ? ['network', 'dns'] : []), ...(has('registry') ? ['registry'] : []), ...(has('file') ? ['file'] : [])];
  const wantsActivity = has('process_activity') || (activityKinds?.length ?? 0) > 0;
  const wantsServer = has('process_tree') || has('prevalence') || has('related_alerts') || wantsActivity || has('logons');
  const nothing = !step || kinds.length === 0 || (kinds.length === 1 && kinds[0] === 'none');

  const pending = (what: string) => (evidence.isPending ? <p className="muted small">Gathering {what}…</p> : null);
  const failed = (what: string, error: string | null) => (error ? <ErrorBox title={`Could not gather ${what}.`} error={new Error(error)} /> : null);

  return (
    <aside className="evidence" aria-label="Evidence for the focused step" data-testid="evidence">
      <h2>Evidence</h2>
      {step ? (
        <p className="small muted" data-testid="evidence-for">
          For: {spansToText(step.spans)}
        </p>
      ) : null}
      {nothing ? <p data-testid="no-evidence">No evidence for this step.</p> : null}
      {wantsServer && evidence.isError ? <ErrorBox title="Evidence is not available." error={evidence.error} /> : null}
      {has('process_tree') || has('prevalence') ? (
        <>
          {pending('the process tree')}
          {failed('the process tree', tree.error)}
          {tree.value ? <ProcessTreeView tree={tree.value} alertId={alert.id} /> : null}
        </>
      ) : null}
      {has('related_alerts') ? (
        <>
          {pending('related alerts')}
          {failed('related alerts', related.error)}
          {related.value ? <RelatedAlertsView related={related.value} hours={hours} onHours={setHours} /> : null}
        </>
      ) : null}
      {wantsActivity ? (
        <>
          {pending('activity')}
          {failed('activity', activity.error)}
          {activity.value ? <ActivityView activity={activity.value} only={activityKinds} /> : null}
        </>
      ) : null}
      {has('logons') ? (
        <>
          {pending('logons')}
          {failed('logons', logons.error)}
          {logons.value ? <LogonsView logons={logons.value} /> : null}
        </>
      ) : null}
      {has('hash') ? fileValue ? <FileEvidenceView file={fileValue} /> : <p>The alert names no file or hash.</p> : null}
      {step && step.osquery.length ? (
        <OsqueryList blocks={step.osquery} source={alert.event._source} filled={ev?.osquery.filter((o) => o.stepId === step.id)} />
      ) : null}
      {step && step.investigate.length ? <InvestigateButtons alertId={alert.id} stepId={step.id} blocks={step.investigate} /> : null}
      <RawEvent event={alert.event} />
    </aside>
  );
}
