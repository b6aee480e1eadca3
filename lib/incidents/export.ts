/**
 * An incident exported as Markdown, JSON and a printable report: its alerts with the reason
 * each is there, their checklists as they stood, the timeline, the response checklist and the
 * history. Markdown is an mdast tree serialised by the project's Markdown writer and the
 * report is rendered by React's static renderer, so every value is escaped by construction.
 * Headings and labels are in the exporting user's language; JSON keeps the API's words.
 */
/* eslint-disable @next/next/no-head-element -- a standalone document rendered to a string, not a Next page */
import { createRequire } from 'node:module';
import type { Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Table, TableCell, Text } from 'mdast';
import type { ReactNode } from 'react';
import type { EventSource } from '../events/types';
import { serialise } from '../export/markdown';
import { PRINT_SCRIPT, REPORT_CSS } from '../export/report-html';
import { wordsIn } from '../export/words';
import { htmlLang, type Language } from '../i18n';
import { listSteps } from '../store/checklist';
import { getDb } from '../store/db';
import { reasonText } from './reason-text';
import { incidentDetail, incidentTimeline, type TimelineItem } from './service';

const REACT_DOM_SERVER = 'react-dom/server.node';
const { renderToStaticMarkup } = createRequire(import.meta.url)(REACT_DOM_SERVER) as typeof import('react-dom/server');

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
    steps: listSteps(m.alertId, db).map((s) => ({ stepId: s.stepId, state: s.state, note: s.note ?? null, actor: s.actor, updatedAt: s.updatedAt })),
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

export function incidentToHtml(r: IncidentReport, lang: Language = 'en'): string {
  const { t, state, verdict, status, severity } = wordsIn(lang);
  const inc = r.incident;
  const rows = (cells: ReactNode[][]) => cells.map((c, i) => <tr key={i}>{c.map((v, j) => <td key={j}>{v}</td>)}</tr>);
  const doc = (
    <html lang={htmlLang(lang)}>
      <head>
        <meta charSet="utf-8" />
        <title>{t('inc.rep.title', { id: inc.id })}</title>
        <style dangerouslySetInnerHTML={{ __html: REPORT_CSS }} />
      </head>
      <body>
        <div className="toolbar">
          <button id="print" type="button">
            {t('inc.rep.print')}
          </button>
        </div>
        <h1>{t('inc.rep.title', { id: inc.id })}</h1>
        <p className="meta">{t('rep.exported', { at: r.exportedAt, who: r.exportedBy })}</p>
        <table>
          <tbody>
            {[
              [t('rep.severityRisk'), `${severity(inc.severity)} / ${inc.riskScore}`],
              [t('rep.status'), status(inc.status)],
              [t('rep.verdict'), verdict(inc.verdict)],
              [t('rep.closingNote'), inc.closingNote ?? '—'],
              [t('rep.assignee'), inc.assignee ?? '—'],
              [t('inc.col.firstSeen'), inc.firstSeen ?? '—'],
              [t('inc.col.lastSeen'), inc.lastSeen ?? '—'],
              [t('inc.rep.alertsCount'), String(inc.alertCount)],
            ].map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('inc.alerts')}</h2>
        <table>
          <thead>
            <tr>
              {[t('rep.time'), t('inc.rep.rule'), t('rep.host'), t('rep.user'), t('rep.status'), t('inc.rep.reason')].map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>{rows(r.alerts.map((m) => [m.timestamp, m.ruleName, m.hostName ?? '—', m.userName ?? '—', status(m.status), reasonText(t, m.reason)]))}</tbody>
        </table>
        <h2>{t('inc.timeline')}</h2>
        {r.timelineSourceError ? <p>{t('inc.timeline.sourceError', { message: r.timelineSourceError })}</p> : null}
        <table>
          <thead>
            <tr>
              {[t('rep.time'), t('rep.host'), t('inc.timeline.kind'), t('inc.timeline.what')].map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>{rows(r.timeline.map((it) => [it.time ?? '—', it.host ?? '—', timelineKind(it, t('inc.timeline.alert')), it.summary]))}</tbody>
        </table>
        <h2>{t('inc.checklist')}</h2>
        <ul className="steps">
          {r.responseSteps.map((s) => (
            <li key={s.stepId} className={`step ${s.state}`}>
              <span className="mark">{s.state === 'done' ? '[x]' : s.state === 'not_applicable' ? '[~]' : '[ ]'}</span> {t(`inc.step.${s.stepId}` as Parameters<typeof t>[0])} — {state(s.state)}
              {s.owner ? ` (${t('inc.step.owner')}: ${s.owner})` : ''}
            </li>
          ))}
        </ul>
        <h2>{t('inc.rep.alertChecklists')}</h2>
        {r.alertSteps.map((a) => (
          <div key={a.alertId}>
            <h3>{a.alertId}</h3>
            {a.steps.length ? (
              <ul>
                {a.steps.map((s) => (
                  <li key={s.stepId}>
                    {s.stepId}: {state(s.state)} ({s.actor}, {s.updatedAt}){s.note ? ` — ${s.note}` : ''}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="meta">{t('inc.rep.noSteps')}</p>
            )}
          </div>
        ))}
        <h2>{t('inc.history')}</h2>
        <ul>
          {r.history.map((h) => (
            <li key={h.id}>
              {h.at} {h.actor} {h.action} {h.after ? <code>{JSON.stringify(h.after)}</code> : null}
            </li>
          ))}
        </ul>
        <script dangerouslySetInnerHTML={{ __html: PRINT_SCRIPT }} />
      </body>
    </html>
  );
  return `<!doctype html>${renderToStaticMarkup(doc)}`;
}
