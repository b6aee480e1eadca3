/**
 * A case as a printable HTML page, rendered by React's static renderer: every value is a
 * text child or an attribute, so escaping is React's, by construction. The page carries one
 * script (the print button's), allowed by its hash in the export route's CSP.
 */
/* eslint-disable @next/next/no-head-element -- a standalone document rendered to a string, not a Next page */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ReactNode } from 'react';

import type { CaseReport, ReportStep } from './case';
import { wordsIn } from './words';
import { htmlLang, type Language, type MessageKey } from '../i18n';

/**
 * React DOM's static renderer, loaded by Node at run time. Next refuses a static import of
 * react-dom/server in code bundled for the server ("render it as a Server Component
 * instead"): that advice is for pages, while this renders a standalone document to a string
 * for a download. The elements are plain React elements, so the renderer of the installed
 * react-dom renders them whichever React build created them.
 */
const REACT_DOM_SERVER = 'react-dom/server.node';
const { renderToStaticMarkup } = createRequire(import.meta.url)(REACT_DOM_SERVER) as typeof import('react-dom/server');

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

const stateMark = (s: ReportStep) => (s.state === 'done' ? '[x]' : s.state === 'not_applicable' ? '[~]' : '[ ]');
const safeUrl = (u: string) => (/^https:\/\//.test(u) ? u : '#');
const dash = (v: string | null | undefined) => (v ? v : '—');

function Report({ r, lang }: { r: CaseReport; lang: Language }) {
  const { t, state, verdict, status, severity } = wordsIn(lang);
  const a = r.alert;
  const e = r.evidence;
  const rows = (pairs: [string, ReactNode][]) => (
    <table>
      <tbody>
        {pairs.map(([k, v], i) => (
          <tr key={i}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const grid = (head: MessageKey[], body: ReactNode[][]) => (
    <table>
      <thead>
        <tr>{head.map((k) => <th key={k}>{t(k)}</th>)}</tr>
      </thead>
      <tbody>
        {body.map((cells, i) => (
          <tr key={i}>{cells.map((c, j) => <td key={j}>{c}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
  const title = t('rep.case', { name: r.rule.name });
  return (
    <html lang={htmlLang(lang)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${a.id}`}</title>
        <style dangerouslySetInnerHTML={{ __html: REPORT_CSS }} />
      </head>
      <body>
        <div className="toolbar">
          <button type="button" id="print">{t('rep.print')}</button>
        </div>
        <script dangerouslySetInnerHTML={{ __html: PRINT_SCRIPT }} />
        <h1>{title}</h1>
        <p className="meta">{t('rep.exported', { at: r.exportedAt, who: r.exportedBy })}</p>
        <h2>{t('rep.alert')}</h2>
        {rows([
          [t('rep.alertId'), <code key="c">{a.id}</code>],
          [t('rep.time'), a.timestamp],
          [t('rep.severityRisk'), `${severity(a.severity)} / ${a.riskScore}`],
          [t('rep.status'), status(a.status)],
          [t('rep.verdict'), verdict(a.verdict)],
          [t('rep.closingNote'), dash(a.closingNote)],
          [t('rep.assignee'), dash(a.assignee)],
          [t('rep.host'), dash(a.host)],
          [t('rep.user'), dash(a.user)],
          [t('rep.process'), dash(a.process)],
          [t('rep.entityId'), <code key="c">{dash(a.processEntityId)}</code>],
          [t('rep.file'), <code key="c">{dash(a.file)}</code>],
          [t('rep.sourceEvent'), <><code>{a.source.index}</code> / <code>{a.source.id}</code></>],
        ])}
        <h2>{t('rep.rule')}</h2>
        <p>{t('rep.ruleLine', { name: r.rule.name, id: r.rule.id, version: r.rule.version })}</p>
        {r.rule.description ? <p>{r.rule.description}</p> : null}
        {r.rule.mitre.length ? (
          <>
            <p>MITRE ATT&amp;CK:</p>
            <ul>
              {r.rule.mitre.map((m, i) => <li key={i}>{[m.tactic, m.technique, m.subtechnique].filter(Boolean).join(' → ')}</li>)}
            </ul>
          </>
        ) : null}
        <h2>{t('rep.checklist')}</h2>
        <p>{t('rep.progress', { done: r.progress.done, na: r.progress.notApplicable, total: r.progress.total })}</p>
        {r.checklist.map((sec, i) => (
          <section key={i}>
            <h3>{sec.title}</h3>
            <ul className="steps">
              {sec.steps.map((s) => (
                <li key={s.id} className={`step ${s.state}`} style={{ marginLeft: `${s.depth * 1.2}rem` }}>
                  <span className="mark" aria-label={state(s.state)}>{stateMark(s)}</span> {s.text}
                  {s.by ? <div className="meta">{t('rep.stepBy', { state: state(s.state), who: s.by, at: s.at ?? '' })}</div> : null}
                  {s.state === 'not_applicable' && s.reason ? <div className="meta">{`${t('rep.reason')}: ${s.reason}`}</div> : null}
                  {s.owner ? <div className="meta">{`${t('rep.owner')}: ${s.owner}`}</div> : null}
                  {s.note ? <div className="note">{s.note}</div> : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
        <h2>{t('rep.notes')}</h2>
        {r.notes.length ? (
          <ul>
            {r.notes.map((n, i) => (
              <li key={i}>
                <span className="meta">{`${n.at} ${n.author}`}</span>
                <div className="note">{n.body}</div>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('rep.noNotes')}</p>
        )}
        <h2>{t('rep.evidence')}</h2>
        {!e ? (
          <p>{t('rep.noEvidence')}</p>
        ) : (
          <>
            <p>{t('rep.eventSource', { kind: e.sourceKind })}</p>
            <h3>{t('rep.processTree')}</h3>
            {e.processTree.length ? <pre>{e.processTree.join('\n')}</pre> : <p>{t('rep.noTree')}</p>}
            {e.treeCuts.length ? <ul>{e.treeCuts.map((c, i) => <li key={i}>{`${t('rep.cut')}: ${c}`}</li>)}</ul> : null}
            <h3>
              {t('rep.related')} {e.relatedWindow ? <span className="meta">({e.relatedWindow})</span> : null}
            </h3>
            {e.relatedAlerts.length ? (
              grid(
                ['rep.time', 'rep.ruleCol', 'rep.severity', 'rep.host', 'rep.user', 'rep.why'],
                e.relatedAlerts.map((x) => [x.time, x.rule, severity(x.severity), dash(x.host), dash(x.user), x.reasons.join('; ')]),
              )
            ) : (
              <p>{t('rep.noRelated')}</p>
            )}
            <h3>{t('rep.activity')}</h3>
            {e.activity.length ? (
              <ul>
                {e.activity.map((g, i) => (
                  <li key={i}>
                    {`${g.kind}: ${g.count}`}
                    {g.truncated ? ` (${t('rep.cutAtLimit')})` : ''}
                    <ul>{g.examples.map((x, j) => <li key={j}>{x}</li>)}</ul>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('rep.noActivity')}</p>
            )}
            <h3>{t('rep.logons')}</h3>
            {e.logons.length ? (
              grid(['rep.time', 'rep.user', 'rep.type', 'rep.outcome', 'rep.from'], e.logons.map((l) => [dash(l.time), dash(l.user), dash(l.type), dash(l.outcome), dash(l.from)]))
            ) : (
              <p>{t('rep.none')}</p>
            )}
            {e.file ? (
              <>
                <h3>{t('rep.file.title')}</h3>
                {rows([
                  [t('rep.path'), <code key="c">{dash(e.file.path)}</code>],
                  ...e.file.hashes.map((x): [string, ReactNode] => [x.algorithm, <code key="c">{x.value}</code>]),
                  [t('rep.signature'), dash(e.file.signature)],
                  ['PowerShell', <code key="c">{dash(e.file.getFileHash)}</code>],
                ])}
                <p>
                  {e.file.links.map((l, i) => (
                    <span key={i}>
                      {i > 0 ? ' · ' : ''}
                      <a href={safeUrl(l.url)} rel="noopener noreferrer">{l.site}</a>
                    </span>
                  ))}
                </p>
              </>
            ) : null}
            {e.osquery.length ? (
              <>
                <h3>Osquery</h3>
                {e.osquery.map((q, i) => (
                  <div key={i}>
                    <p>{q.label}</p>
                    <pre>{q.query}</pre>
                  </div>
                ))}
              </>
            ) : null}
            {e.errors.length ? (
              <>
                <h3>{t('rep.unreadable')}</h3>
                <ul>{e.errors.map((x, i) => <li key={i}>{x}</li>)}</ul>
              </>
            ) : null}
          </>
        )}
        <h2>{t('rep.history')}</h2>
        {r.history.length ? (
          grid(['rep.when', 'rep.who', 'rep.what', 'rep.before', 'rep.after'], r.history.map((x) => [x.at, x.actor, x.action, <code key="b">{x.before}</code>, <code key="a">{x.after}</code>]))
        ) : (
          <p>{t('rep.noHistory')}</p>
        )}
        <h2>{t('rep.sourceEventTitle')}</h2>
        <pre>{JSON.stringify(r.sourceEvent, null, 2)}</pre>
      </body>
    </html>
  );
}

export function caseToHtml(r: CaseReport, lang: Language = 'en'): string {
  return `<!doctype html>\n${renderToStaticMarkup(<Report r={r} lang={lang} />)}\n`;
}
