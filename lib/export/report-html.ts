/**
 * A case as a printable HTML page, built as a hast tree (hastscript) and serialised by
 * hast-util-to-html: every value is a text node or an attribute value, escaped by the
 * serialiser, by construction. (React's static renderer cannot run in Next's server runtime:
 * react-dom/server resolves to a stub that throws under the react-server condition.) The page
 * carries one script, the print button's, allowed by its hash in the export route's CSP.
 */
import { createHash } from 'node:crypto';
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import type { CaseReport, ReportStep } from './case';
import { wordsIn } from './words';
import { htmlLang, type Language, type MessageKey } from '../i18n';

/** The report's only script: its print button. The export route allows exactly this script by hash. */
export const PRINT_SCRIPT = "document.getElementById('print').addEventListener('click', function () { window.print(); });";
export const PRINT_SCRIPT_CSP_SOURCE = `'sha256-${createHash('sha256').update(PRINT_SCRIPT).digest('base64')}'`;

/**
 * Fits an A4 page when printed: long command lines, paths and ids wrap anywhere instead of
 * widening the page, and tables keep to the page width.
 */
export const REPORT_CSS = `
  body { font: 13px/1.45 system-ui, 'DejaVu Sans', sans-serif; color: #111; background: #fff; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #999; margin-top: 1.6rem; } h3 { font-size: 1rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.4rem 0; table-layout: fixed; }
  th, td { border: 1px solid #bbb; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
  th[scope=row] { width: 12rem; background: #f2f2f2; }
  pre, code { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.85rem; overflow-wrap: anywhere; word-break: break-word; }
  pre { white-space: pre-wrap; background: #f6f6f6; border: 1px solid #ccc; padding: 0.5rem; }
  li, p { overflow-wrap: anywhere; }
  ul.steps { list-style: none; padding-left: 0; } .step { margin: 0.25rem 0; } .mark { font-family: monospace; }
  .step.done .mark { color: #0a6b2c; } .step.not_applicable .mark { color: #6b5200; }
  .meta { color: #444; font-size: 0.85rem; } .note { border-left: 3px solid #2e6aa0; padding-left: 0.5rem; margin: 0.2rem 0; white-space: pre-wrap; }
  .toolbar { margin-bottom: 1rem; }
  @page { size: A4; margin: 15mm; }
  @media print { .toolbar { display: none; } body { margin: 0; max-width: none; padding: 0; } h2 { break-after: avoid; } tr, li { break-inside: avoid; } a { color: #111; } }
`;

type Child = ElementContent | string | null | undefined | false;
const kids = (xs: Child[]): (ElementContent | string)[] => xs.filter((x): x is ElementContent | string => x !== null && x !== undefined && x !== false);

const stateMark = (s: ReportStep) => (s.state === 'done' ? '[x]' : s.state === 'not_applicable' ? '[~]' : '[ ]');
const safeUrl = (u: string) => (/^https:\/\//.test(u) ? u : '#');
const dash = (v: string | null | undefined) => (v ? v : '—');
const code = (v: string | null | undefined): Element => h('code', dash(v));

export function caseToHtml(r: CaseReport, lang: Language = 'en'): string {
  const { t, state, verdict, status, severity } = wordsIn(lang);
  const a = r.alert;
  const e = r.evidence;
  const rows = (pairs: [string, Child | Child[]][]): Element =>
    h('table', [h('tbody', pairs.map(([k, v]) => h('tr', [h('th', { scope: 'row' }, k), h('td', kids(Array.isArray(v) ? v : [v]))])))]);
  const grid = (head: MessageKey[], body: Child[][]): Element =>
    h('table', [h('thead', [h('tr', head.map((k) => h('th', t(k))))]), h('tbody', body.map((cells) => h('tr', cells.map((c) => h('td', kids([c]))))))]);
  const list = (items: Child[][]): Element => h('ul', items.map((x) => h('li', kids(x))));
  const title = t('rep.case', { name: r.rule.name });

  const evidence: Child[] = !e
    ? [h('p', t('rep.noEvidence'))]
    : [
        h('p', t('rep.eventSource', { kind: e.sourceKind })),
        h('h3', t('rep.processTree')),
        e.processTree.length ? h('pre', e.processTree.join('\n')) : h('p', t('rep.noTree')),
        e.treeCuts.length ? list(e.treeCuts.map((c) => [`${t('rep.cut')}: ${c}`])) : null,
        h('h3', kids([t('rep.related'), e.relatedWindow ? ' ' : null, e.relatedWindow ? h('span', { className: ['meta'] }, `(${e.relatedWindow})`) : null])),
        e.relatedAlerts.length
          ? grid(
              ['rep.time', 'rep.ruleCol', 'rep.severity', 'rep.host', 'rep.user', 'rep.why'],
              e.relatedAlerts.map((x) => [x.time, x.rule, severity(x.severity), dash(x.host), dash(x.user), x.reasons.join('; ')]),
            )
          : h('p', t('rep.noRelated')),
        h('h3', t('rep.activity')),
        e.activity.length
          ? list(e.activity.map((g) => [`${g.kind}: ${g.count}${g.truncated ? ` (${t('rep.cutAtLimit')})` : ''}`, list(g.examples.map((x) => [x]))]))
          : h('p', t('rep.noActivity')),
        h('h3', t('rep.logons')),
        e.logons.length
          ? grid(['rep.time', 'rep.user', 'rep.type', 'rep.outcome', 'rep.from'], e.logons.map((l) => [dash(l.time), dash(l.user), dash(l.type), dash(l.outcome), dash(l.from)]))
          : h('p', t('rep.none')),
        ...(e.file
          ? [
              h('h3', t('rep.file.title')),
              rows([
                [t('rep.path'), code(e.file.path)],
                ...e.file.hashes.map((x): [string, Child] => [x.algorithm, code(x.value)]),
                [t('rep.signature'), dash(e.file.signature)],
                ['PowerShell', code(e.file.getFileHash)],
              ]),
              h('p', e.file.links.flatMap((l, i) => kids([i > 0 ? ' · ' : null, h('a', { href: safeUrl(l.url), rel: ['noopener', 'noreferrer'] }, l.site)]))),
            ]
          : []),
        ...(e.osquery.length ? [h('h3', 'Osquery'), ...e.osquery.flatMap((q) => [h('p', q.label), h('pre', q.query)])] : []),
        ...(e.errors.length ? [h('h3', t('rep.unreadable')), list(e.errors.map((x) => [x]))] : []),
      ];

  const body = h('body', kids([
    h('div', { className: ['toolbar'] }, [h('button', { type: 'button', id: 'print' }, t('rep.print'))]),
    h('script', PRINT_SCRIPT),
    h('h1', title),
    h('p', { className: ['meta'] }, t('rep.exported', { at: r.exportedAt, who: r.exportedBy })),
    h('h2', t('rep.alert')),
    rows([
      [t('rep.alertId'), code(a.id)],
      [t('rep.time'), a.timestamp],
      [t('rep.severityRisk'), `${severity(a.severity)} / ${a.riskScore}`],
      [t('rep.status'), status(a.status)],
      [t('rep.verdict'), verdict(a.verdict)],
      [t('rep.closingNote'), dash(a.closingNote)],
      [t('rep.assignee'), dash(a.assignee)],
      [t('rep.host'), dash(a.host)],
      [t('rep.user'), dash(a.user)],
      [t('rep.process'), dash(a.process)],
      [t('rep.entityId'), code(a.processEntityId)],
      [t('rep.file'), code(a.file)],
      [t('rep.sourceEvent'), [code(a.source.index), ' / ', code(a.source.id)]],
    ]),
    h('h2', t('rep.rule')),
    h('p', t('rep.ruleLine', { name: r.rule.name, id: r.rule.id, version: r.rule.version })),
    r.rule.description ? h('p', r.rule.description) : null,
    ...(r.rule.mitre.length ? [h('p', 'MITRE ATT&CK:'), list(r.rule.mitre.map((m) => [[m.tactic, m.technique, m.subtechnique].filter(Boolean).join(' → ')]))] : []),
    h('h2', t('rep.checklist')),
    h('p', t('rep.progress', { done: r.progress.done, na: r.progress.notApplicable, total: r.progress.total })),
    ...r.checklist.map((sec) =>
      h('section', [
        h('h3', sec.title),
        h(
          'ul',
          { className: ['steps'] },
          sec.steps.map((s) =>
            h('li', { className: ['step', s.state], style: `margin-left:${s.depth * 1.2}rem` }, kids([
              h('span', { className: ['mark'], ariaLabel: state(s.state) }, stateMark(s)),
              ` ${s.text}`,
              s.by ? h('div', { className: ['meta'] }, t('rep.stepBy', { state: state(s.state), who: s.by, at: s.at ?? '' })) : null,
              s.state === 'not_applicable' && s.reason ? h('div', { className: ['meta'] }, `${t('rep.reason')}: ${s.reason}`) : null,
              s.owner ? h('div', { className: ['meta'] }, `${t('rep.owner')}: ${s.owner}`) : null,
              s.note ? h('div', { className: ['note'] }, s.note) : null,
            ])),
          ),
        ),
      ]),
    ),
    h('h2', t('rep.notes')),
    r.notes.length
      ? h('ul', r.notes.map((n) => h('li', [h('span', { className: ['meta'] }, `${n.at} ${n.author}`), h('div', { className: ['note'] }, n.body)])))
      : h('p', t('rep.noNotes')),
    h('h2', t('rep.evidence')),
    ...evidence,
    h('h2', t('rep.history')),
    r.history.length
      ? grid(['rep.when', 'rep.who', 'rep.what', 'rep.before', 'rep.after'], r.history.map((x) => [x.at, x.actor, x.action, code(x.before), code(x.after)]))
      : h('p', t('rep.noHistory')),
    h('h2', t('rep.sourceEventTitle')),
    h('pre', JSON.stringify(r.sourceEvent, null, 2)),
  ]));

  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: htmlLang(lang) }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', `${title} · ${a.id}`),
          h('style', REPORT_CSS),
        ]),
        body,
      ]),
    ],
  };
  return `${toHtml(tree, { characterReferences: { useNamedReferences: true } })}\n`;
}
