'use client';

import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { AlertValue } from '@/lib/contracts/alerts';
import type { EvidenceKind, GuideStep } from '@/lib/contracts/guide';
import { fileEvidenceFromEvent, MAX_TREE_DEPTH, type EvidenceResponse } from '@/lib/contracts/evidence';
import { alertEvidenceQuery } from '@/lib/queries/alerts';
import { spansToText } from '@/components/guide/spans';
import { ErrorBox } from '@/components/ui/error-box';
import { RawEvent } from './raw-event';
import { EventFields } from './event-fields';
import { OsqueryList } from './osquery-list';
import { ProcessTreeView } from './process-tree';
import { RelatedAlertsView } from './related-alerts';
import { ActivityView } from './activity';
import { LogonsView } from './logons';
import { FileEvidenceView } from './file-evidence';
import { InvestigateButtons } from './investigate';
import { TimelineView } from './timeline';
import { SequenceEventsView } from './sequence-events';
import { alertWriterCandidate, fileWriters } from '@/lib/investigation/timeline';
import { useT } from '@/components/i18n/use-t';
import type { MessageKey } from '@/lib/i18n';

export interface EvidencePanelProps {
  alert: AlertValue;
  step: GuideStep | null;
  kinds: EvidenceKind[];
  /** shown instead of a step's evidence: what it is about ("Host WIN-01"), and the way back to the step's */
  about?: { label: string; onBack: () => void } | null;
  /** focus back on the step this evidence is for (keyboard: the way out of the panel) */
  onBackToStep?: () => void;
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

export function EvidencePanel({ alert, step: focusedStep, kinds, about = null, onBackToStep }: EvidencePanelProps) {
  // evidence about an entity of the header has no step (no step's Osquery or investigate blocks)
  const step = about ? null : focusedStep;
  const t = useT();
  const [hours, setHours] = useState(48);
  const [depth, setDepth] = useState(4);
  const evidence = useQuery(alertEvidenceQuery(alert.id, hours, depth));
  const ev = evidence.data;
  const tree = partOf(ev, 'processTree');
  const related = partOf(ev, 'relatedAlerts');
  const activity = partOf(ev, 'activity');
  const logons = partOf(ev, 'logons');
  const file = partOf(ev, 'file');
  const fileValue = file.value ?? fileEvidenceFromEvent(alert.event._source);
  // the process tree's own focus, asked for by the timeline ("show in the process tree")
  const [treeFocus, setTreeFocus] = useState<{ entityId: string; n: number } | null>(null);
  // the processes that wrote the alert's file: the alert's own event, then the tree's file activity
  const writers = useMemo(() => {
    const path = fileValue?.path ?? null;
    if (!path) return null;
    const items = activity.value?.groups.filter((g) => g.kind === 'file').flatMap((g) => g.items) ?? [];
    const ids = fileWriters(path, [alertWriterCandidate(alert.event._source), ...items]);
    return ids.length ? { entityIds: ids, file: path } : null;
  }, [fileValue?.path, activity.value, alert.event._source]);
  const treeProcesses = useMemo(() => {
    const tv = tree.value;
    if (!tv) return [];
    return [...tv.ancestors, tv.subject, ...tv.descendants].flatMap((n) =>
      n.entityId ? [{ entityId: n.entityId, label: `${n.name ?? n.executable ?? n.entityId}${n.pid !== null ? ` (${n.pid})` : ''}` }] : [],
    );
  }, [tree.value]);

  const has = (k: EvidenceKind) => kinds.includes(k);
  const activityKinds = has('process_activity') ? undefined : [...(has('network') || has('dns') ? ['network', 'dns'] : []), ...(has('registry') ? ['registry'] : []), ...(has('file') ? ['file'] : [])];
  const wantsActivity = has('process_activity') || (activityKinds?.length ?? 0) > 0;
  const wantsServer = has('process_tree') || has('prevalence') || has('related_alerts') || wantsActivity || has('logons');
  const treeShown = (has('process_tree') || has('prevalence')) && !!tree.value;
  const nothing = (!step && !about) || kinds.length === 0 || (kinds.length === 1 && kinds[0] === 'none');

  const pending = (what: MessageKey) => (evidence.isPending ? <p className="muted small">{t('ev.gathering', { what: t(what) })}</p> : null);
  const failed = (what: MessageKey, error: string | null) => (error ? <ErrorBox title={t('ev.failed', { what: t(what) })} error={new Error(error)} /> : null);
  // the evidence that answers the step comes first: the file and its hashes on a hash step, the
  // step's own Osquery queries and investigations otherwise; then the process tree and related
  // alerts the step names, and the long rows around the alert (activity, logons) folded. A step
  // without such evidence shows everything as it is.
  const ownBlocks = !!step && (step.osquery.length > 0 || step.investigate.length > 0);
  const answer = !nothing && (has('hash') || ownBlocks);
  const around = [
    has('process_tree') || has('prevalence') ? (
      <div key="tree">
        {pending('ev.whatTree')}
        {failed('ev.whatTree', tree.error)}
        {tree.value ? (
          <ProcessTreeView
            tree={tree.value}
            alertId={alert.id}
            onDeeper={depth < MAX_TREE_DEPTH ? () => setDepth((d) => Math.min(MAX_TREE_DEPTH, d + 4)) : undefined}
            focus={treeFocus}
            writers={writers}
          />
        ) : null}
      </div>
    ) : null,
    has('related_alerts') ? (
      <div key="related">
        {pending('ev.whatRelated')}
        {failed('ev.whatRelated', related.error)}
        {related.value ? <RelatedAlertsView related={related.value} hours={hours} onHours={setHours} /> : null}
      </div>
    ) : null,
    wantsActivity ? (
      <div key="activity">
        {pending('ev.whatActivity')}
        {failed('ev.whatActivity', activity.error)}
        {activity.value ? <ActivityView activity={activity.value} only={activityKinds} /> : null}
        {/* the same activity in time order, across kinds, with the host's logons: zoomable, by kind */}
        <TimelineView
          alertId={alert.id}
          depth={depth}
          processes={treeProcesses}
          onShowInTree={treeShown ? (entityId) => setTreeFocus((f) => ({ entityId, n: (f?.n ?? 0) + 1 })) : undefined}
        />
      </div>
    ) : null,
    has('logons') ? (
      <div key="logons">
        {pending('ev.whatLogons')}
        {failed('ev.whatLogons', logons.error)}
        {logons.value ? <LogonsView logons={logons.value} /> : null}
      </div>
    ) : null,
  ];
  const answerFirst = (
    <>
      {has('hash') ? fileValue ? <FileEvidenceView file={fileValue} /> : <p>{t('ev.noFile')}</p> : null}
      {step && step.osquery.length ? (
        <OsqueryList blocks={step.osquery} source={alert.event._source} filled={ev?.osquery.filter((o) => o.stepId === step.id)} />
      ) : null}
      {step && step.investigate.length ? <InvestigateButtons alertId={alert.id} stepId={step.id} blocks={step.investigate} /> : null}
    </>
  );

  return (
    // focusable (not in the Tab order): the step's "evidence" button and the e key bring focus here
    <aside id="evidence" className="evidence" aria-label={t('ev.label')} data-testid="evidence" tabIndex={-1}>
      <h2>{t('ev.title')}</h2>
      {about ? (
        <p className="small muted" data-testid="evidence-about">
          {t('ev.about', { what: about.label })}{' '}
          {focusedStep ? (
            <button type="button" className="link" onClick={about.onBack}>
              {t('ev.backToStep')}
            </button>
          ) : null}
        </p>
      ) : null}
      {step ? (
        <p className="small muted" data-testid="evidence-for">
          {t('ev.for', { step: spansToText(step.spans) })}{' '}
          {onBackToStep ? (
            <button type="button" className="link" onClick={onBackToStep} data-testid="evidence-back-to-step">
              {t('triage.backToStep')}
            </button>
          ) : null}
        </p>
      ) : null}
      {nothing ? <p data-testid="no-evidence">{t('ev.none')}</p> : null}
      {wantsServer && evidence.isError ? <ErrorBox title={t('ev.unavailable')} error={evidence.error} /> : null}
      {answer ? (
        <>
          {answerFirst}
          {/* the tree and the related alerts a step names stay in view; the long activity and logon lists fold */}
          {around.slice(0, 2)}
          {around.slice(2).some(Boolean) ? (
            <details key={step?.id ?? about?.label} className="more-evidence" data-testid="more-evidence">
              <summary>{t('ev.moreEvidence')}</summary>
              {around.slice(2)}
            </details>
          ) : null}
        </>
      ) : (
        <>
          {around}
          {answerFirst}
        </>
      )}
      {/* a sequence alert: every event of the sequence, in its order */}
      {alert.sequenceEvents && alert.sequenceEvents.length > 0 ? <SequenceEventsView events={alert.sequenceEvents} alertEvent={alert.event} /> : null}
      <EventFields event={alert.event} />
      <RawEvent event={alert.event} />
    </aside>
  );
}
