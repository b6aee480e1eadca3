/**
 * An incident exported as Markdown, JSON and a printable report: its alerts with the reason
 * each is there, their checklists as they stood, the timeline, the response checklist and the
 * history. Markdown is an mdast tree serialised by the project's Markdown writer (escaped by
 * construction); the report escapes every value (escapeHtml).
 * Headings and labels are in the exporting user's language; JSON keeps the API's words.
 */
import type { Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Table, TableCell, Text } from 'mdast';
import type { EventSource } from '../events/types';
import { serialise } from '../export/markdown';
import { createHash } from 'node:crypto';
import { wordsIn } from '../export/words';
import { htmlLang, type Language } from '../i18n';
import { listSteps } from '../store/checklist';
import { getDb } from '../store/db';
import { reasonText } from './reason-text';
import { incidentDetail, incidentTimeline, type TimelineItem } from './service';

export type IncidentFormat = 'markdown' | 'json' | 'report';
export const incidentFormats: Record<IncidentFormat, { contentType: string; extension: string }> = {
  markdown: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  report: { contentType: 'text/html; charset=utf-8', extension: 'html' },
};

export async function incidentReport(id: string, source: EventSource, exportedBy: string, now = new Date()) {
  const db = getDb();
  const d = incidentDetail(id, db);
  const timeline = await incidentTimeline(d.incident.id, source, db);
  const alertSteps = d.members.map((m) => ({
    alertId: m.alertId,
    steps: listSteps(db, m.alertId).map((s) => ({ stepId: s.stepId, state: s.state, note: s.note ?? null, actor: s.actor, updatedAt: s.updatedAt })),
  }));
  return {
    exportedAt: now.toISOString(),
    exportedBy,
    incident: d.incident,
    alerts: d.members,
    alertSteps,
    entities: d.entities,
    responseSteps: d.steps,
    timeline: timeline.items,
    timelineSourceError: timeline.sourceError,
    history: d.history,
  };
}
export type IncidentReport = Awaited<ReturnType<typeof incidentReport>>;

// ---------------------------------------------------------------- Markdown

const oneLine = (s: string) => s.replace(/\r\n?|\n/g, ' ');
const text = (s: string | number | null | undefined): Text => ({ type: 'text', value: s === null || s === undefined || s === '' ? '—' : oneLine(String(s)) });
const code = (s: string | null | undefined): PhrasingContent => (s ? { type: 'inlineCode', value: oneLine(s) } : text(null));
const para = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });
const heading = (depth: 1 | 2 | 3, s: string): Heading => ({ type: 'heading', depth, children: [text(s)] });
const cell = (...children: PhrasingContent[]): TableCell => ({ type: 'tableCell', children });
const table = (head: string[], rows: PhrasingContent[][]): Table => ({
  type: 'table',
  align: head.map(() => null),
  children: [head.map((h) => cell(text(h))), ...rows.map((r) => r.map((c) => cell(c)))].map((cells) => ({ type: 'tableRow', children: cells })),
});
const list = (items: PhrasingContent[][], checked?: (boolean | null)[]): List => ({
  type: 'list',
  ordered: false,
  spread: false,
  children: items.map((children, i): ListItem => ({ type: 'listItem', spread: false, checked: checked?.[i] ?? null, children: [para(...children)] })),
});

function timelineKind(it: TimelineItem, alertWord: string): string {
  return it.kind === 'alert' ? alertWord : it.kind;
}

export function incidentToMarkdown(r: IncidentReport, lang: Language = 'en'): string {
  const { t, state, verdict, status, severity } = wordsIn(lang);
  const inc = r.incident;
  const body: RootContent[] = [];
  body.push(heading(1, t('inc.rep.title', { id: inc.id })));
  body.push(para(text(t('rep.exported', { at: r.exportedAt, who: r.exportedBy }))));
  body.push(
    table(
      [t('inc.rep.field'), t('inc.rep.value')],
      [
        [text(t('rep.severityRisk')), text(`${severity(inc.severity)} / ${inc.riskScore}`)],
        [text(t('rep.status')), text(status(inc.status))],
        [text(t('rep.verdict')), text(verdict(inc.verdict))],
        [text(t('rep.closingNote')), text(inc.closingNote)],
        [text(t('rep.assignee')), text(inc.assignee)],
        [text(t('inc.col.firstSeen')), text(inc.firstSeen)],
        [text(t('inc.col.lastSeen')), text(inc.lastSeen)],
        [text(t('inc.rep.alertsCount')), text(inc.alertCount)],
      ].map(([a, b]) => [a!, b!]),
    ),
  );
  body.push(heading(2, t('inc.alerts')));
  body.push(
    table(
      [t('rep.time'), t('inc.rep.rule'), t('rep.host'), t('rep.user'), t('rep.status'), t('rep.alertId'), t('inc.rep.reason')],
      r.alerts.map((m) => [text(m.timestamp), text(m.ruleName), text(m.hostName), text(m.userName), text(status(m.status)), code(m.alertId), text(reasonText(t, m.reason))]),
    ),
  );
  body.push(heading(2, t('inc.timeline')));
  if (r.timelineSourceError) body.push(para(text(t('inc.timeline.sourceError', { message: r.timelineSourceError }))));
  body.push(table([t('rep.time'), t('rep.host'), t('inc.timeline.kind'), t('inc.timeline.what')], r.timeline.map((it) => [text(it.time), text(it.host), text(timelineKind(it, t('inc.timeline.alert'))), text(it.summary)])));
  body.push(heading(2, t('inc.entities')));
  body.push(table([t('inc.entity.kind'), t('inc.entity.value'), t('inc.entity.alerts')], r.entities.map((e) => [text(t(`inc.entity.${e.kind}`)), code(e.value), text(e.alerts)])));
  body.push(heading(2, t('inc.checklist')));
  body.push(
    list(
      r.responseSteps.map((s) => [text(`${t(`inc.step.${s.stepId}` as Parameters<typeof t>[0])} — ${state(s.state)}${s.owner ? ` (${t('inc.step.owner')}: ${s.owner})` : ''}`)]),
      r.responseSteps.map((s) => s.state !== 'open'),
    ),
  );
  body.push(heading(2, t('inc.rep.alertChecklists')));
  for (const a of r.alertSteps) {
    const m = r.alerts.find((x) => x.alertId === a.alertId);
    body.push(heading(3, `${m?.ruleName ?? ''} — ${a.alertId}`));
    body.push(a.steps.length ? list(a.steps.map((s) => [text(`${s.stepId}: ${state(s.state)} (${s.actor}, ${s.updatedAt})${s.note ? ` — ${s.note}` : ''}`)])) : para(text(t('inc.rep.noSteps'))));
  }
  body.push(heading(2, t('inc.history')));
  body.push(r.history.length ? list(r.history.map((h) => [text(`${h.at} ${h.actor} ${h.action}`), ...(h.after ? [text(' '), code(JSON.stringify(h.after))] : [])])) : para(text(t('inc.history.empty'))));
  const tree: Root = { type: 'root', children: body };
  return serialise(tree);
}

export function incidentToJson(r: IncidentReport): string {
  return JSON.stringify(r, null, 2);
}

// ---------------------------------------------------------------- printable report

/** The report's only script: its print button, allowed by hash in the export route's CSP. */
export const PRINT_SCRIPT = "document.getElementById('print').addEventListener('click', function () { window.print(); });";
export const PRINT_SCRIPT_CSP_SOURCE = `'sha256-${createHash('sha256').update(PRINT_SCRIPT).digest('base64')}'`;

/** fits an A4 page; long values wrap */
const REPORT_CSS = `
  body { font: 13px/1.45 system-ui, sans-serif; color: #111; background: #fff; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #999; margin-top: 1.6rem; } h3 { font-size: 1rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.4rem 0; table-layout: fixed; }
  th, td { border: 1px solid #bbb; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
  th[scope=row] { width: 12rem; background: #f2f2f2; }
  code { font-family: monospace; font-size: 0.85rem; overflow-wrap: anywhere; }
  li, p { overflow-wrap: anywhere; } ul.steps { list-style: none; padding-left: 0; } .mark { font-family: monospace; }
  .meta { color: #444; font-size: 0.85rem; } .toolbar { margin-bottom: 1rem; }
  @page { size: A4; margin: 15mm; }
  @media print { .toolbar { display: none; } body { margin: 0; max-width: none; padding: 0; } tr, li { break-inside: avoid; } }
`;

/** Text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(v: string | number | null | undefined): string {
  return String(v ?? '—').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const tableHtml = (head: string[], rows: (string | number | null)[][]) =>
  `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

/**
 * The printable report: one HTML document in which every value goes through escapeHtml (no
 * markup from alerts, events or users can open a tag); its one script is the print button's,
 * allowed by hash in the export route's CSP. Plain strings, not React's renderer: the server
 * bundle refuses react-dom/server.
 */
export function incidentToHtml(r: IncidentReport, lang: Language = 'en'): string {
  const { t, state, verdict, status, severity } = wordsIn(lang);
  const inc = r.incident;
  const e = escapeHtml;
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="${e(htmlLang(lang))}"><head><meta charset="utf-8"><title>${e(t('inc.rep.title', { id: inc.id }))}</title><style>${REPORT_CSS}</style></head><body>`);
  parts.push(`<div class="toolbar"><button id="print" type="button">${e(t('inc.rep.print'))}</button></div>`);
  parts.push(`<h1>${e(t('inc.rep.title', { id: inc.id }))}</h1><p class="meta">${e(t('rep.exported', { at: r.exportedAt, who: r.exportedBy }))}</p>`);
  const facts: [string, string | number | null][] = [
    [t('rep.severityRisk'), `${severity(inc.severity)} / ${inc.riskScore}`],
    [t('rep.status'), status(inc.status)],
    [t('rep.verdict'), verdict(inc.verdict)],
    [t('rep.closingNote'), inc.closingNote],
    [t('rep.assignee'), inc.assignee],
    [t('inc.col.firstSeen'), inc.firstSeen],
    [t('inc.col.lastSeen'), inc.lastSeen],
    [t('inc.rep.alertsCount'), inc.alertCount],
  ];
  parts.push(`<table><tbody>${facts.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</tbody></table>`);
  parts.push(`<h2>${e(t('inc.alerts'))}</h2>`);
  parts.push(
    tableHtml(
      [t('rep.time'), t('inc.rep.rule'), t('rep.host'), t('rep.user'), t('rep.status'), t('rep.alertId'), t('inc.rep.reason')],
      r.alerts.map((m) => [m.timestamp, m.ruleName, m.hostName, m.userName, status(m.status), m.alertId, reasonText(t, m.reason)]),
    ),
  );
  parts.push(`<h2>${e(t('inc.timeline'))}</h2>`);
  if (r.timelineSourceError) parts.push(`<p>${e(t('inc.timeline.sourceError', { message: r.timelineSourceError }))}</p>`);
  parts.push(tableHtml([t('rep.time'), t('rep.host'), t('inc.timeline.kind'), t('inc.timeline.what')], r.timeline.map((it) => [it.time, it.host, timelineKind(it, t('inc.timeline.alert')), it.summary])));
  parts.push(`<h2>${e(t('inc.entities'))}</h2>`);
  parts.push(tableHtml([t('inc.entity.kind'), t('inc.entity.value'), t('inc.entity.alerts')], r.entities.map((x) => [t(`inc.entity.${x.kind}`), x.value, x.alerts])));
  parts.push(`<h2>${e(t('inc.checklist'))}</h2><ul class="steps">`);
  for (const s of r.responseSteps) {
    const mark = s.state === 'done' ? '[x]' : s.state === 'not_applicable' ? '[~]' : '[ ]';
    parts.push(
      `<li class="step ${e(s.state)}"><span class="mark">${mark}</span> ${e(t(`inc.step.${s.stepId}` as Parameters<typeof t>[0]))} — ${e(state(s.state))}${s.owner ? ` (${e(t('inc.step.owner'))}: ${e(s.owner)})` : ''}</li>`,
    );
  }
  parts.push('</ul>');
  parts.push(`<h2>${e(t('inc.rep.alertChecklists'))}</h2>`);
  for (const a of r.alertSteps) {
    parts.push(`<h3>${e(a.alertId)}</h3>`);
    parts.push(
      a.steps.length
        ? `<ul>${a.steps.map((s) => `<li>${e(s.stepId)}: ${e(state(s.state))} (${e(s.actor)}, ${e(s.updatedAt)})${s.note ? ` — ${e(s.note)}` : ''}</li>`).join('')}</ul>`
        : `<p class="meta">${e(t('inc.rep.noSteps'))}</p>`,
    );
  }
  parts.push(`<h2>${e(t('inc.history'))}</h2><ul>`);
  for (const h of r.history) parts.push(`<li>${e(h.at)} ${e(h.actor)} ${e(h.action)}${h.after ? ` <code>${e(JSON.stringify(h.after))}</code>` : ''}</li>`);
  parts.push(`</ul><script>${PRINT_SCRIPT}</script></body></html>`);
  return parts.join('');
}
