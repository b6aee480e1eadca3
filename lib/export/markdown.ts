/**
 * A case as GitHub-flavoured Markdown. The report is built as an mdast tree and serialised by
 * mdast-util-to-markdown with the GFM extension, so every value from events, guides, notes and
 * users is escaped by construction: text nodes cannot open emphasis, links, HTML or headings,
 * and a `|` in a table cell (code spans included) cannot end the cell.
 */
import type {
  BlockContent,
  Code,
  Heading,
  InlineCode,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Table,
  TableCell,
  Text,
} from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { CaseReport, ReportStep } from './case';
import { wordsIn } from './words';
import type { Language, MessageKey } from '../i18n';

const DASH = '—';

/** One line of text (a table cell or a list item holds no line breaks of its own). */
const oneLine = (s: string) => s.replace(/\r\n?|\n/g, ' ');

export const text = (s: string | null | undefined): Text => ({ type: 'text', value: s ? oneLine(s) : DASH });
const code = (s: string | null | undefined): InlineCode | Text => (s ? { type: 'inlineCode', value: oneLine(s) } : text(null));
const para = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });
const heading = (depth: 1 | 2 | 3, ...children: PhrasingContent[]): Heading => ({ type: 'heading', depth, children });
const block = (value: string, lang: string): Code => ({ type: 'code', lang, value });
const item = (children: PhrasingContent[], sub: ListItem[] = [], checked: boolean | null = null): ListItem => ({
  type: 'listItem',
  spread: false,
  checked,
  children: [para(...children), ...(sub.length ? [list(sub)] : [])] as BlockContent[],
});
const list = (items: ListItem[]): List => ({ type: 'list', ordered: false, spread: false, children: items });
const cell = (...children: PhrasingContent[]): TableCell => ({ type: 'tableCell', children });
const table = (head: string[], rows: PhrasingContent[][][]): Table => ({
  type: 'table',
  align: head.map(() => null),
  children: [head.map((h) => cell(text(h))), ...rows.map((r) => r.map((c) => cell(...c)))].map((cells) => ({ type: 'tableRow', children: cells })),
});

/** A table of `rows`, or the sentence `none` where there are no rows. */
const tableOr = (none: string, head: string[], rows: PhrasingContent[][][]): Table | Paragraph => (rows.length ? table(head, rows) : para(text(none)));

/** Text with the parts given by a message's placeholders as nodes (code spans, links…). */
function message(t: (k: MessageKey, v?: Record<string, string | number>) => string, key: MessageKey, parts: Record<string, PhrasingContent | string | number>): PhrasingContent[] {
  const marks: Record<string, string> = {};
  const names = Object.keys(parts);
  names.forEach((n, i) => (marks[n] = `\u0000${i}\u0000`));
  const out: PhrasingContent[] = [];
  for (const piece of t(key, marks).split(/\u0000(\d+)\u0000/)) {
    if (/^\d+$/.test(piece) && names[Number(piece)] !== undefined) {
      const v = parts[names[Number(piece)]!]!;
      out.push(typeof v === 'object' ? v : text(String(v)));
    } else if (piece) out.push({ type: 'text', value: piece });
  }
  return out;
}

/** Serialises a tree the way every export writes Markdown. */
export function serialise(tree: Root): string {
  return toMarkdown(tree, { extensions: [gfmToMarkdown()], bullet: '-', listItemIndent: 'one', fence: '`', rule: '-' });
}

export function caseToMarkdown(r: CaseReport, lang: Language = 'en'): string {
  const { t, state, verdict, status, severity } = wordsIn(lang);
  const a = r.alert;
  const body: RootContent[] = [];
  body.push(heading(1, ...message(t, 'rep.case', { name: text(r.rule.name) })));
  body.push(para(...message(t, 'rep.exported', { at: r.exportedAt, who: text(r.exportedBy) })));

  body.push(heading(2, text(t('rep.alert'))));
  const row = (k: MessageKey, ...v: PhrasingContent[]): PhrasingContent[][] => [[text(t(k))], v];
  body.push(
    table([t('rep.field'), t('rep.value')], [
      row('rep.alertId', code(a.id)),
      row('rep.time', text(a.timestamp)),
      row('rep.severityRisk', text(`${severity(a.severity)} / ${a.riskScore}`)),
      row('rep.status', text(status(a.status))),
      row('rep.verdict', text(verdict(a.verdict))),
      row('rep.assignee', text(a.assignee)),
      row('rep.host', text(a.host)),
      row('rep.user', text(a.user)),
      row('rep.process', text(a.process)),
      row('rep.entityId', code(a.processEntityId)),
      row('rep.file', code(a.file)),
      row('rep.sourceEvent', code(a.source.index), text(' / '), code(a.source.id)),
      ...(a.closingNote ? [row('rep.closingNote', text(a.closingNote))] : []),
    ]),
  );

  body.push(heading(2, text(t('rep.rule'))));
  body.push(para(...message(t, 'rep.ruleLine', { name: text(r.rule.name), id: code(r.rule.id), version: r.rule.version })));
  if (r.rule.description) body.push(para(text(r.rule.description)));
  if (r.rule.mitre.length) {
    body.push(para(text('MITRE ATT&CK:')));
    body.push(list(r.rule.mitre.map((m) => item([text([m.tactic, m.technique, m.subtechnique].filter(Boolean).join(' → '))]))));
  }

  body.push(heading(2, text(t('rep.checklist'))));
  body.push(para(text(t('rep.progress', { done: r.progress.done, na: r.progress.notApplicable, total: r.progress.total }))));
  for (const sec of r.checklist) {
    body.push(heading(3, text(sec.title)));
    if (sec.steps.length) body.push(list(nestSteps(sec.steps, (s) => stepItem(s))));
  }
  function stepItem(s: ReportStep): { content: PhrasingContent[]; details: ListItem[]; checked: boolean | null } {
    // done and open steps are GFM task items; a step marked not applicable says so in words
    const content: PhrasingContent[] = s.state === 'not_applicable' ? [text(`[~] ${state(s.state)}: `), text(s.text)] : [text(s.text)];
    if (s.by) content.push(text(` — ${t('rep.stepBy', { state: state(s.state), who: s.by, at: s.at ?? '' })}`));
    const details: ListItem[] = [];
    if (s.state === 'not_applicable' && s.reason) details.push(item([text(`${t('rep.reason')}: `), text(s.reason)]));
    if (s.owner) details.push(item([text(`${t('rep.owner')}: `), text(s.owner)]));
    if (s.note) details.push(item([text(`${t('rep.note')}: `), text(s.note)]));
    return { content, details, checked: s.state === 'not_applicable' ? null : s.state === 'done' };
  }

  body.push(heading(2, text(t('rep.notes'))));
  if (!r.notes.length) body.push(para(text(t('rep.noNotes'))));
  else body.push(list(r.notes.map((n) => item([text(`${n.at} `), text(n.author), text(': '), text(n.body)]))));

  body.push(heading(2, text(t('rep.evidence'))));
  const e = r.evidence;
  if (!e) body.push(para(text(t('rep.noEvidence'))));
  else {
    body.push(para(text(t('rep.eventSource', { kind: e.sourceKind }))));
    body.push(heading(3, text(t('rep.processTree'))));
    body.push(e.processTree.length ? block(e.processTree.join('\n'), 'text') : para(text(t('rep.noTree'))));
    if (e.treeCuts.length) body.push(list(e.treeCuts.map((c) => item([text(`${t('rep.cut')}: `), text(c)]))));
    body.push(heading(3, text(t('rep.related')), ...(e.relatedWindow ? [text(` (${e.relatedWindow})`)] : [])));
    body.push(
      tableOr(
        t('rep.noRelated'),
        [t('rep.time'), t('rep.ruleCol'), t('rep.severity'), t('rep.host'), t('rep.user'), t('rep.why')],
        e.relatedAlerts.map((x) => [[text(x.time)], [text(x.rule)], [text(severity(x.severity))], [text(x.host)], [text(x.user)], [text(x.reasons.join('; '))]]),
      ),
    );
    body.push(heading(3, text(t('rep.activity'))));
    if (!e.activity.length) body.push(para(text(t('rep.noActivity'))));
    else
      body.push(
        list(
          e.activity.map((g) =>
            item([text(`${g.kind}: ${g.count}${g.truncated ? ` (${t('rep.cutAtLimit')})` : ''}`)], g.examples.map((x) => item([code(x)]))),
          ),
        ),
      );
    body.push(heading(3, text(t('rep.logons'))));
    body.push(
      tableOr(
        t('rep.none'),
        [t('rep.time'), t('rep.user'), t('rep.type'), t('rep.outcome'), t('rep.from')],
        e.logons.map((l) => [[text(l.time)], [text(l.user)], [text(l.type)], [text(l.outcome)], [text(l.from)]]),
      ),
    );
    if (e.file) {
      body.push(heading(3, text(t('rep.file.title'))));
      const f = e.file;
      body.push(
        list([
          item([text(`${t('rep.path')}: `), code(f.path)]),
          ...f.hashes.map((h) => item([text(`${h.algorithm}: `), code(h.value)])),
          ...(f.signature ? [item([text(`${t('rep.signature')}: `), text(f.signature)])] : []),
          ...(f.getFileHash ? [item([text('PowerShell: '), code(f.getFileHash)])] : []),
          ...f.links.filter((l) => /^https:\/\//.test(l.url)).map((l) => item([{ type: 'link', url: l.url, children: [text(l.site)] } as PhrasingContent])),
        ]),
      );
    }
    if (e.osquery.length) {
      body.push(heading(3, text('Osquery')));
      for (const q of e.osquery) body.push(para(text(q.label)), block(q.query, 'sql'));
    }
    if (e.errors.length) {
      body.push(heading(3, text(t('rep.unreadable'))));
      body.push(list(e.errors.map((x) => item([text(x)]))));
    }
  }

  body.push(heading(2, text(t('rep.history'))));
  body.push(
    tableOr(
      t('rep.noHistory'),
      [t('rep.when'), t('rep.who'), t('rep.what'), t('rep.before'), t('rep.after')],
      r.history.map((h) => [[text(h.at)], [text(h.actor)], [text(h.action)], [code(h.before)], [code(h.after)]]),
    ),
  );
  body.push(heading(2, text(t('rep.sourceEventTitle'))), block(JSON.stringify(r.sourceEvent, null, 2), 'json'));
  return serialise({ type: 'root', children: body });
}

/** Steps (each with its depth) as nested list items: a step's sub-steps sit in its own list. */
function nestSteps(steps: ReportStep[], render: (s: ReportStep) => { content: PhrasingContent[]; details: ListItem[]; checked: boolean | null }): ListItem[] {
  interface Node { step: ReportStep; children: Node[] }
  const top: Node[] = [];
  const stack: { depth: number; children: Node[] }[] = [{ depth: -1, children: top }];
  for (const step of steps) {
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= step.depth) stack.pop();
    const node: Node = { step, children: [] };
    stack[stack.length - 1]!.children.push(node);
    stack.push({ depth: step.depth, children: node.children });
  }
  const toItem = (n: Node): ListItem => {
    const r = render(n.step);
    return item(r.content, [...r.details, ...n.children.map(toItem)], r.checked);
  };
  return top.map(toItem);
}
