/**
 * assembleTriage: every piece of evidence for one alert, in one call (the API and UI use it).
 * Parts run in parallel where they do not depend on each other; a failing part is reported
 * in `errors` and the others still arrive. Works over any EventSource.
 */
import type { Alert } from '../detection/types';
import type { EventSource } from '../events/types';
import type { EvidenceKind } from '../rules/evidence-match';
import { flattenSteps, type Guide, type GuideStep } from '../rules/guide';
import { processActivity, type Activity, type ActivityGroup, type ActivityKind, type ActivityOptions } from './activity';
import { fileEvidence, mergeFileHashes, type FileEvidence, type FileEvidenceOptions, type HashAlgorithm } from './file-evidence';
import { planInvestigate, runInvestigate, type InvestigatePlan, type InvestigateResult } from './investigate';
import { logonsAfter, type LogonOptions, type Logons } from './logons';
import { fillOsquery, type FilledOsquery } from './osquery';
import { buildProcessTree, treeEntityIds, type ProcessNode, type ProcessTree, type ProcessTreeOptions } from './process-tree';
import { toMs } from './fields';
import { relatedAlerts, relatedWindow, type ListAlerts, type RelatedAlerts } from './related-alerts';

export type TriagePart = 'processTree' | 'relatedAlerts' | 'activity' | 'logons' | 'file' | 'osquery' | 'investigate';

export interface TriageOptions {
  /** hours of related alerts before the alert (default 48) */
  relatedHours?: number;
  tree?: ProcessTreeOptions;
  activity?: ActivityOptions;
  logons?: LogonOptions;
  file?: FileEvidenceOptions;
  /** run every investigate block now to show its count (default false: planned only, run on demand) */
  runInvestigate?: boolean;
  /** index patterns for investigate queries (default all) */
  investigateIndex?: string[];
}

export interface TriageDeps {
  source: EventSource;
  /** the alert store's listing (detection owns it); related alerts are empty without it */
  listAlerts?: ListAlerts;
  /** the rule's guide (lib/rules buildGuide(rule.note)) for osquery / investigate blocks */
  guide?: Guide | null;
  options?: TriageOptions;
}

export interface StepInvestigate {
  stepId: string;
  plan: InvestigatePlan;
  result: InvestigateResult | null;
}

export interface TriageEvidence {
  alertId: string;
  alertTime: string;
  sourceKind: EventSource['kind'];
  processTree: ProcessTree | null;
  relatedAlerts: RelatedAlerts | null;
  activity: Activity | null;
  logons: Logons | null;
  file: FileEvidence | null;
  /** every osquery block of the guide, filled, with the step that holds it */
  osquery: (FilledOsquery & { stepId: string })[];
  investigate: StepInvestigate[];
  errors: { part: TriagePart; message: string }[];
  /** milliseconds per part */
  timings: Partial<Record<TriagePart, number>>;
}

async function timed<T>(
  part: TriagePart,
  timings: TriageEvidence['timings'],
  errors: TriageEvidence['errors'],
  fn: () => Promise<T>,
): Promise<T | null> {
  const t0 = performance.now();
  try {
    return await fn();
  } catch (e) {
    errors.push({ part, message: e instanceof Error ? e.message : String(e) });
    return null;
  } finally {
    timings[part] = Math.round((performance.now() - t0) * 10) / 10;
  }
}

export async function assembleTriage(alert: Alert, deps: TriageDeps): Promise<TriageEvidence> {
  const opts = deps.options ?? {};
  const errors: TriageEvidence['errors'] = [];
  const timings: TriageEvidence['timings'] = {};
  const { source } = deps;
  const ev = alert.event;
  const alertTime = alert.timestamp;

  const treeP = timed('processTree', timings, errors, () => buildProcessTree(source, ev, alertTime, opts.tree));
  // start listing the related alerts now; their reasons need the tree
  const hours = opts.relatedHours ?? 48;
  const t = toMs(alertTime) ?? Date.now();
  const listed = deps.listAlerts ? deps.listAlerts(relatedWindow(t, hours)) : null;
  listed?.catch(() => undefined); // reported when awaited below
  const alertsP: ListAlerts | null = listed ? () => listed : null;
  const logonsP = timed('logons', timings, errors, () => logonsAfter(source, alert.hostName, alertTime, opts.logons));
  const fileP = timed('file', timings, errors, () => fileEvidence(source, ev, alertTime, opts.file));

  const steps: GuideStep[] = deps.guide ? flattenSteps(deps.guide) : [];
  const osqueryP = timed('osquery', timings, errors, async () =>
    steps.flatMap((s) => s.osquery.map((o) => ({ ...fillOsquery(o.label, o.query, ev), stepId: s.id }))),
  );
  const investigateP = timed('investigate', timings, errors, async () => {
    const planned = steps.flatMap((s) => s.investigate.map((b) => ({ stepId: s.id, plan: planInvestigate(b, ev, alertTime) })));
    if (!opts.runInvestigate) return planned.map((p) => ({ ...p, result: null }));
    return Promise.all(
      planned.map(async (p) => ({
        ...p,
        result: await runInvestigate(p.plan, { source, ...(deps.listAlerts ? { listAlerts: deps.listAlerts } : {}), ...(opts.investigateIndex ? { index: opts.investigateIndex } : {}) }),
      })),
    );
  });

  const tree = await treeP;
  const ids = tree ? [tree.subject, ...tree.descendants].map((n) => n.entityId).filter((x): x is string => !!x) : alert.processEntityId ? [alert.processEntityId] : [];
  const activityP = timed('activity', timings, errors, () => processActivity(source, ids, alertTime, { ...opts.activity, exclude: { _index: ev._index, _id: ev._id } }));
  const relatedP = alertsP
    ? timed('relatedAlerts', timings, errors, () =>
        relatedAlerts(alert, alertsP, { hours, treeEntityIds: tree ? treeEntityIds(tree) : ids }),
      )
    : Promise.resolve(null);

  const [activity, related, logons, fileRaw, osquery, investigate] = await Promise.all([activityP, relatedP, logonsP, fileP, osqueryP, investigateP]);
  const file = fileRaw ? mergeFileHashes(fileRaw, knownHashes(tree, activity)) : null;
  return {
    alertId: alert.id,
    alertTime,
    sourceKind: source.kind,
    processTree: tree,
    relatedAlerts: related,
    activity,
    logons,
    file,
    osquery: osquery ?? [],
    investigate: investigate ?? [],
    errors,
    timings,
  };
}

/** Hashes the tree and the activity hold, by path, for mergeFileHashes. */
function knownHashes(tree: ProcessTree | null, activity: Activity | null): Parameters<typeof mergeFileHashes>[1] {
  const out: Parameters<typeof mergeFileHashes>[1] = [];
  for (const n of tree ? [...tree.ancestors, tree.subject, ...tree.descendants] : []) {
    out.push({ path: n.executable, hashes: n.hashes, event: n.event, field: 'process.hash', time: n.startTime });
  }
  for (const g of activity?.groups ?? []) {
    for (const i of g.items) {
      for (const prefix of ['dll', 'file', 'process'] as const) {
        const path = i.fields[prefix === 'process' ? 'process.executable' : `${prefix}.path`];
        if (!path) continue;
        const hashes: Partial<Record<HashAlgorithm, string>> = {};
        for (const a of ['sha256', 'sha1', 'md5'] as const) {
          const v = i.fields[`${prefix}.hash.${a}`];
          if (v) hashes[a] = v;
        }
        if (Object.keys(hashes).length > 0) out.push({ path, hashes, event: i.event, field: `${prefix}.hash`, time: i.time });
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ per step

export type StepEvidence =
  | { kind: 'process_tree'; tree: ProcessTree }
  | { kind: 'related_alerts'; related: RelatedAlerts }
  | { kind: 'process_activity'; activity: Activity }
  | { kind: 'network' | 'dns' | 'registry'; groups: ActivityGroup[]; total: number }
  | { kind: 'file'; file: FileEvidence; groups: ActivityGroup[] }
  | { kind: 'logons'; logons: Logons }
  | { kind: 'hash'; file: FileEvidence | null; processes: ProcessNode[] }
  | { kind: 'prevalence'; processes: ProcessNode[] }
  | { kind: 'osquery'; queries: FilledOsquery[] }
  | { kind: 'investigate'; items: StepInvestigate[] }
  | { kind: 'none'; message: string }
  | { kind: 'unavailable'; wanted: EvidenceKind; message: string };

function groupsOf(a: Activity, kinds: ActivityKind[]): ActivityGroup[] {
  return a.groups.filter((g) => kinds.includes(g.kind));
}

/**
 * The evidence to show beside a step, in the order of `kinds` (from lib/rules' matcher).
 * `stepId` narrows osquery / investigate to that step's own blocks.
 */
export function evidenceForStep(kinds: EvidenceKind[], evidence: TriageEvidence, stepId?: string): StepEvidence[] {
  const out: StepEvidence[] = [];
  const missing = (wanted: EvidenceKind, part: TriagePart): StepEvidence => {
    const err = evidence.errors.find((e) => e.part === part);
    return { kind: 'unavailable', wanted, message: err ? `could not be read: ${err.message}` : 'not available for this alert' };
  };
  const tree = evidence.processTree;
  const nodes = tree ? [...tree.ancestors, tree.subject, ...tree.descendants] : [];
  for (const kind of kinds) {
    switch (kind) {
      case 'process_tree':
        out.push(tree ? { kind, tree } : missing(kind, 'processTree'));
        break;
      case 'related_alerts':
        out.push(evidence.relatedAlerts ? { kind, related: evidence.relatedAlerts } : missing(kind, 'relatedAlerts'));
        break;
      case 'process_activity':
        out.push(evidence.activity ? { kind, activity: evidence.activity } : missing(kind, 'activity'));
        break;
      case 'network':
      case 'dns':
      case 'registry':
        if (evidence.activity) {
          const groups = groupsOf(evidence.activity, [kind]);
          out.push({ kind, groups, total: groups.reduce((n, g) => n + g.count, 0) });
        } else out.push(missing(kind, 'activity'));
        break;
      case 'file':
        out.push(evidence.file ? { kind, file: evidence.file, groups: evidence.activity ? groupsOf(evidence.activity, ['file', 'library']) : [] } : missing(kind, 'file'));
        break;
      case 'logons':
        out.push(evidence.logons ? { kind, logons: evidence.logons } : missing(kind, 'logons'));
        break;
      case 'hash':
        out.push({ kind, file: evidence.file, processes: nodes.filter((n) => Object.keys(n.hashes).length > 0 || n.codeSignature !== null) });
        break;
      case 'prevalence':
        out.push(tree ? { kind, processes: nodes.filter((n) => n.executable) } : missing(kind, 'processTree'));
        break;
      case 'osquery':
        out.push({ kind, queries: evidence.osquery.filter((q) => !stepId || q.stepId === stepId) });
        break;
      case 'investigate':
        out.push({ kind, items: evidence.investigate.filter((i) => !stepId || i.stepId === stepId) });
        break;
      case 'none':
        out.push({ kind, message: 'Nothing in the event data answers this step; work it by hand.' });
        break;
    }
  }
  return out;
}
