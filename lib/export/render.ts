/**
 * Renderers of a CaseReport (Markdown, printable HTML, JSON) and of the alert queue (CSV).
 * All text comes from events, guides, notes and users: it is escaped for each format.
 */
import { createHash } from 'node:crypto';
import type { AlertListItem } from '../store/alerts';
import type { CaseReport, ReportStep } from './case';
import { htmlLang, translate, type Language, type MessageKey } from '../i18n';

// ------------------------------------------------------------------ Markdown

/** Escapes text so a Markdown viewer shows it literally (no HTML, links or emphasis). */
export function mdText(s: string | null | undefined): string {
  if (s === null || s === undefined || s === '') return '—';
  return s
    .replace(/[\\`*_{}[\]()#+!|~>-]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

/** A code span that holds any text (backtick runs longer than the content's). */
export function mdCode(s: string | null | undefined): string {
  if (!s) return '—';
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

function mdBlock(s: string, lang = ''): string {
  const longest = Math.max(2, ...(s.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${s}\n${fence}`;
}

const stateMark = (s: ReportStep) => (s.state === 'done' ? '[x]' : s.state === 'not_applicable' ? '[~]' : '[ ]');

/**
 * The report's own words in a language (the exporting user's, as the interface they export
 * from); what comes from events, guides, notes and users stays as it is. The JSON export keeps
 * its English keys and values.
 */
function wordsIn(lang: Language) {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars);
  return {
    t,
    state: (s: ReportStep['state']) => t(s === 'done' ? 'rep.state.done' : s === 'not_applicable' ? 'rep.state.notApplicable' : 'rep.state.open'),
    verdict: (v: CaseReport['alert']['verdict']) =>
      t(v === 'true_positive' ? 'rep.verdict.truePositive' : v === 'benign_true_positive' ? 'rep.verdict.benignTruePositive' : v === 'false_positive' ? 'rep.verdict.falsePositive' : 'rep.verdict.none'),
    status: (v: string) => (v === 'open' || v === 'acknowledged' || v === 'closed' ? t(`status.${v}`) : v),
    severity: (v: string) => (v === 'low' || v === 'medium' || v === 'high' || v === 'critical' ? t(`severity.${v}`) : v),
  };
}

export function caseToMarkdown(r: CaseReport, lang: Language = 'en'): string {
  const { t, state, verdict, status, severity } = wordsIn(lang);
  const a = r.alert;
  const out: string[] = [];
  out.push(`# ${t('rep.case', { name: mdText(r.rule.name) })}`, '');
  out.push(t('rep.exported', { at: r.exportedAt, who: mdText(r.exportedBy) }), '');
  out.push(`## ${t('rep.alert')}`, '');
  out.push(`| ${t('rep.field')} | ${t('rep.value')} |`, '|---|---|');
  const row = (k: MessageKey, v: string) => out.push(`| ${t(k)} | ${v} |`);
  row('rep.alertId', mdCode(a.id));
  row('rep.time', a.timestamp);
  row('rep.severityRisk', `${severity(a.severity)} / ${a.riskScore}`);
  row('rep.status', status(a.status));
  row('rep.verdict', verdict(a.verdict));
  row('rep.assignee', mdText(a.assignee));
  row('rep.host', mdText(a.host));
  row('rep.user', mdText(a.user));
  row('rep.process', mdText(a.process));
  row('rep.entityId', mdCode(a.processEntityId));
  row('rep.file', mdCode(a.file));
  row('rep.sourceEvent', `${mdCode(a.source.index)} / ${mdCode(a.source.id)}`);
  if (a.closingNote) row('rep.closingNote', mdText(a.closingNote));
  out.push('');
  out.push(`## ${t('rep.rule')}`, '');
  out.push(t('rep.ruleLine', { name: mdText(r.rule.name), id: mdCode(r.rule.id), version: r.rule.version }), '');
  if (r.rule.description) out.push(mdText(r.rule.description), '');
  if (r.rule.mitre.length) {
    out.push('MITRE ATT&amp;CK:', '');
    for (const m of r.rule.mitre) out.push(`- ${mdText(m.tactic)}${m.technique ? ` → ${mdText(m.technique)}` : ''}${m.subtechnique ? ` → ${mdText(m.subtechnique)}` : ''}`);
    out.push('');
  }
  out.push(`## ${t('rep.checklist')}`, '');
  out.push(t('rep.progress', { done: r.progress.done, na: r.progress.notApplicable, total: r.progress.total }), '');
  for (const sec of r.checklist) {
    out.push(`### ${mdText(sec.title)}`, '');
    for (const s of sec.steps) {
      const indent = '  '.repeat(s.depth);
      const who = s.by ? ` — ${t('rep.stepBy', { state: state(s.state), who: mdText(s.by), at: s.at ?? '' })}` : '';
      out.push(`${indent}- ${stateMark(s)} ${mdText(s.text)}${who}`);
      if (s.state === 'not_applicable' && s.reason) out.push(`${indent}  - ${t('rep.reason')}: ${mdText(s.reason)}`);
      if (s.owner) out.push(`${indent}  - ${t('rep.owner')}: ${mdText(s.owner)}`);
      if (s.note) out.push(`${indent}  - ${t('rep.note')}: ${mdText(s.note)}`);
    }
    out.push('');
  }
  out.push(`## ${t('rep.notes')}`, '');
  if (!r.notes.length) out.push(t('rep.noNotes'));
  for (const n of r.notes) out.push(`- ${n.at} ${mdText(n.author)}: ${mdText(n.body)}`);
  out.push('');
  out.push(`## ${t('rep.evidence')}`, '');
  const e = r.evidence;
  if (!e) out.push(t('rep.noEvidence'), '');
  else {
    out.push(t('rep.eventSource', { kind: e.sourceKind }), '');
    out.push(`### ${t('rep.processTree')}`, '');
    out.push(e.processTree.length ? mdBlock(e.processTree.join('\n'), 'text') : t('rep.noTree'));
    for (const c of e.treeCuts) out.push(`- ${t('rep.cut')}: ${mdText(c)}`);
    out.push('');
    out.push(`### ${t('rep.related')}${e.relatedWindow ? ` (${mdText(e.relatedWindow)})` : ''}`, '');
    if (!e.relatedAlerts.length) out.push(t('rep.noRelated'));
    for (const x of e.relatedAlerts) out.push(`- ${x.time} ${mdText(x.rule)} (${severity(x.severity)}) ${t('rep.on', { host: mdText(x.host), user: mdText(x.user) })}: ${x.reasons.map(mdText).join('; ')}`);
    out.push('');
    out.push(`### ${t('rep.activity')}`, '');
    if (!e.activity.length) out.push(t('rep.noActivity'));
    for (const g of e.activity) {
      out.push(`- ${g.kind}: ${g.count}${g.truncated ? ` (${t('rep.cutAtLimit')})` : ''}`);
      for (const ex of g.examples) out.push(`  - ${mdText(ex)}`);
    }
    out.push('');
    out.push(`### ${t('rep.logons')}`, '');
    if (!e.logons.length) out.push(t('rep.none'));
    for (const l of e.logons) out.push(`- ${l.time ?? '—'} ${t('rep.logonLine', { user: mdText(l.user), type: mdText(l.type), outcome: mdText(l.outcome), from: mdText(l.from) })}`);
    out.push('');
    if (e.file) {
      out.push(`### ${t('rep.file.title')}`, '');
      out.push(`- ${t('rep.path')}: ${mdCode(e.file.path)}`);
      for (const h of e.file.hashes) out.push(`- ${h.algorithm}: ${mdCode(h.value)}`);
      if (e.file.signature) out.push(`- ${t('rep.signature')}: ${mdText(e.file.signature)}`);
      if (e.file.getFileHash) out.push(`- PowerShell: ${mdCode(e.file.getFileHash)}`);
      for (const l of e.file.links) out.push(`- ${mdText(l.site)}: <${l.url}>`);
      out.push('');
    }
    if (e.osquery.length) {
      out.push('### Osquery', '');
      for (const q of e.osquery) out.push(`- ${mdText(q.label)}`, '', mdBlock(q.query, 'sql'), '');
    }
    if (e.errors.length) {
      out.push(`### ${t('rep.unreadable')}`, '');
      for (const x of e.errors) out.push(`- ${mdText(x)}`);
      out.push('');
    }
  }
  out.push(`## ${t('rep.history')}`, '');
  if (!r.history.length) out.push(t('rep.noHistory'));
  for (const h of r.history) out.push(`- ${h.at} ${mdText(h.actor)} ${mdText(h.action)}: ${mdText(h.before)} → ${mdText(h.after)}`);
  out.push('');
  out.push(`## ${t('rep.sourceEventTitle')}`, '', mdBlock(JSON.stringify(r.sourceEvent, null, 2), 'json'), '');
  return out.join('\n');
}

// ------------------------------------------------------------------ HTML

/** The report's only script: its print button. The export route allows exactly this script by hash. */
export const PRINT_SCRIPT = "document.getElementById('print').addEventListener('click', function () { window.print(); });";
export const PRINT_SCRIPT_CSP_SOURCE = `'sha256-${createHash('sha256').update(PRINT_SCRIPT).digest('base64')}'`;

export function escapeHtml(s: string | null | undefined): string {
  if (s === null || s === undefined) return '';
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const safeUrl = (u: string) => (/^https:\/\//.test(u) ? escapeHtml(u) : '#');

export function caseToHtml(r: CaseReport, lang: Language = 'en'): string {
  const { t, state, verdict, status, severity } = wordsIn(lang);
  const h = escapeHtml;
  const a = r.alert;
  const dash = (v: string | null) => (v ? h(v) : '—');
  const rows = (pairs: [string, string][]) => pairs.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td>${v}</td></tr>`).join('');
  const th = (...keys: MessageKey[]) => keys.map((k) => `<th>${h(t(k))}</th>`).join('');
  const e = r.evidence;
  const steps = r.checklist
    .map(
      (sec) => `<h3>${h(sec.title)}</h3><ul class="steps">${sec.steps
        .map(
          (s) => `<li class="step ${s.state}" style="margin-left:${s.depth * 1.2}rem"><span class="mark" aria-label="${h(state(s.state))}">${stateMark(s)}</span> ${h(s.text)}${
            s.by ? `<div class="meta">${h(t('rep.stepBy', { state: state(s.state), who: s.by, at: s.at ?? '' }))}</div>` : ''
          }${s.state === 'not_applicable' && s.reason ? `<div class="meta">${h(t('rep.reason'))}: ${h(s.reason)}</div>` : ''}${s.owner ? `<div class="meta">${h(t('rep.owner'))}: ${h(s.owner)}</div>` : ''}${
            s.note ? `<div class="note">${h(s.note)}</div>` : ''
          }</li>`,
        )
        .join('')}</ul>`,
    )
    .join('');
  const evidence = !e
    ? `<p>${h(t('rep.noEvidence'))}</p>`
    : `<p>${h(t('rep.eventSource', { kind: e.sourceKind }))}</p>
<h3>${h(t('rep.processTree'))}</h3>${e.processTree.length ? `<pre>${h(e.processTree.join('\n'))}</pre>` : `<p>${h(t('rep.noTree'))}</p>`}
${e.treeCuts.length ? `<ul>${e.treeCuts.map((c) => `<li>${h(t('rep.cut'))}: ${h(c)}</li>`).join('')}</ul>` : ''}
<h3>${h(t('rep.related'))} ${e.relatedWindow ? `<span class="meta">(${h(e.relatedWindow)})</span>` : ''}</h3>
${e.relatedAlerts.length ? `<table><thead><tr>${th('rep.time', 'rep.ruleCol', 'rep.severity', 'rep.host', 'rep.user', 'rep.why')}</tr></thead><tbody>${e.relatedAlerts
        .map((x) => `<tr><td>${h(x.time)}</td><td>${h(x.rule)}</td><td>${h(severity(x.severity))}</td><td>${dash(x.host)}</td><td>${dash(x.user)}</td><td>${h(x.reasons.join('; '))}</td></tr>`)
        .join('')}</tbody></table>` : `<p>${h(t('rep.noRelated'))}</p>`}
<h3>${h(t('rep.activity'))}</h3>
${e.activity.length ? `<ul>${e.activity.map((g) => `<li>${h(g.kind)}: ${g.count}${g.truncated ? ` (${h(t('rep.cutAtLimit'))})` : ''}<ul>${g.examples.map((x) => `<li>${h(x)}</li>`).join('')}</ul></li>`).join('')}</ul>` : `<p>${h(t('rep.noActivity'))}</p>`}
<h3>${h(t('rep.logons'))}</h3>
${e.logons.length ? `<table><thead><tr>${th('rep.time', 'rep.user', 'rep.type', 'rep.outcome', 'rep.from')}</tr></thead><tbody>${e.logons
        .map((l) => `<tr><td>${dash(l.time)}</td><td>${dash(l.user)}</td><td>${dash(l.type)}</td><td>${dash(l.outcome)}</td><td>${dash(l.from)}</td></tr>`)
        .join('')}</tbody></table>` : `<p>${h(t('rep.none'))}</p>`}
${e.file ? `<h3>${h(t('rep.file.title'))}</h3><table>${rows([
        [t('rep.path'), `<code>${dash(e.file.path)}</code>`],
        ...e.file.hashes.map((x): [string, string] => [x.algorithm, `<code>${h(x.value)}</code>`]),
        [t('rep.signature'), dash(e.file.signature)],
        ['PowerShell', `<code>${dash(e.file.getFileHash)}</code>`],
      ])}</table><p>${e.file.links.map((l) => `<a href="${safeUrl(l.url)}" rel="noopener noreferrer">${h(l.site)}</a>`).join(' · ')}</p>` : ''}
${e.osquery.length ? `<h3>Osquery</h3>${e.osquery.map((q) => `<p>${h(q.label)}</p><pre>${h(q.query)}</pre>`).join('')}` : ''}
${e.errors.length ? `<h3>${h(t('rep.unreadable'))}</h3><ul>${e.errors.map((x) => `<li>${h(x)}</li>`).join('')}</ul>` : ''}`;

  return `<!doctype html>
<html lang="${htmlLang(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(t('rep.case', { name: r.rule.name }))} · ${h(a.id)}</title>
<style>
  body { font: 13px/1.45 system-ui, 'DejaVu Sans', sans-serif; color: #111; background: #fff; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #999; margin-top: 1.6rem; } h3 { font-size: 1rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.4rem 0; } th, td { border: 1px solid #bbb; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
  th[scope=row] { width: 12rem; background: #f2f2f2; }
  pre, code { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.85rem; } pre { white-space: pre-wrap; background: #f6f6f6; border: 1px solid #ccc; padding: 0.5rem; }
  ul.steps { list-style: none; padding-left: 0; } .step { margin: 0.25rem 0; } .mark { font-family: monospace; }
  .step.done .mark { color: #0a6b2c; } .step.not_applicable .mark { color: #6b5200; }
  .meta { color: #444; font-size: 0.85rem; } .note { border-left: 3px solid #2e6aa0; padding-left: 0.5rem; margin: 0.2rem 0; white-space: pre-wrap; }
  .toolbar { margin-bottom: 1rem; }
  @media print { .toolbar { display: none; } body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr, li { break-inside: avoid; } a { color: #111; } }
</style></head>
<body>
<div class="toolbar"><button type="button" id="print">${h(t('rep.print'))}</button></div>
<script>${PRINT_SCRIPT}</script>
<h1>${h(t('rep.case', { name: r.rule.name }))}</h1>
<p class="meta">${h(t('rep.exported', { at: r.exportedAt, who: r.exportedBy }))}</p>
<h2>${h(t('rep.alert'))}</h2>
<table>${rows([
    [t('rep.alertId'), `<code>${h(a.id)}</code>`],
    [t('rep.time'), h(a.timestamp)],
    [t('rep.severityRisk'), `${h(severity(a.severity))} / ${a.riskScore}`],
    [t('rep.status'), h(status(a.status))],
    [t('rep.verdict'), h(verdict(a.verdict))],
    [t('rep.closingNote'), dash(a.closingNote)],
    [t('rep.assignee'), dash(a.assignee)],
    [t('rep.host'), dash(a.host)],
    [t('rep.user'), dash(a.user)],
    [t('rep.process'), dash(a.process)],
    [t('rep.entityId'), `<code>${dash(a.processEntityId)}</code>`],
    [t('rep.file'), `<code>${dash(a.file)}</code>`],
    [t('rep.sourceEvent'), `<code>${h(a.source.index)}</code> / <code>${h(a.source.id)}</code>`],
  ])}</table>
<h2>${h(t('rep.rule'))}</h2>
<p>${t('rep.ruleLine', { name: h(r.rule.name), id: `<code>${h(r.rule.id)}</code>`, version: r.rule.version })}</p>
${r.rule.description ? `<p>${h(r.rule.description)}</p>` : ''}
${r.rule.mitre.length ? `<p>MITRE ATT&amp;CK:</p><ul>${r.rule.mitre.map((m) => `<li>${h(m.tactic)}${m.technique ? ` → ${h(m.technique)}` : ''}${m.subtechnique ? ` → ${h(m.subtechnique)}` : ''}</li>`).join('')}</ul>` : ''}
<h2>${h(t('rep.checklist'))}</h2>
<p>${h(t('rep.progress', { done: r.progress.done, na: r.progress.notApplicable, total: r.progress.total }))}</p>
${steps}
<h2>${h(t('rep.notes'))}</h2>
${r.notes.length ? `<ul>${r.notes.map((n) => `<li><span class="meta">${h(n.at)} ${h(n.author)}</span><div class="note">${h(n.body)}</div></li>`).join('')}</ul>` : `<p>${h(t('rep.noNotes'))}</p>`}
<h2>${h(t('rep.evidence'))}</h2>
${evidence}
<h2>${h(t('rep.history'))}</h2>
${r.history.length ? `<table><thead><tr>${th('rep.when', 'rep.who', 'rep.what', 'rep.before', 'rep.after')}</tr></thead><tbody>${r.history
    .map((x) => `<tr><td>${h(x.at)}</td><td>${h(x.actor)}</td><td>${h(x.action)}</td><td><code>${h(x.before)}</code></td><td><code>${h(x.after)}</code></td></tr>`)
    .join('')}</tbody></table>` : `<p>${h(t('rep.noHistory'))}</p>`}
<h2>${h(t('rep.sourceEventTitle'))}</h2>
<pre>${h(JSON.stringify(r.sourceEvent, null, 2))}</pre>
</body></html>
`;
}

export function caseToJson(r: CaseReport): string {
  return JSON.stringify(r, null, 2);
}

// ------------------------------------------------------------------ CSV

/** RFC 4180 field; cells that a spreadsheet would run as a formula are prefixed with '. */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const QUEUE_CSV_COLUMNS = [
  'id', 'timestamp', 'severity', 'risk_score', 'rule', 'rule_id', 'host', 'user', 'process', 'file', 'status', 'verdict', 'assignee', 'created_at', 'event_index', 'event_id',
] as const;

/** The CSV's first line (no line break). */
export const QUEUE_CSV_HEADER = QUEUE_CSV_COLUMNS.join(',');

/** One alert of the queue as a CSV line (no line break), in the columns of QUEUE_CSV_COLUMNS. */
export function queueCsvLine(a: AlertListItem): string {
  return [a.id, a.timestamp, a.severity, a.riskScore, a.ruleName, a.ruleId, a.hostName, a.userName, a.processName, a.filePath, a.status, a.verdict, a.assignee, a.createdAt, a.source._index, a.source._id]
    .map(csvCell)
    .join(',');
}

