/**
 * Case export: one alert's investigation as it stands — alert, rule and MITRE mapping,
 * verdict, the checklist with each step's state, owner and note, the evidence, notes and
 * the audit trail — as a plain report model, then rendered to Markdown, JSON or a
 * printable HTML page. Every piece of text is untrusted and escaped for its format.
 */
import type { Alert } from '../detection/types';
import type { Rule } from '../rules/model';
import type { Guide, GuideStep, SectionKind } from '../rules/guide';
import type { TriageEvidence } from '../investigation/triage';
import type { ProcessNode } from '../investigation/process-tree';
import { nestTree, type TreeNode } from '../contracts/process-tree';
import type { CaseView } from '../cases';

export interface ReportStep {
  id: string;
  depth: number;
  text: string;
  state: 'open' | 'done' | 'not_applicable';
  reason: string | null;
  note: string | null;
  owner: string | null;
  by: string | null;
  at: string | null;
}

export interface ReportSection {
  title: string;
  kind: SectionKind;
  steps: ReportStep[];
}

export interface CaseReport {
  exportedAt: string;
  exportedBy: string;
  alert: {
    id: string;
    timestamp: string;
    createdAt: string;
    status: Alert['status'];
    verdict: Alert['verdict'];
    closingNote: string | null;
    assignee: string | null;
    severity: Alert['severity'];
    riskScore: number;
    host: string | null;
    user: string | null;
    process: string | null;
    processEntityId: string | null;
    file: string | null;
    source: { index: string; id: string };
  };
  rule: {
    id: string;
    name: string;
    version: number;
    description: string | null;
    references: string[];
    mitre: { tactic: string; technique: string | null; subtechnique: string | null }[];
  };
  progress: { done: number; notApplicable: number; total: number };
  checklist: ReportSection[];
  notes: { at: string; author: string; body: string }[];
  evidence: {
    sourceKind: string;
    processTree: string[];
    treeCuts: string[];
    relatedAlerts: { id: string; time: string; rule: string; severity: string; host: string | null; user: string | null; reasons: string[] }[];
    relatedWindow: string | null;
    activity: { kind: string; count: number; truncated: boolean; examples: string[] }[];
    logons: { time: string | null; user: string | null; type: string | null; outcome: string | null; from: string | null }[];
    file: { path: string | null; hashes: { algorithm: string; value: string }[]; signature: string | null; getFileHash: string | null; links: { site: string; url: string }[] } | null;
    osquery: { label: string; query: string }[];
    errors: string[];
  } | null;
  history: { at: string; actor: string; action: string; before: string; after: string }[];
  sourceEvent: unknown;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function nodeLine(n: ProcessNode): string {
  const bits = [n.name ?? '(unknown)', n.pid !== null ? `pid ${n.pid}` : null, n.user ? `user ${n.user}` : null, n.startTime ? `started ${n.startTime}` : null];
  const sig = n.codeSignature ? `signed: ${n.codeSignature.subjectName ?? '?'}${n.codeSignature.trusted === false ? ' (untrusted)' : ''}` : null;
  const prev = n.hostPrevalence !== null ? `${n.hostPrevalence} host(s)` : null;
  const cmd = n.commandLine ? ` — ${n.commandLine}` : '';
  return `${bits.filter(Boolean).join(', ')}${sig ? `; ${sig}` : ''}${prev ? `; ${prev}` : ''}${cmd}`;
}

/** The process tree as indented text lines: ancestors, the subject (marked), descendants under their parents. */
export function processTreeLines(e: Pick<TriageEvidence, 'processTree'>): string[] {
  const t = e.processTree;
  if (!t) return [];
  const lines: string[] = [];
  const walk = (n: TreeNode<ProcessNode>, depth: number) => {
    const subject = n.node === t.subject;
    lines.push(`${'  '.repeat(depth)}${subject ? '>> ' : ''}${n.node.stub ? '[outside the data] ' : ''}${nodeLine(n.node)}${subject ? '  [subject]' : ''}`);
    for (const c of n.children) walk(c, depth + 1);
  };
  walk(nestTree(t), 0);
  return lines;
}

function stepsOf(guide: Guide | null): { title: string; kind: SectionKind; steps: GuideStep[] }[] {
  if (!guide) return [];
  const flat = (steps: GuideStep[]): GuideStep[] => steps.flatMap((s) => [s, ...flat(s.children)]);
  return guide.sections.filter((s) => s.steps.length > 0).map((s) => ({ title: s.title, kind: s.kind, steps: flat(s.steps) }));
}

export function buildCaseReport(input: {
  view: CaseView;
  rule: Rule | null;
  guide: Guide | null;
  evidence: TriageEvidence | null;
  exportedBy: string;
  now?: Date;
}): CaseReport {
  const { view, rule, guide, evidence } = input;
  const a = view.alert;
  const stateOf = new Map(view.steps.map((s) => [s.stepId, s]));
  const checklist: ReportSection[] = stepsOf(guide).map((sec) => ({
    title: sec.title,
    kind: sec.kind,
    steps: sec.steps.map((st) => {
      const s = stateOf.get(st.id);
      return {
        id: st.id,
        depth: st.depth,
        text: st.text,
        state: s?.state ?? 'open',
        reason: s?.reason ?? null,
        note: s?.note ?? null,
        owner: s?.owner ?? null,
        by: s ? s.actor : null,
        at: s ? s.updatedAt : null,
      };
    }),
  }));
  const allSteps = checklist.flatMap((s) => s.steps);
  const ev = evidence;
  return {
    exportedAt: (input.now ?? new Date()).toISOString(),
    exportedBy: input.exportedBy,
    alert: {
      id: a.id,
      timestamp: a.timestamp,
      createdAt: a.createdAt,
      status: a.status,
      verdict: a.verdict,
      closingNote: a.closingNote ?? null,
      assignee: a.assignee,
      severity: a.severity,
      riskScore: a.riskScore,
      host: a.hostName,
      user: a.userName,
      process: a.processName,
      processEntityId: a.processEntityId,
      file: a.filePath,
      source: { index: a.event._index, id: a.event._id },
    },
    rule: {
      id: a.ruleId,
      name: a.ruleName,
      version: a.ruleVersion,
      description: rule?.description ?? null,
      references: rule?.references ?? [],
      mitre: a.mitre.map((m) => ({
        tactic: `${m.tacticId} ${m.tacticName}`,
        technique: m.techniqueId ? `${m.techniqueId} ${m.techniqueName ?? ''}`.trim() : null,
        subtechnique: m.subtechniqueId ? `${m.subtechniqueId} ${m.subtechniqueName ?? ''}`.trim() : null,
      })),
    },
    progress: {
      done: allSteps.filter((s) => s.state === 'done').length,
      notApplicable: allSteps.filter((s) => s.state === 'not_applicable').length,
      total: allSteps.length,
    },
    checklist,
    notes: view.notes.map((n) => ({ at: n.createdAt, author: n.author, body: n.body })),
    evidence: ev
      ? {
          sourceKind: ev.sourceKind,
          processTree: processTreeLines(ev),
          treeCuts: ev.processTree?.cuts.map((c) => `${c.where}: ${c.why} — ${c.detail}`) ?? [],
          relatedAlerts:
            ev.relatedAlerts?.items.map((r) => ({
              id: r.id,
              time: r.timestamp,
              rule: r.ruleName,
              severity: r.severity,
              host: r.hostName,
              user: r.userName,
              reasons: r.explanations.length ? r.explanations : r.reasons,
            })) ?? [],
          relatedWindow: ev.relatedAlerts ? `${ev.relatedAlerts.window.from} .. ${ev.relatedAlerts.window.to} (${ev.relatedAlerts.hours} h)` : null,
          activity:
            ev.activity?.groups.map((g) => ({
              kind: g.kind,
              count: g.count,
              truncated: g.truncated,
              examples: g.items.slice(0, 5).map((i) => `${i.time ?? ''} ${i.summary}`.trim()),
            })) ?? [],
          logons:
            ev.logons?.items.map((l) => ({ time: l.time, user: l.user, type: l.logonType, outcome: l.outcome, from: l.sourceIp ?? l.sourceHost })) ?? [],
          file: ev.file
            ? {
                path: ev.file.path,
                hashes: ev.file.hashes.map((h) => ({ algorithm: h.algorithm, value: h.value })),
                signature: ev.file.signature
                  ? `${ev.file.signature.subjectName ?? 'unknown signer'}${ev.file.signature.trusted === false ? ' (untrusted)' : ''}${ev.file.signature.status ? `, ${ev.file.signature.status}` : ''}`
                  : null,
                getFileHash: ev.file.getFileHashCommand,
                links: ev.file.links.map((l) => ({ site: l.site, url: l.url })),
              }
            : null,
          osquery: ev.osquery.map((o) => ({ label: o.label, query: o.query })),
          errors: ev.errors.map((e) => `${e.part}: ${e.message}`),
        }
      : null,
    history: view.audit.map((h) => ({ at: h.at, actor: h.actor, action: h.action, before: str(h.before), after: str(h.after) })),
    sourceEvent: a.event._source,
  };
}
